// json_field_lookup.h -- reads the mapping's source paths ("a.b.0.c") from
// one JSON record with simdjson On-Demand.
//
// Invariants:
//  - load() resolves every path once, eagerly: On-Demand rewinds between
//    JSON-pointer lookups and invalidates unescaped strings, so strings are
//    copied into a scratch buffer reserved to the record size (no
//    reallocation, so earlier views stay valid).
//  - A path that does not exist (missing key, index out of range, indexing a
//    scalar) is kMissing; structural errors make load() fail with
//    simdjson's message.
//  - Values are valid until the next load().
#pragma once

#include "common/record_mapping.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins {

// "a.b.0.c" -> "/a/b/0/c" with RFC 6901 escaping of '~' and '/'.
std::string to_json_pointer(std::string_view dotted_path);

class JsonFieldLookup : public FieldLookup {
 public:
  explicit JsonFieldLookup(const std::vector<std::string> &source_paths);
  ~JsonFieldLookup() override;

  // Parses one record. `padded` says kBlockPadding readable bytes follow
  // `json` (true for views into a BlockBuffer); otherwise it is copied.
  // Returns false with `error` when the record is not a well-formed object.
  bool load(std::string_view json, bool padded, std::string &error);
  SourceValue field(size_t path_index) override { return values_[path_index]; }

 private:
  struct Parser;
  bool read_path(size_t i, std::string &error);

  std::vector<std::string> pointers_;
  std::vector<SourceValue> values_;
  std::string scratch_;
  std::unique_ptr<Parser> parser_;
};

}  // namespace halo::plugins
