// path_table.h -- a small open-addressing hash table from strings to a
// uint32_t, used on the hot path to intern field paths and to find the
// identifier rules watching a path (private to core/normalize).
//
// Invariants:
//  - Keys are string_views the caller keeps alive (arena or options
//    storage); the table never copies or frees key bytes.
//  - Capacity is a power of two and at most half full, so probing ends.
//  - Hashes come from path_hash(); a lookup with a hash from elsewhere
//    misses.
#pragma once

#include <xxhash.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace halo {

inline uint64_t path_hash(std::string_view s) {
  return XXH3_64bits(s.data(), s.size());
}

class PathTable {
 public:
  struct Entry {
    uint64_t hash = 0;
    std::string_view key;
    uint32_t value = 0;
    bool used = false;
  };

  const Entry *find(std::string_view key, uint64_t hash) const {
    if (slots_.empty()) return nullptr;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Entry &e = slots_[i];
      if (!e.used) return nullptr;
      if (e.hash == hash && e.key == key) return &e;
    }
  }

  // Inserts key (which must not be present yet).
  void insert(std::string_view key, uint64_t hash, uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      if (!slots_[i].used) {
        slots_[i] = Entry{hash, key, value, true};
        ++size_;
        return;
      }
    }
  }

  void clear() {
    if (size_ == 0) return;
    for (Entry &e : slots_) e.used = false;
    size_ = 0;
  }

  size_t size() const { return size_; }

 private:
  void grow() {
    std::vector<Entry> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Entry{});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const Entry &e : old) {
      if (e.used) insert(e.key, e.hash, e.value);
    }
  }

  std::vector<Entry> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace halo
