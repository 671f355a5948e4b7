// feature_output.h -- turns a feature state into its emitted value: integers
// for count/distinct, exact decimal text for sum/avg/min/max, ISO-8601 UTC
// text for timestamps, and null where no value exists.
//
// Invariants: a profile without matching events emits count 0, distinct 0,
// sum 0 and null for avg/min/max/first/last; number texts are the shortest
// exact decimal ("120.5", "42", "0.05").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "aggregate_spec.h"
#include "feature_state.h"

namespace halo::aggregates {

// Receives emitted values (the plugin forwards to halo::FeatureWriter).
class FeatureSink {
 public:
  virtual ~FeatureSink() = default;
  virtual void integer(const std::string &name, int64_t value) = 0;
  virtual void number(const std::string &name, std::string_view exact_text) = 0;
  virtual void string(const std::string &name, std::string_view value) = 0;
  virtual void boolean(const std::string &name, bool value) = 0;
  virtual void null(const std::string &name) = 0;
};

// Emits one feature from its slot (feature_state.h) of kind `kind`; `slot`
// is nullptr for a profile never seen. Returns the earliest time after
// as_of_ms the value changes with no new event (INT64_MAX: never).
int64_t emit_feature(const AggregateSpec &spec, SlotKind kind, const std::byte *slot,
                     const StatePools &pools, int64_t as_of_ms, FeatureSink &out);

}  // namespace halo::aggregates
