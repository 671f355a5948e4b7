// aggregate_engine.h -- per-profile aggregate states of one plugin instance:
// applies events, folds merged profiles, persists changed profiles and emits
// feature values.
//
// Invariants:
//  - Every profile in the map has one state per spec, in spec order.
//  - A profile is in dirty_ at most once; save_dirty() writes each changed,
//    still existing profile exactly once and clears the list.
//  - Results are independent of batching and of merge order (feature_state.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <halo/profile_map.hpp>

#include "aggregate_spec.h"
#include "event_source.h"
#include "feature_output.h"
#include "feature_state.h"

namespace halo::aggregates {

class AggregateEngine {
 public:
  using StateWrite = std::function<void(uint64_t profile, std::string_view blob)>;

  explicit AggregateEngine(std::vector<AggregateSpec> specs);

  // profile_ids[i] is the profile of event i.
  void update(const EventSource &events, const uint64_t *profile_ids);
  void merge(uint64_t from, uint64_t into);
  void save_dirty(const StateWrite &write);
  // Throws halo::Error naming the profile when the blob is corrupt.
  void restore(uint64_t profile, std::string_view blob);
  void emit(uint64_t profile, int64_t as_of_ms, FeatureSink &out) const;

  // Present-but-non-numeric values skipped since the last call.
  uint64_t take_skipped_non_numeric();
  // Stored features that matched no configured spec since the last call.
  uint64_t take_stale_features();
  size_t profile_count() const { return profiles_.size(); }
  const std::vector<AggregateSpec> &specs() const { return specs_; }

 private:
  struct Profile {
    std::vector<FeatureState> features;
    bool dirty = false;
  };

  Profile &profile(uint64_t id);
  void mark_dirty(uint64_t id, Profile &p);
  void observe(const AggregateSpec &spec, FeatureState &state, const EventSource &events, size_t i);
  void observe_numeric(const AggregateSpec &spec, NumericState &state, const EventSource &events,
                       size_t i);
  bool matches(const AggregateSpec &spec, const EventSource &events, size_t i) const;

  std::vector<AggregateSpec> specs_;
  ProfileMap<Profile> profiles_;  // dense by kernel profile id
  std::vector<uint64_t> dirty_;
  uint64_t skipped_non_numeric_ = 0;
  uint64_t stale_features_ = 0;
  std::string blob_;  // reused encode buffer
};

}  // namespace halo::aggregates
