// event_source.h -- the read-only view of a batch of normalized events the
// aggregate engine consumes. The plugin wraps halo::Batch; tests use plain
// vectors. Views are valid only during the call that received the source.
#pragma once

#include <halo/plugin.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::aggregates {

struct FieldValue {
  halo_value_kind kind = HALO_VALUE_NULL;
  bool boolean = false;
  std::string_view text;  // exact literal text for numbers, UTF-8 for strings
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  virtual size_t size() const = 0;
  virtual int32_t type(size_t i) const = 0;  // halo_event_type
  virtual std::string_view name(size_t i) const = 0;
  virtual std::string_view source(size_t i) const = 0;
  virtual int64_t timestamp_ms(size_t i) const = 0;
  virtual uint64_t sequence(size_t i) const = 0;
  // Scalar at a dotted path; nullopt when absent.
  virtual std::optional<FieldValue> field(size_t i, const std::string &path) const = 0;
  // Appends every scalar of event i at a path `pattern` names (with `[]`,
  // halo/field_path.hpp), in the event's order; nulls too.
  virtual void elements(size_t i, std::string_view pattern, std::vector<FieldValue> &out) const = 0;
};

}  // namespace halo::aggregates
