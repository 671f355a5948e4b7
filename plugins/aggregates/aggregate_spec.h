// aggregate_spec.h -- one configured feature: the aggregate operation, which
// events it reads, which value and over which time window.
//
// Invariants (enforced by parse_specs, which throws halo::ConfigError with
// the option path of the offending key):
//  - field_kind != kNone for sum, avg, min, max and distinct.
//  - window_ms is 0 or a positive multiple of bucket_ms; a window is only
//    allowed for count, sum, avg, min and max; `bucket` only with a window.
//  - fingerprint identifies the spec's meaning (name, op, filters, field,
//    window): persisted state is reused only by a spec with the same one.
#pragma once

#include <halo/plugin.h>
#include <halo/sdk.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "option_reader.h"

namespace halo::aggregates {

enum class Op : uint8_t { kCount, kSum, kAvg, kMin, kMax, kFirst, kLast, kDistinct };

enum class FieldKind : uint8_t {
  kNone,       // no field given (first/last then use the timestamp)
  kTimestamp,  // the event timestamp
  kEventName,  // the event name
  kSource,     // the source name
  kPath        // a dotted path read from the event; with `[]`, every list
               // element it names (halo/field_path.hpp) is a value
};

struct AggregateSpec {
  std::string name;
  Op op = Op::kCount;
  std::vector<std::string> events;  // empty: any name
  int32_t event_type = 0;           // halo_event_type, 0: any type
  FieldKind field_kind = FieldKind::kNone;
  std::string field_path;          // for kPath
  bool elements = false;           // kPath names list elements (`products[].price`)
  int64_t window_ms = 0;           // 0: all time
  int64_t bucket_ms = 0;           // bucket width of a windowed aggregate
  int64_t explicit_bucket_ms = 0;  // `bucket`, when the config gives one
  uint32_t fingerprint = 0;

  bool windowed() const { return window_ms > 0; }
  int64_t window_buckets() const { return window_ms / bucket_ms; }
  bool numeric() const {
    return op == Op::kSum || op == Op::kAvg || op == Op::kMin || op == Op::kMax;
  }
};

// Reads and validates the `features` option; throws the first error.
std::vector<AggregateSpec> parse_specs(const OptionReader &options);
// The same, but every feature is checked: each bad one adds its error to
// `errors` (in config order) and is left out of the result.
std::vector<AggregateSpec> parse_specs(const OptionReader &options,
                                       std::vector<ConfigError> &errors);

const char *op_name(Op op);

// Closest candidate within edit distance 2, or "" (for "did you mean").
std::string closest_match(const std::string &word, const std::vector<std::string> &candidates);

}  // namespace halo::aggregates
