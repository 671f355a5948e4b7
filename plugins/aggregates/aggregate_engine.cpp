// aggregate_engine.cpp -- event matching, value extraction and profile
// bookkeeping of aggregate_engine.h.
#include "aggregate_engine.h"

#include <halo/field_path.hpp>
#include <halo/sdk.hpp>

#include <algorithm>
#include <charconv>

#include "state_codec.h"

namespace halo::aggregates {

namespace {

// The values feature `spec` reads from event i into `out` (cleared): one
// for a plain path, one per list element for a path with `[]`; none when
// absent. Nulls are no value and left out.
void field_values(const AggregateSpec &spec, const EventSource &events, size_t i,
                  std::vector<FieldValue> &out) {
  out.clear();
  if (spec.field_kind != FieldKind::kPath) return;
  if (spec.elements) {
    events.elements(i, spec.field_path, out);
    std::erase_if(out, [](const FieldValue &v) { return v.kind == HALO_VALUE_NULL; });
  } else if (std::optional<FieldValue> v = events.field(i, spec.field_path);
             v && v->kind != HALO_VALUE_NULL) {
    out.push_back(*v);
  }
}

// What a first/last/distinct aggregate reads from event i that is not a
// field of its own: nullopt for kPath.
std::optional<Picked> event_value(const AggregateSpec &spec, const EventSource &events, size_t i) {
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
  return std::nullopt;
}

std::optional<Picked> picked(const FieldValue &v) {
  switch (v.kind) {
    case HALO_VALUE_NUMBER:
      return Picked{PickKind::kNumber, v.text};
    case HALO_VALUE_STRING:
      return Picked{PickKind::kString, v.text};
    case HALO_VALUE_BOOL:
      return Picked{PickKind::kBool, v.boolean ? "true" : "false"};
    default:
      return std::nullopt;
  }
}

}  // namespace

AggregateEngine::AggregateEngine(std::vector<AggregateSpec> specs)
    : specs_(std::move(specs)),
      layout_(RecordLayout::of(specs_)),
      profiles_(layout_.record_bytes) {}

void AggregateEngine::erase(uint64_t id) {
  std::byte *record = profiles_.find(id);
  if (record == nullptr) return;
  for (size_t f = 0; f < specs_.size(); ++f) {
    if (layout_.owns(f)) release(layout_.kinds[f], record + layout_.offsets[f], pools_);
  }
  profiles_.erase(id);
}

size_t AggregateEngine::memory_bytes() const {
  return profiles_.memory_bytes() + pools_.memory_bytes();
}

bool AggregateEngine::matches(const AggregateSpec &spec, const EventSource &events,
                              size_t i) const {
  if (spec.event_type != 0 && events.type(i) != spec.event_type) return false;
  if (spec.events.empty()) return true;
  std::string_view name = events.name(i);
  return std::find(spec.events.begin(), spec.events.end(), name) != spec.events.end();
}

namespace {

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

// Reports event i refused for the value `v` feature `spec` read: not a
// number it can use exactly, or (`number`) one too large to sum.
void refuse(const AggregateSpec &spec, const FieldValue &v, bool number, size_t i,
            const AggregateEngine::Reject &reject) {
  const std::string what = "feature '" + spec.name + "' (" + op_name(spec.op) + " of " +
                           spec.field_path + "): value " + quoted_prefix(v.text);
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
}

}  // namespace

bool AggregateEngine::usable(const EventSource &events, size_t i, const Reject &reject) {
  static const Decimal kMax = Decimal::from_int(kMaxAbsValue);
  static const Decimal kMin = Decimal::from_int(-kMaxAbsValue);
  numbers_.resize(specs_.size());
  for (size_t f = 0; f < specs_.size(); ++f) {
    const AggregateSpec &spec = specs_[f];
    numbers_[f].clear();
    if (!layout_.owns(f) || !spec.numeric() || !matches(spec, events, i)) continue;
    field_values(spec, events, i, inputs_);
    for (const FieldValue &v : inputs_) {
      const std::optional<Decimal> number = exact_number(v);
      if (number && !(*number < kMin) && !(kMax < *number)) {
        numbers_[f].push_back(*number);
        continue;
      }
      refuse(spec, v, number.has_value(), i, reject);
      return false;
    }
  }
  return true;
}

void AggregateEngine::observe_numeric(size_t f, std::byte *slot, const EventSource &events,
                                      size_t i) {
  const AggregateSpec &spec = specs_[f];
  // usable() read and checked the values; none means no value at all.
  const std::vector<Decimal> &numbers = numbers_[f];
  if (spec.numeric() && numbers.empty()) return;
  switch (layout_.kinds[f]) {
    case SlotKind::kCount:
      return store(slot, CountSlot{load<CountSlot>(slot).events + 1});
    case SlotKind::kTotal: {
      TotalSlot total = load<TotalSlot>(slot);
      for (const Decimal &number : numbers) add_number(total, number, spec);
      return store(slot, total);
    }
    case SlotKind::kExtreme: {
      ExtremeSlot extreme = load<ExtremeSlot>(slot);
      for (const Decimal &number : numbers) add_number(extreme, number, spec.op);
      return store(slot, extreme);
    }
    default:
      break;
  }
  Stats *stats = stats_for(window_of(slot, pools_), spec, events.timestamp_ms(i));
  if (stats == nullptr) return;  // older than the window can reach
  ++stats->events;
  if (!spec.numeric()) return;
  for (const Decimal &number : numbers) add_number(*stats, number, spec);
}

void AggregateEngine::observe_value(size_t f, std::byte *slot, const EventSource &events,
                                    size_t i) {
  const AggregateSpec &spec = specs_[f];
  const int64_t ts = events.timestamp_ms(i);
  if (std::optional<Picked> value = event_value(spec, events, i)) {
    return observe_one(f, slot, ts, events.sequence(i), *value);
  }
  field_values(spec, events, i, inputs_);
  // The elements of one event share its time and position, and a pick
  // replaces only for a later (last) or earlier (first) one: the list's
  // last element is offered first to `last`, its first to `first`.
  const bool backwards = spec.op == Op::kLast;
  for (size_t k = 0; k < inputs_.size(); ++k) {
    const FieldValue &v = inputs_[backwards ? inputs_.size() - 1 - k : k];
    if (std::optional<Picked> value = picked(v)) {
      observe_one(f, slot, ts, events.sequence(i), *value);
    }
  }
}

void AggregateEngine::observe_one(size_t f, std::byte *slot, int64_t ts, uint64_t sequence,
                                  const Picked &value) {
  if (layout_.kinds[f] == SlotKind::kPick) {
    PickSlot pick = load<PickSlot>(slot);
    observe_pick(pick, pools_, specs_[f].op, ts, sequence, value.kind, value.text);
    return store(slot, pick);
  }
  char digits[24];
  std::string_view text = value.text;
  if (value.kind == PickKind::kTimestamp) {
    auto end = std::to_chars(digits, digits + sizeof digits, ts).ptr;
    text = std::string_view(digits, static_cast<size_t>(end - digits));
  }
  observe_distinct(hashes_of(slot, pools_), text);
}

void AggregateEngine::observe(size_t f, std::byte *record, const EventSource &events, size_t i) {
  std::byte *slot = record + layout_.offsets[f];
  SlotKind kind = layout_.kinds[f];
  if (kind == SlotKind::kPick || kind == SlotKind::kDistinct) {
    return observe_value(f, slot, events, i);
  }
  observe_numeric(f, slot, events, i);
}

void AggregateEngine::update(const EventSource &events, const uint64_t *profile_ids,
                             const Reject &reject) {
  size_t n = events.size();
  uint64_t cached_id = 0;
  std::byte *cached = nullptr;
  constexpr size_t kAhead = 4;  // records whose loads are started early
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) profiles_.prefetch(profile_ids[i + kAhead]);
    if (!usable(events, i, reject)) continue;
    std::byte *record = nullptr;  // created only when a feature matches
    for (size_t f = 0; f < specs_.size(); ++f) {
      if (!layout_.owns(f) || !matches(specs_[f], events, i)) continue;
      if (record == nullptr) {
        if (cached == nullptr || cached_id != profile_ids[i]) {
          cached = profiles_.get_or_create(profile_ids[i]);  // records never move
          cached_id = profile_ids[i];
        }
        record = cached;
        profiles_.mark_dirty(cached_id);
      }
      observe(f, record, events, i);
    }
  }
}

void AggregateEngine::merge(uint64_t from, uint64_t into) {
  if (from == into) return;
  const std::byte *source = profiles_.find(from);
  if (source == nullptr) return;                      // nothing aggregated for `from`
  std::byte *target = profiles_.get_or_create(into);  // records never move: `source` stays valid
  for (size_t f = 0; f < specs_.size(); ++f) {
    size_t at = layout_.offsets[f];
    if (layout_.owns(f)) fold(specs_[f], layout_.kinds[f], target + at, source + at, pools_);
  }
  profiles_.mark_dirty(into);
  erase(from);  // also forgets whether `from` was dirty
}

void AggregateEngine::save_dirty(const StateWrite &write) {
  profiles_.take_dirty([&](uint64_t id, const std::byte *record) {
    blob_.clear();
    encode_states(specs_, layout_, record, pools_, blob_);
    write(id, blob_);
  });
}

void AggregateEngine::restore(uint64_t id, std::string_view blob) {
  std::byte *record = profiles_.get_or_create(id);
  try {
    stale_features_ += decode_states(specs_, layout_, blob, record, pools_);
  } catch (const std::exception &e) {
    erase(id);
    throw Error("aggregates: corrupt state for profile " + std::to_string(id) + ": " + e.what() +
                "; delete it or run `halo rebuild` to recompute features from the event log");
  }
}

int64_t AggregateEngine::emit(uint64_t id, int64_t as_of_ms, FeatureSink &out) const {
  const std::byte *record = profiles_.find(id);
  int64_t next_change = INT64_MAX;
  for (size_t f = 0; f < specs_.size(); ++f) {
    const std::byte *slot = record == nullptr ? nullptr : record + layout_.offsets[f];
    next_change = std::min(next_change,
                           emit_feature(specs_[f], layout_.kinds[f], slot, pools_, as_of_ms, out));
  }
  return next_change;
}

uint64_t AggregateEngine::take_stale_features() {
  return std::exchange(stale_features_, 0);
}

}  // namespace halo::aggregates
