// aggregate_engine.h -- per-profile aggregate states of one plugin instance:
// applies events, folds merged profiles, persists changed profiles and emits
// feature values.
//
// Invariants:
//  - Every profile has one record holding one slot per spec, laid out by
//    layout_ (feature_state.h); what slots refer to lives in pools_ and is
//    released when the profile is erased.
//  - save_dirty() writes each still existing profile that update() or
//    merge() changed since the last call exactly once, in ascending id
//    order.
//  - Results are independent of batching and of merge order (feature_state.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aggregate_spec.h"
#include "event_source.h"
#include "feature_output.h"
#include "feature_state.h"
#include "profile_records.h"

namespace halo::aggregates {

// A value a first/last or distinct feature reads: its kind and text (empty
// for a timestamp, which is the event's own).
struct Picked {
  PickKind kind;
  std::string_view text;
};

class AggregateEngine {
 public:
  using StateWrite = std::function<void(uint64_t profile, std::string_view blob)>;
  // Told about an event the engine did not apply: (index, reason code,
  // message naming the feature, the field and the fix).
  using Reject = std::function<void(size_t i, const char *reason, const std::string &message)>;

  // The largest magnitude a summed value may have. Bounding every input
  // keeps sums exact: Decimal holds about 1.7e29, so a profile needs more
  // than 1.7e11 values at this bound before a sum could overflow.
  static constexpr int64_t kMaxAbsValue = 1'000'000'000'000'000'000;  // 1e18

  explicit AggregateEngine(std::vector<AggregateSpec> specs);

  // profile_ids[i] is the profile of event i. An event with a value a
  // numeric feature cannot use exactly (not a number, magnitude above
  // kMaxAbsValue) is applied to no feature and reported through `reject`.
  void update(const EventSource &events, const uint64_t *profile_ids, const Reject &reject);
  void merge(uint64_t from, uint64_t into);
  void save_dirty(const StateWrite &write);
  // Throws halo::Error naming the profile when the blob is corrupt.
  void restore(uint64_t profile, std::string_view blob);
  // Returns the earliest time after as_of_ms any emitted value changes with
  // no new event (INT64_MAX: never).
  int64_t emit(uint64_t profile, int64_t as_of_ms, FeatureSink &out) const;

  // Stored features that matched no configured spec since the last call.
  uint64_t take_stale_features();
  size_t profile_count() const { return profiles_.size(); }
  const std::vector<AggregateSpec> &specs() const { return specs_; }
  // Bytes of one profile's record (the fixed part of its states).
  size_t record_bytes() const { return layout_.record_bytes; }
  // Heap bytes held for all profiles: records with their bits and the
  // out-of-line parts. Excludes the specs and per-batch buffers.
  size_t memory_bytes() const;
  const StatePools &pools() const { return pools_; }

 private:
  // Releases what the profile's slots own and forgets it.
  void erase(uint64_t id);
  // Applies event i to feature f's slot; numeric values come from numbers_.
  void observe(size_t f, std::byte *record, const EventSource &events, size_t i);
  void observe_numeric(size_t f, std::byte *slot, const EventSource &events, size_t i);
  void observe_value(size_t f, std::byte *slot, const EventSource &events, size_t i);
  // Applies one value to a first/last or distinct slot.
  void observe_one(size_t f, std::byte *slot, int64_t ts, uint64_t sequence, const Picked &value);
  // Reads and checks every numeric value event i feeds into numbers_;
  // false after calling `reject`.
  bool usable(const EventSource &events, size_t i, const Reject &reject);
  bool matches(const AggregateSpec &spec, const EventSource &events, size_t i) const;

  std::vector<AggregateSpec> specs_;
  RecordLayout layout_;
  ProfileRecords profiles_;  // dense by kernel profile id
  StatePools pools_;
  uint64_t stale_features_ = 0;
  std::string blob_;  // reused encode buffer
  // Per spec, the numbers of the event being applied (none, one, or one
  // per list element).
  std::vector<std::vector<Decimal>> numbers_;
  std::vector<FieldValue> inputs_;  // reused by the reads of one spec's values
};

}  // namespace halo::aggregates
