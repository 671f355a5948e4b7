// aggregate_engine.cpp -- event matching, value extraction and profile
// bookkeeping of aggregate_engine.h.
#include "aggregate_engine.h"

#include <halo/sdk.hpp>

#include <algorithm>
#include <charconv>

#include "state_codec.h"

namespace halo::aggregates {

namespace {

// The value a first/last/distinct aggregate reads from event i.
struct Picked {
  PickKind kind;
  std::string_view text;
};

std::optional<Picked> read_value(const AggregateSpec &spec, const EventSource &events, size_t i) {
  switch (spec.field_kind) {
    case FieldKind::kNone:
    case FieldKind::kTimestamp:
      return Picked{PickKind::kTimestamp, {}};
    case FieldKind::kEventName:
      return Picked{PickKind::kString, events.name(i)};
    case FieldKind::kSource:
      return Picked{PickKind::kString, events.source(i)};
    case FieldKind::kPath:
      break;
  }
  std::optional<FieldValue> v = events.field(i, spec.field_path);
  if (!v) return std::nullopt;
  switch (v->kind) {
    case HALO_VALUE_NUMBER:
      return Picked{PickKind::kNumber, v->text};
    case HALO_VALUE_STRING:
      return Picked{PickKind::kString, v->text};
    case HALO_VALUE_BOOL:
      return Picked{PickKind::kBool, v->boolean ? "true" : "false"};
    default:
      return std::nullopt;  // null: no value
  }
}

}  // namespace

AggregateEngine::AggregateEngine(std::vector<AggregateSpec> specs) : specs_(std::move(specs)) {}

AggregateEngine::Profile &AggregateEngine::profile(uint64_t id) {
  Profile &p = profiles_.get_or_create(id);
  if (p.features.empty() && !specs_.empty()) {
    p.features.reserve(specs_.size());
    for (const AggregateSpec &spec : specs_) p.features.push_back(make_state(spec));
  }
  return p;
}

void AggregateEngine::mark_dirty(uint64_t id, Profile &p) {
  if (p.dirty) return;
  p.dirty = true;
  dirty_.push_back(id);
}

bool AggregateEngine::matches(const AggregateSpec &spec, const EventSource &events,
                              size_t i) const {
  if (spec.event_type != 0 && events.type(i) != spec.event_type) return false;
  if (spec.events.empty()) return true;
  std::string_view name = events.name(i);
  return std::find(spec.events.begin(), spec.events.end(), name) != spec.events.end();
}

namespace {

// The value a numeric spec reads from event i: nullopt when absent or null
// (not a value at all), else the field as found.
std::optional<FieldValue> numeric_input(const AggregateSpec &spec, const EventSource &events,
                                        size_t i) {
  if (!spec.numeric() || spec.field_kind != FieldKind::kPath) return std::nullopt;
  std::optional<FieldValue> v = events.field(i, spec.field_path);
  if (!v || v->kind == HALO_VALUE_NULL) return std::nullopt;
  return v;
}

std::optional<Decimal> exact_number(const FieldValue &v) {
  if (v.kind != HALO_VALUE_NUMBER && v.kind != HALO_VALUE_STRING) return std::nullopt;
  return Decimal::parse(v.text);
}

std::string quoted_prefix(std::string_view text) {
  constexpr size_t kShown = 40;
  std::string out = "\"";
  out.append(text.substr(0, kShown));
  if (text.size() > kShown) out += "...";
  return out + "\"";
}

}  // namespace

bool AggregateEngine::usable(const EventSource &events, size_t i, const Reject &reject) {
  static const Decimal kMax = Decimal::from_int(kMaxAbsValue);
  static const Decimal kMin = Decimal::from_int(-kMaxAbsValue);
  numbers_.assign(specs_.size(), std::nullopt);
  for (size_t f = 0; f < specs_.size(); ++f) {
    const AggregateSpec &spec = specs_[f];
    if (!spec.numeric() || !matches(spec, events, i)) continue;
    std::optional<FieldValue> v = numeric_input(spec, events, i);
    if (!v) continue;
    numbers_[f] = exact_number(*v);
    const std::optional<Decimal> &number = numbers_[f];
    if (number && !(*number < kMin) && !(kMax < *number)) continue;
    const std::string what = "feature '" + spec.name + "' (" + op_name(spec.op) + " of " +
                             spec.field_path + "): value " + quoted_prefix(v->text);
    if (!number) {
      reject(i, "not_a_number",
             what +
                 " is not a number Halo can use exactly (at most 38 significant digits); "
                 "fix it at the source and replay the dead letter");
    } else {
      reject(i, "number_out_of_range",
             what +
                 " is larger in magnitude than 1e18, the most a summed value may be; "
                 "fix it at the source and replay the dead letter");
    }
    return false;
  }
  return true;
}

void AggregateEngine::observe_numeric(size_t f, NumericState &state, const EventSource &events,
                                      size_t i) {
  const AggregateSpec &spec = specs_[f];
  // usable() read and checked the value; absent means no value at all.
  if (spec.numeric() && !numbers_[f]) return;
  Stats *stats = stats_for(state, spec, events.timestamp_ms(i));
  if (stats == nullptr) return;  // older than the window can reach
  ++stats->events;
  if (spec.numeric()) add_number(*stats, *numbers_[f], spec);
}

void AggregateEngine::observe(size_t f, FeatureState &state, const EventSource &events, size_t i) {
  const AggregateSpec &spec = specs_[f];
  if (auto *n = std::get_if<NumericState>(&state)) return observe_numeric(f, *n, events, i);
  std::optional<Picked> value = read_value(spec, events, i);
  if (!value) return;
  int64_t ts = events.timestamp_ms(i);
  if (auto *p = std::get_if<PickState>(&state)) {
    return observe_pick(*p, spec.op, ts, events.sequence(i), value->kind, value->text);
  }
  char digits[24];
  std::string_view text = value->text;
  if (value->kind == PickKind::kTimestamp) {
    auto end = std::to_chars(digits, digits + sizeof digits, ts).ptr;
    text = std::string_view(digits, static_cast<size_t>(end - digits));
  }
  observe_distinct(std::get<DistinctState>(state), text);
}

void AggregateEngine::update(const EventSource &events, const uint64_t *profile_ids,
                             const Reject &reject) {
  size_t n = events.size();
  uint64_t cached_id = 0;
  Profile *cached = nullptr;
  for (size_t i = 0; i < n; ++i) {
    if (!usable(events, i, reject)) continue;
    Profile *p = nullptr;  // created only when a feature matches
    for (size_t f = 0; f < specs_.size(); ++f) {
      if (!matches(specs_[f], events, i)) continue;
      if (p == nullptr) {
        if (cached == nullptr || cached_id != profile_ids[i]) {
          cached = &profile(profile_ids[i]);  // ProfileMap references are stable
          cached_id = profile_ids[i];
        }
        p = cached;
        mark_dirty(cached_id, *p);
      }
      observe(f, p->features[f], events, i);
    }
  }
}

void AggregateEngine::merge(uint64_t from, uint64_t into) {
  if (from == into) return;
  const Profile *found = profiles_.find(from);
  if (found == nullptr) return;    // nothing aggregated for `from`
  const Profile &source = *found;  // pages never move: safe across the insert below
  Profile &target = profile(into);
  for (size_t f = 0; f < specs_.size(); ++f) {
    fold(target.features[f], source.features[f], specs_[f]);
  }
  mark_dirty(into, target);
  profiles_.erase(from);  // a stale dirty_ entry for `from` is skipped on save
}

void AggregateEngine::save_dirty(const StateWrite &write) {
  for (uint64_t id : dirty_) {
    Profile *p = profiles_.find(id);
    if (p == nullptr || !p->dirty) continue;
    blob_.clear();
    encode_states(specs_, p->features, blob_);
    write(id, blob_);
    p->dirty = false;
  }
  dirty_.clear();
}

void AggregateEngine::restore(uint64_t id, std::string_view blob) {
  Profile &p = profile(id);
  try {
    stale_features_ += decode_states(specs_, blob, p.features);
  } catch (const std::exception &e) {
    profiles_.erase(id);
    throw Error("aggregates: corrupt state for profile " + std::to_string(id) + ": " + e.what() +
                "; delete it or run `halo rebuild` to recompute features from the event log");
  }
}

int64_t AggregateEngine::emit(uint64_t id, int64_t as_of_ms, FeatureSink &out) const {
  const Profile *p = profiles_.find(id);
  int64_t next_change = INT64_MAX;
  for (size_t f = 0; f < specs_.size(); ++f) {
    const FeatureState *state = p == nullptr ? nullptr : &p->features[f];
    next_change = std::min(next_change, emit_feature(specs_[f], state, as_of_ms, out));
  }
  return next_change;
}

uint64_t AggregateEngine::take_stale_features() {
  return std::exchange(stale_features_, 0);
}

}  // namespace halo::aggregates
