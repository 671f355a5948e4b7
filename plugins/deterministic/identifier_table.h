// identifier_table.h -- interned (type id, value) identifiers with the
// profile slot each one is linked to.
//
// Invariants:
//  - Values are copied once into an append-only arena; every string_view the
//    table hands out stays valid for the table's lifetime.
//  - An identifier id, once given, never changes or disappears.
//  - Lookups never allocate: the key of a lookup may point into a batch.
//  - The index is open addressing (linear probing, load <= 1/2) over
//    (full hash, entry id) pairs: a lookup touches one 16-byte slot and
//    compares strings only on a full-hash match. It replaced a node-based
//    std::unordered_map whose per-lookup cache misses dominated resolution.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace halo::deterministic {

// Append-only storage for identifier values (few large blocks).
class ValueArena {
 public:
  std::string_view copy(std::string_view s);

 private:
  static constexpr size_t kBlockSize = 1 << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = kBlockSize;  // forces a first block on the first copy
};

uint64_t identifier_hash(uint32_t type, std::string_view value);

class IdentifierTable {
 public:
  static constexpr uint32_t kNoProfile = UINT32_MAX;

  IdentifierTable() { rebuild_index(1 << 16); }

  std::optional<uint32_t> find(uint32_t type, std::string_view value) const;
  // Adds a new identifier (the caller checked it is absent).
  uint32_t insert(uint32_t type, std::string_view value, uint32_t profile_slot);

  uint32_t type(uint32_t id) const { return entries_[id].type; }
  std::string_view value(uint32_t id) const { return entries_[id].value; }
  uint32_t profile_slot(uint32_t id) const { return entries_[id].profile_slot; }
  void set_profile_slot(uint32_t id, uint32_t slot) { entries_[id].profile_slot = slot; }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    uint32_t type;
    uint32_t profile_slot;  // may point at a merged slot; resolve with find()
    std::string_view value;
  };
  struct Slot {
    uint64_t hash;
    uint32_t entry;  // kEmpty when unused
  };
  static constexpr uint32_t kEmpty = UINT32_MAX;
  void rebuild_index(size_t capacity);

  ValueArena arena_;
  std::vector<Entry> entries_;
  std::vector<uint64_t> hashes_;  // entry id -> hash, for rebuilding the index
  std::vector<Slot> index_;       // size is a power of two
};

}  // namespace halo::deterministic
