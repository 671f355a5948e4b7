// name_table.h -- interned names (trait keys, source names) for the
// profile book: each distinct name is stored once and referred to by a
// 32-bit id, so a profile's trait costs 4 bytes of name instead of a string.
//
// Ids are dense from 0 in first-intern order; they are process-local and
// never stored (the store keeps the names themselves). Views returned by
// name() stay valid for the table's lifetime. Not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace halo {

class NameTable {
 public:
  NameTable() = default;
  NameTable(const NameTable &) = delete;
  NameTable &operator=(const NameTable &) = delete;

  uint32_t intern(std::string_view name);
  std::optional<uint32_t> find(std::string_view name) const;
  std::string_view name(uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  std::deque<std::string> names_;  // a deque: elements never move
  std::unordered_map<std::string_view, uint32_t> ids_;
};

}  // namespace halo
