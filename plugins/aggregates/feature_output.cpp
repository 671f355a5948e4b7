// feature_output.cpp -- value formatting of feature_output.h.
#include "feature_output.h"

#include <cstdio>

#include "common/time_text.h"

namespace halo::aggregates {

using plugins::format_iso8601;

namespace {

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
