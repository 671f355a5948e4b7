// identifier_table.cpp -- hashing, probing and growth of the compact
// identifier table; see identifier_table.h for the layout and invariants.
#include "identifier_table.h"

#include <xxhash.h>

#include <stdexcept>
#include <string>

namespace halo::deterministic {

namespace {
constexpr uint64_t kEmptySlot = 0;
uint64_t tag_of(uint64_t hash) {
  return hash >> 32;
}
uint32_t id_of(uint64_t slot) {
  return static_cast<uint32_t>(slot) - 1;
}
}  // namespace

uint64_t identifier_hash(uint32_t type, std::string_view value) {
  return XXH3_64bits_withSeed(value.data(), value.size(), type);
}

size_t IdentifierTable::memory_bytes() const {
  return arena_.memory_bytes() + entries_.memory_bytes() + index_.capacity() * sizeof(index_[0]);
}

// Puts a slot at the first free place from its home (the caller ensured
// there is room).
void IdentifierTable::place(uint64_t slot) {
  const size_t mask = index_.size() - 1;
  size_t i = home(slot >> 32);
  while (index_[i] != kEmptySlot) i = (i + 1) & mask;
  index_[i] = slot;
}

// Re-homes every slot from its tag: no arena reads, no rehashing. Walking
// the old index in order visits homes in ascending order, so writes into
// the new index are nearly sequential.
void IdentifierTable::rebuild_index(unsigned bits) {
  std::vector<uint64_t> old(size_t{1} << bits, kEmptySlot);
  old.swap(index_);
  index_bits_ = bits;
  for (uint64_t slot : old) {
    if (slot != kEmptySlot) place(slot);
  }
}

std::optional<uint32_t> IdentifierTable::find(uint32_t type, std::string_view value) const {
  const uint64_t tag = tag_of(identifier_hash(type, value));
  const size_t mask = index_.size() - 1;
  for (size_t i = home(tag); index_[i] != kEmptySlot; i = (i + 1) & mask) {
    if ((index_[i] >> 32) != tag) continue;
    const uint32_t id = id_of(index_[i]);
    const ValueArena::Record r = arena_.read(entry(id).ref);
    if (r.type == type && r.value == value) return id;
  }
  return std::nullopt;
}

uint32_t IdentifierTable::insert(uint32_t type, std::string_view value, uint32_t profile_slot) {
  if (entries_.size() >= kMaxIdentifiers) {
    throw std::length_error("identity resolver: more than " + std::to_string(kMaxIdentifiers) +
                            " identifiers");
  }
  // Load <= 3/4: short probe runs of 8-byte slots, 1.33-2.67 slots per entry.
  if (4 * (entries_.size() + 1) > 3 * index_.size()) rebuild_index(index_bits_ + 1);
  const auto id = static_cast<uint32_t>(entries_.size());
  entries_.push_back(Entry{profile_slot, arena_.append(type, value)});
  place(tag_of(identifier_hash(type, value)) << 32 | (uint64_t{id} + 1));
  return id;
}

}  // namespace halo::deterministic
