// identifier_table.h -- interned (type id, value) identifiers with the
// profile slot each one is linked to, laid out for few bytes per identifier.
//
// Invariants:
//  - Type and value are copied once into an append-only ValueArena; every
//    string_view the table hands out stays valid for the table's lifetime.
//  - An identifier id, once given, never changes or disappears.
//  - Lookups never allocate: the key of a lookup may point into a batch.
//  - Entries (profile slot + arena ref, 12 bytes) live in fixed-size chunks:
//    no growth slack beyond one chunk and no copy when the table grows.
//  - The index is open addressing (linear probing, load <= 3/4) over 8-byte
//    slots: the top 32 bits of the identifier's 64-bit hash (the tag) and
//    its entry id + 1 (0 = empty). A slot's home is the top log2(capacity)
//    bits of the hash, so the tag alone re-homes it when the index doubles:
//    no hash is stored per entry and none is recomputed. A lookup touches
//    one slot run and reads the arena only on a tag match.
//  - At most kMaxIdentifiers identifiers (so the index never exceeds 2^32
//    slots); one more is refused with std::length_error.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "chunked_array.h"
#include "value_arena.h"

namespace halo::deterministic {

uint64_t identifier_hash(uint32_t type, std::string_view value);

class IdentifierTable {
 public:
  static constexpr uint32_t kNoProfile = UINT32_MAX;
  static constexpr size_t kMaxIdentifiers = size_t{1} << 31;

  IdentifierTable() { rebuild_index(16); }

  std::optional<uint32_t> find(uint32_t type, std::string_view value) const;
  // A find() of (type, value) is coming: starts loading its home slot into
  // the cache. Always inlined, as halo::ProfileMap::prefetch.
  [[gnu::always_inline]] void prefetch(uint32_t type, std::string_view value) const {
    __builtin_prefetch(&index_[home(identifier_hash(type, value) >> 32)]);
  }
  // Adds a new identifier (the caller checked it is absent).
  uint32_t insert(uint32_t type, std::string_view value, uint32_t profile_slot);

  uint32_t type(uint32_t id) const { return arena_.read(entry(id).ref).type; }
  std::string_view value(uint32_t id) const { return arena_.read(entry(id).ref).value; }
  uint32_t profile_slot(uint32_t id) const { return entry(id).profile_slot; }
  void set_profile_slot(uint32_t id, uint32_t slot) { entry(id).profile_slot = slot; }
  size_t size() const { return entries_.size(); }
  // Heap bytes the table holds (arena, entries, index), for the memory tests.
  size_t memory_bytes() const;

 private:
  struct Entry {
    uint32_t profile_slot;  // may point at a merged slot; resolve with find()
    ValueArena::Ref ref;
  };
  Entry &entry(uint32_t id) { return entries_[id]; }
  const Entry &entry(uint32_t id) const { return entries_[id]; }
  size_t home(uint64_t tag) const { return static_cast<size_t>(tag >> (32 - index_bits_)); }
  void place(uint64_t slot);
  void rebuild_index(unsigned bits);

  ValueArena arena_;
  ChunkedArray<Entry, 16> entries_;  // entry id -> entry
  std::vector<uint64_t> index_;      // tag << 32 | (entry id + 1); 2^index_bits_ slots
  unsigned index_bits_ = 0;
};

}  // namespace halo::deterministic
