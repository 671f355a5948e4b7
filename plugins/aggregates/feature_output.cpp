// feature_output.cpp -- value formatting of feature_output.h.
#include "feature_output.h"

#include <cstdio>

namespace halo::aggregates {

namespace {

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Howard Hinnant's civil_from_days: days since 1970-01-01 -> y/m/d.
void civil_from_days(int64_t z, int64_t &y, unsigned &m, unsigned &d) {
  z += 719468;
  int64_t era = floor_div(z, 146097);
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

void emit_numeric(const AggregateSpec &spec, const Stats &s, FeatureSink &out) {
  switch (spec.op) {
    case Op::kCount:
      return out.integer(spec.name, s.events);
    case Op::kSum:
      return out.number(spec.name, s.sum.to_string());
    case Op::kAvg:
      if (s.numeric == 0) return out.null(spec.name);
      return out.number(spec.name, s.sum.divide_rounded(s.numeric, 6).to_string());
    case Op::kMin:
      if (s.numeric == 0) return out.null(spec.name);
      return out.number(spec.name, s.min.to_string());
    default:
      if (s.numeric == 0) return out.null(spec.name);
      return out.number(spec.name, s.max.to_string());
  }
}

void emit_total(const AggregateSpec &spec, const TotalSlot &s, FeatureSink &out) {
  if (spec.op == Op::kSum) return out.number(spec.name, s.sum.to_string());
  if (s.numeric == 0) return out.null(spec.name);
  out.number(spec.name, s.sum.divide_rounded(s.numeric, 6).to_string());
}

void emit_extreme(const AggregateSpec &spec, const ExtremeSlot &s, FeatureSink &out) {
  if (s.numeric == 0) return out.null(spec.name);
  out.number(spec.name, s.value.to_string());
}

void emit_pick(const AggregateSpec &spec, const PickSlot &p, std::string_view text,
               FeatureSink &out) {
  switch (p.kind) {
    case PickKind::kNone:
      return out.null(spec.name);
    case PickKind::kTimestamp:
      return out.string(spec.name, format_iso8601(p.timestamp));
    case PickKind::kNumber:
      return out.number(spec.name, text);
    case PickKind::kBool:
      return out.boolean(spec.name, text == "true");
    default:
      return out.string(spec.name, text);
  }
}

// Emits a windowed feature; returns when its value next changes.
int64_t emit_window(const AggregateSpec &spec, uint32_t handle, const StatePools &pools,
                    int64_t as_of_ms, FeatureSink &out) {
  if (handle == 0) {
    emit_numeric(spec, Stats{}, out);
    return INT64_MAX;
  }
  const WindowState &w = pools.windows.at(handle);
  emit_numeric(spec, window_stats(w, spec, as_of_ms), out);
  return next_window_change(w, spec, as_of_ms);
}

}  // namespace

std::string format_iso8601(int64_t epoch_ms) {
  int64_t days = floor_div(epoch_ms, 86'400'000);
  int64_t ms_of_day = epoch_ms - days * 86'400'000;
  int64_t year;
  unsigned month, day;
  civil_from_days(days, year, month, day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<long long>(year), month, day, static_cast<int>(ms_of_day / 3'600'000),
                static_cast<int>(ms_of_day / 60'000 % 60), static_cast<int>(ms_of_day / 1000 % 60),
                static_cast<int>(ms_of_day % 1000));
  return buf;
}

int64_t emit_feature(const AggregateSpec &spec, SlotKind kind, const std::byte *slot,
                     const StatePools &pools, int64_t as_of_ms, FeatureSink &out) {
  static constexpr std::byte kFresh[32] = {};  // every slot kind reads zeros as fresh
  if (slot == nullptr) slot = kFresh;
  switch (kind) {
    case SlotKind::kCount:
      out.integer(spec.name, load<CountSlot>(slot).events);
      break;
    case SlotKind::kTotal:
      emit_total(spec, load<TotalSlot>(slot), out);
      break;
    case SlotKind::kExtreme:
      emit_extreme(spec, load<ExtremeSlot>(slot), out);
      break;
    case SlotKind::kPick: {
      PickSlot p = load<PickSlot>(slot);
      emit_pick(spec, p, pools.text(p.text), out);
      break;
    }
    case SlotKind::kWindow:
      return emit_window(spec, load<HandleSlot>(slot).handle, pools, as_of_ms, out);
    case SlotKind::kDistinct: {
      uint32_t h = load<HandleSlot>(slot).handle;
      out.integer(spec.name, h == 0 ? 0 : static_cast<int64_t>(pools.hashes.at(h).size()));
      break;
    }
  }
  return INT64_MAX;
}

}  // namespace halo::aggregates
