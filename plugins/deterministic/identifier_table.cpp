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

size_t IdentifierKeyHash::operator()(const IdentifierKey &k) const {
  return static_cast<size_t>(XXH3_64bits_withSeed(k.value.data(), k.value.size(), k.type));
}

std::optional<uint32_t> IdentifierTable::find(uint32_t type, std::string_view value) const {
  auto it = index_.find(IdentifierKey{type, value});
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

uint32_t IdentifierTable::insert(uint32_t type, std::string_view value, uint32_t profile_slot) {
  std::string_view stored = arena_.copy(value);
  uint32_t id = static_cast<uint32_t>(entries_.size());
  entries_.push_back({type, profile_slot, stored});
  index_.emplace(IdentifierKey{type, stored}, id);
  return id;
}

}  // namespace halo::deterministic
