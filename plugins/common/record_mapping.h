// record_mapping.h -- turns one source record (a parsed JSON line or a CSV
// row) into a Segment-shaped event JSON, following the `mapping` option:
// target path in the event -> source spec.
//
// Spec forms (see plugins/file-jsonl/README.md for the user-facing text):
//   "=literal"      a string literal ("=123" stays the string "123")
//   "source.path"   a JSON path a.b.0.c, or a CSV column header
//   {from, value, as, map, default, required}   the full form
//   [path, path, ...]  a composite: the values of several fields joined
//                   with ':' ('%' and ':' inside a value escaped as %25 and
//                   %3A, so different parts never join to the same text);
//                   every part is required. Meant for messageId, e.g.
//                   messageId: [order_id, line_no].
//
// Invariants:
//  - compile() rejects every spec problem up front (bad `as`, a literal or
//    default that does not convert, a target that is both a value and an
//    object) with a MappingError naming the target.
//  - apply() writes one JSON object: nested objects for dotted targets,
//    escaped UTF-8 strings, numbers as their exact decimal text. A target
//    whose value is missing is omitted, and an object left empty is omitted.
//  - apply() allocates nothing per record once its buffers have grown.
//  - An instance is used by one thread at a time (it keeps scratch state).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace halo::plugins {

enum class ValueKind : uint8_t { kMissing, kNull, kString, kNumber, kBool, kJson };

// One value read from a source record. For kNumber `text` is the literal's
// exact text, for kBool "true"/"false", for kJson the raw object/array text,
// for kString the unescaped UTF-8 string.
struct SourceValue {
  ValueKind kind = ValueKind::kMissing;
  std::string_view text;
};

// Reads the values of the mapping's source paths from one record.
class FieldLookup {
 public:
  virtual ~FieldLookup() = default;
  // `path_index` indexes RecordMapping::source_paths().
  virtual SourceValue field(size_t path_index) = 0;
};

// The `as:` conversion; kAuto keeps the source's own type.
enum class ValueType : uint8_t { kAuto, kString, kNumber, kBool, kJson };

std::optional<ValueType> parse_value_type(std::string_view name);

struct FieldSpec {
  std::string from;                    // source path; empty for a literal
  std::optional<std::string> literal;  // "=x" or {value: x}
  ValueType as = ValueType::kAuto;
  std::vector<std::pair<std::string, std::string>> map;  // in -> out
  std::optional<std::string> default_value;
  bool required = false;
  std::vector<std::string> parts;  // composite: source paths joined by ':'
};

// Parses the short string form: "=literal" or a source path.
FieldSpec parse_spec_string(std::string_view text);

// A spec problem; `target` is the mapping key it belongs to.
class MappingError : public std::runtime_error {
 public:
  MappingError(std::string target, const std::string &message)
      : std::runtime_error(message), target_(std::move(target)) {}
  const std::string &target() const { return target_; }

 private:
  std::string target_;
};

class RecordMapping {
 public:
  // Targets in the order they should appear. Throws MappingError.
  static RecordMapping compile(const std::vector<std::pair<std::string, FieldSpec>> &targets);

  // Distinct source paths, in first-use order; FieldLookup indexes these.
  const std::vector<std::string> &source_paths() const { return source_paths_; }
  bool sets_message_id() const { return sets_message_id_; }

  // Writes the event for one record into `out`. When the mapping has no
  // messageId target and `message_id` is not empty, it is written first.
  // Returns false with `error` naming the field, the value and the fix when
  // the record is rejected.
  bool apply(FieldLookup &lookup, std::string_view message_id, std::string &out,
             std::string &error) const;

 private:
  struct Leaf {
    std::string target;
    FieldSpec spec;
    int32_t path_index = -1;  // -1 for literals
    std::vector<std::pair<std::string, std::string>> sorted_map;
    std::vector<int32_t> part_indices;  // composite targets
  };
  struct Node {
    std::string key_json;  // "\"key\":"
    int32_t leaf = -1;     // leaf index, or -1 for an object
    std::vector<uint32_t> children;
  };

  void add_target(const std::string &target, const FieldSpec &spec);
  uint32_t child_node(uint32_t parent, std::string_view key, const std::string &target);
  bool resolve(const Leaf &leaf, FieldLookup &lookup, SourceValue &value, std::string &error) const;
  bool compose(size_t leaf, FieldLookup &lookup, std::string &error) const;
  int32_t path_index(const std::string &path);
  bool write_node(uint32_t node, std::string &out) const;

  std::vector<std::string> source_paths_;
  std::vector<Leaf> leaves_;
  std::vector<Node> nodes_;  // nodes_[0] is the root object
  bool sets_message_id_ = false;
  mutable std::vector<SourceValue> values_;    // per-record scratch
  mutable std::vector<std::string> composed_;  // per-leaf composite text
};

// Converts `in` to `as`; false with a reason ("is not a number") otherwise.
bool convert_value(SourceValue in, ValueType as, SourceValue &out, const char *&reason);

}  // namespace halo::plugins
