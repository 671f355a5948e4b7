// identifier_table.cpp -- arena interning and hashing of identifiers; see
// identifier_table.h for the invariants.
#include "identifier_table.h"

#include <xxhash.h>

#include <cstring>

namespace halo::deterministic {

std::string_view ValueArena::copy(std::string_view s) {
  if (s.size() > kBlockSize / 4) {
    // Rare huge value: its own block, so the current block keeps filling.
    auto block = std::make_unique<char[]>(s.size());
    std::memcpy(block.get(), s.data(), s.size());
    std::string_view out(block.get(), s.size());
    blocks_.insert(blocks_.end() - (blocks_.empty() ? 0 : 1), std::move(block));
    return out;
  }
  if (used_ + s.size() > kBlockSize) {
    blocks_.push_back(std::make_unique<char[]>(kBlockSize));
    used_ = 0;
  }
  char *dst = blocks_.back().get() + used_;
  if (!s.empty()) std::memcpy(dst, s.data(), s.size());
  used_ += s.size();
  return std::string_view(dst, s.size());
}

uint64_t identifier_hash(uint32_t type, std::string_view value) {
  return XXH3_64bits_withSeed(value.data(), value.size(), type);
}

void IdentifierTable::rebuild_index(size_t capacity) {
  index_.assign(capacity, Slot{0, kEmpty});
  const size_t mask = capacity - 1;
  for (uint32_t id = 0; id < entries_.size(); ++id) {
    size_t i = hashes_[id] & mask;
    while (index_[i].entry != kEmpty) i = (i + 1) & mask;
    index_[i] = Slot{hashes_[id], id};
  }
}

std::optional<uint32_t> IdentifierTable::find(uint32_t type, std::string_view value) const {
  const uint64_t h = identifier_hash(type, value);
  const size_t mask = index_.size() - 1;
  for (size_t i = h & mask; index_[i].entry != kEmpty; i = (i + 1) & mask) {
    const Slot &slot = index_[i];
    if (slot.hash != h) continue;
    const Entry &e = entries_[slot.entry];
    if (e.type == type && e.value == value) return slot.entry;
  }
  return std::nullopt;
}

uint32_t IdentifierTable::insert(uint32_t type, std::string_view value, uint32_t profile_slot) {
  if (2 * (entries_.size() + 1) > index_.size()) rebuild_index(2 * index_.size());
  std::string_view stored = arena_.copy(value);
  const uint32_t id = static_cast<uint32_t>(entries_.size());
  const uint64_t h = identifier_hash(type, stored);
  entries_.push_back({type, profile_slot, stored});
  hashes_.push_back(h);
  const size_t mask = index_.size() - 1;
  size_t i = h & mask;
  while (index_[i].entry != kEmpty) i = (i + 1) & mask;
  index_[i] = Slot{h, id};
  return id;
}

}  // namespace halo::deterministic
