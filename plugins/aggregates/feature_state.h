// feature_state.h -- the incremental state of one aggregate for one profile,
// and the exact operations on it: observe one event, fold another state in.
//
// Invariants:
//  - Folding is commutative and associative: any split of an event stream
//    across states, folded in any order, equals one state that saw it all
//    (sums are exact, first/last order by (timestamp, sequence), distinct
//    sets union, buckets add and prune relative to the latest bucket).
//  - Windowed states keep only buckets with index > latest_bucket - N (N =
//    window / bucket width), sorted by index, so they stay bounded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "aggregate_spec.h"
#include "decimal.h"

namespace halo::aggregates {

struct Stats {
  int64_t events = 0;   // matching events (count)
  int64_t numeric = 0;  // numeric values seen (sum/avg/min/max)
  Decimal sum, min, max;
};

struct Bucket {
  int64_t index = 0;  // floor(timestamp / bucket width)
  Stats stats;
};

struct NumericState {
  Stats total;                  // all-time aggregates
  std::vector<Bucket> buckets;  // windowed aggregates
  int64_t latest_bucket = INT64_MIN;
};

enum class PickKind : uint8_t { kNumber = 1, kString = 2, kBool = 3, kTimestamp = 4 };

struct PickState {  // first / last
  bool has = false;
  int64_t timestamp = 0;
  uint64_t sequence = 0;
  PickKind kind = PickKind::kTimestamp;
  std::string text;  // literal number text, string, "true"/"false"; empty for timestamps
};

struct DistinctState {
  std::vector<uint64_t> hashes;  // sorted, unique XXH3 hashes of value texts
};

using FeatureState = std::variant<NumericState, PickState, DistinctState>;

FeatureState make_state(const AggregateSpec &spec);

// Selects the Stats an event at `timestamp` updates: the totals, its bucket,
// or nullptr when the event is older than any window can reach.
Stats *stats_for(NumericState &state, const AggregateSpec &spec, int64_t timestamp);
// Adds a number; throws halo::Error naming the feature on overflow.
void add_number(Stats &stats, const Decimal &value, const AggregateSpec &spec);

void observe_pick(PickState &state, Op op, int64_t timestamp, uint64_t sequence, PickKind kind,
                  std::string_view text);
void observe_distinct(DistinctState &state, std::string_view value_text);

// Folds `from` into `into` (both of `spec`).
void fold(FeatureState &into, const FeatureState &from, const AggregateSpec &spec);

// The aggregate of the buckets in the window ending at as_of_ms.
Stats window_stats(const NumericState &state, const AggregateSpec &spec, int64_t as_of_ms);
// The earliest time after as_of_ms at which window_stats changes with no
// new event: a bucket inside the window leaves it, or a bucket of a later
// (future-dated) event enters it. INT64_MAX when it never does (not
// windowed, or no bucket that could move).
int64_t next_window_change(const NumericState &state, const AggregateSpec &spec, int64_t as_of_ms);

}  // namespace halo::aggregates
