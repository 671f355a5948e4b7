// feature_state.cpp -- observe/fold operations of feature_state.h.
#include "feature_state.h"

#include <xxhash.h>
#include <halo/sdk.hpp>

#include <algorithm>
#include <tuple>

namespace halo::aggregates {

namespace {

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void combine(Stats &into, const Stats &from, const AggregateSpec &spec) {
  into.events += from.events;
  if (from.numeric == 0) return;
  if (into.numeric == 0) {
    into.min = from.min;
    into.max = from.max;
  } else {
    if (from.min < into.min) into.min = from.min;
    if (into.max < from.max) into.max = from.max;
  }
  into.numeric += from.numeric;
  if (!into.sum.add(from.sum)) {
    throw Error("aggregates: sum overflow in feature '" + spec.name + "'");
  }
}

// Drops buckets no window ending at or after the latest bucket can reach.
void prune(NumericState &state, const AggregateSpec &spec) {
  if (state.latest_bucket == INT64_MIN) return;  // nothing seen yet
  int64_t oldest_kept = state.latest_bucket - spec.window_buckets() + 1;
  auto keep = std::lower_bound(state.buckets.begin(), state.buckets.end(), oldest_kept,
                               [](const Bucket &b, int64_t index) { return b.index < index; });
  state.buckets.erase(state.buckets.begin(), keep);
}

Bucket &bucket_at(NumericState &state, int64_t index) {
  auto it = std::lower_bound(state.buckets.begin(), state.buckets.end(), index,
                             [](const Bucket &b, int64_t i) { return b.index < i; });
  if (it == state.buckets.end() || it->index != index) it = state.buckets.insert(it, {index, {}});
  return *it;
}

void fold_numeric(NumericState &into, const NumericState &from, const AggregateSpec &spec) {
  combine(into.total, from.total, spec);
  if (!spec.windowed()) return;
  into.latest_bucket = std::max(into.latest_bucket, from.latest_bucket);
  for (const Bucket &b : from.buckets) combine(bucket_at(into, b.index).stats, b.stats, spec);
  prune(into, spec);
}

void fold_pick(PickState &into, const PickState &from, Op op) {
  if (from.has) observe_pick(into, op, from.timestamp, from.sequence, from.kind, from.text);
}

void fold_distinct(DistinctState &into, const DistinctState &from) {
  std::vector<uint64_t> merged;
  merged.reserve(into.hashes.size() + from.hashes.size());
  std::set_union(into.hashes.begin(), into.hashes.end(), from.hashes.begin(), from.hashes.end(),
                 std::back_inserter(merged));
  into.hashes.swap(merged);
}

}  // namespace

FeatureState make_state(const AggregateSpec &spec) {
  switch (spec.op) {
    case Op::kFirst:
    case Op::kLast:
      return PickState{};
    case Op::kDistinct:
      return DistinctState{};
    default:
      return NumericState{};
  }
}

Stats *stats_for(NumericState &state, const AggregateSpec &spec, int64_t timestamp) {
  if (!spec.windowed()) return &state.total;
  int64_t index = floor_div(timestamp, spec.bucket_ms);
  bool seen = state.latest_bucket != INT64_MIN;
  if (seen && index <= state.latest_bucket - spec.window_buckets()) return nullptr;
  if (!seen || index > state.latest_bucket) {
    state.latest_bucket = index;
    prune(state, spec);
  }
  return &bucket_at(state, index).stats;
}

void add_number(Stats &stats, const Decimal &value, const AggregateSpec &spec) {
  Stats one;
  one.numeric = 1;
  one.sum = one.min = one.max = value;
  combine(stats, one, spec);
}

void observe_pick(PickState &state, Op op, int64_t timestamp, uint64_t sequence, PickKind kind,
                  std::string_view text) {
  if (state.has) {
    auto incoming = std::tie(timestamp, sequence);
    auto current = std::tie(state.timestamp, state.sequence);
    bool replace = op == Op::kFirst ? incoming < current : current < incoming;
    if (!replace) return;
  }
  state.has = true;
  state.timestamp = timestamp;
  state.sequence = sequence;
  state.kind = kind;
  state.text.assign(text.data(), text.size());
}

void observe_distinct(DistinctState &state, std::string_view value_text) {
  uint64_t h = XXH3_64bits(value_text.data(), value_text.size());
  auto it = std::lower_bound(state.hashes.begin(), state.hashes.end(), h);
  if (it == state.hashes.end() || *it != h) state.hashes.insert(it, h);
}

void fold(FeatureState &into, const FeatureState &from, const AggregateSpec &spec) {
  if (auto *n = std::get_if<NumericState>(&into)) {
    fold_numeric(*n, std::get<NumericState>(from), spec);
  } else if (auto *p = std::get_if<PickState>(&into)) {
    fold_pick(*p, std::get<PickState>(from), spec.op);
  } else {
    fold_distinct(std::get<DistinctState>(into), std::get<DistinctState>(from));
  }
}

Stats window_stats(const NumericState &state, const AggregateSpec &spec, int64_t as_of_ms) {
  if (!spec.windowed()) return state.total;
  int64_t last = floor_div(as_of_ms, spec.bucket_ms);
  int64_t first = last - spec.window_buckets() + 1;
  Stats out;
  for (const Bucket &b : state.buckets) {
    if (b.index >= first && b.index <= last) combine(out, b.stats, spec);
  }
  return out;
}

int64_t next_window_change(const NumericState &state, const AggregateSpec &spec, int64_t as_of_ms) {
  if (!spec.windowed()) return INT64_MAX;
  int64_t last = floor_div(as_of_ms, spec.bucket_ms);
  int64_t first = last - spec.window_buckets() + 1;
  int64_t next = INT64_MAX;
  for (const Bucket &b : state.buckets) {
    // Bucket b is in the window ending in bucket L while first(L) <= b <= L:
    // it enters when L reaches b, and leaves when first(L) passes b.
    int64_t moves_at = b.index > last     ? b.index
                       : b.index >= first ? b.index + spec.window_buckets()
                                          : INT64_MAX;
    if (moves_at == INT64_MAX || moves_at > INT64_MAX / spec.bucket_ms) continue;
    next = std::min(next, moves_at * spec.bucket_ms);
  }
  return next;
}

}  // namespace halo::aggregates
