// profile_pages.h -- the profile book's records: a paged dense array of
// ProfileData indexed by profile id, with per-page bitmaps saying which
// records exist and which changed since the last clear_dirty().
//
// Why not halo::ProfileMap<ProfileData>: its slots are std::optional<T>,
// whose flag costs 8 bytes of padding per profile on a 16-byte record, and
// a list of dirty ids costs 8 more bytes per changed profile; two bits per
// record in the page do both jobs.
//
// Ids are the kernel's dense, never reused profile ids; pages of 4096
// records are allocated on first use. Pointers to records stay valid until
// the record is erased or the pages are destroyed (pages never move).
// Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "profile/trait_list.h"

namespace halo {

struct ProfileData {
  TraitList traits;           // ascending by name text, names unique
  int64_t updated_at_ms = 0;  // latest event timestamp seen
};

class ProfilePages {
 public:
  ProfileData *find(uint64_t id);
  const ProfileData *find(uint64_t id) const;
  ProfileData &get_or_create(uint64_t id);
  // A find() of `id` is coming: starts loading its record into the cache.
  // Always inlined, as MessageKeySet::prefetch.
  [[gnu::always_inline]] void prefetch(uint64_t id) const {
    if (const Page *page = page_of(id)) __builtin_prefetch(&page->records[id % kPageSize]);
  }
  // Destroys the record (and its traits) and clears its dirty bit.
  void erase(uint64_t id);
  size_t size() const { return size_; }

  // Sets the dirty bit of an existing record; true when it was clear.
  bool mark_dirty(uint64_t id);
  // Ids of existing records with the dirty bit set, ascending.
  std::vector<uint64_t> dirty_ids() const;
  void clear_dirty();
  // Ids of existing records, ascending.
  std::vector<uint64_t> ids() const;

  // Calls fn(const ProfileData &) for every existing record.
  template <class Fn>
  void for_each_record(Fn &&fn) const {
    for (const auto &page : pages_) {
      if (!page) continue;
      for (size_t i = 0; i < kPageSize; ++i) {
        if (test(page->live, i)) fn(page->records[i]);
      }
    }
  }
  // Heap bytes of the pages and the page table (not what records own).
  size_t memory_bytes() const;

 private:
  static constexpr unsigned kPageBits = 12;
  static constexpr size_t kPageSize = size_t{1} << kPageBits;
  static constexpr size_t kWords = kPageSize / 64;
  using Bits = std::array<uint64_t, kWords>;
  struct Page {
    std::array<ProfileData, kPageSize> records;
    Bits live{};
    Bits dirty{};
  };
  static bool test(const Bits &bits, size_t i) { return (bits[i / 64] >> (i % 64)) & 1; }
  Page *page_of(uint64_t id) const {
    const uint64_t page = id >> kPageBits;
    return page < pages_.size() ? pages_[static_cast<size_t>(page)].get() : nullptr;
  }
  // Ids whose bit is set in `pick(page)`, ascending.
  template <class Pick>
  std::vector<uint64_t> collect(Pick &&pick) const;

  std::vector<std::unique_ptr<Page>> pages_;
  size_t size_ = 0;
};

}  // namespace halo
