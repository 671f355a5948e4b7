// feature_state.cpp -- slot layout, observe/fold/release operations of
// feature_state.h.
#include "feature_state.h"

#include <xxhash.h>
#include <halo/sdk.hpp>

#include <algorithm>
#include <iterator>
#include <tuple>

#include "common/time_text.h"

namespace halo::aggregates {

namespace {

using plugins::floor_div;

static_assert(sizeof(CountSlot) == 8 && sizeof(TotalSlot) == 24 && sizeof(ExtremeSlot) == 24);
static_assert(kSlotBytes<PickSlot> == 21 && sizeof(HandleSlot) == 4);

[[noreturn]] void overflow(const AggregateSpec &spec) {
  throw Error("aggregates: sum overflow in feature '" + spec.name + "'");
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
  if (!into.sum.add(from.sum)) overflow(spec);
}

// Drops buckets no window ending at or after the latest bucket can reach.
void prune(WindowState &state, const AggregateSpec &spec) {
  if (state.latest_bucket == INT64_MIN) return;  // nothing seen yet
  int64_t oldest_kept = state.latest_bucket - spec.window_buckets() + 1;
  auto keep = std::lower_bound(state.buckets.begin(), state.buckets.end(), oldest_kept,
                               [](const Bucket &b, int64_t index) { return b.index < index; });
  state.buckets.erase(state.buckets.begin(), keep);
}

Bucket &bucket_at(WindowState &state, int64_t index) {
  auto it = std::lower_bound(state.buckets.begin(), state.buckets.end(), index,
                             [](const Bucket &b, int64_t i) { return b.index < i; });
  if (it == state.buckets.end() || it->index != index) it = state.buckets.insert(it, {index, {}});
  return *it;
}

template <class T>
void fold_with(std::byte *into, const std::byte *from, auto &&fn) {
  T target = load<T>(into);
  fn(target, load<T>(from));
  store(into, target);
}

void fold_window(const AggregateSpec &spec, std::byte *into, const std::byte *from,
                 StatePools &pools) {
  uint32_t source = load<HandleSlot>(from).handle;
  if (source == 0) return;  // fresh: nothing to add
  WindowState &target = window_of(into, pools);
  const WindowState &other = pools.windows.at(source);  // stable: pools never move items
  target.latest_bucket = std::max(target.latest_bucket, other.latest_bucket);
  for (const Bucket &b : other.buckets) combine(bucket_at(target, b.index).stats, b.stats, spec);
  prune(target, spec);
}

void fold_distinct(std::byte *into, const std::byte *from, StatePools &pools) {
  uint32_t source = load<HandleSlot>(from).handle;
  if (source == 0) return;
  HashSet &target = hashes_of(into, pools);
  const HashSet &other = pools.hashes.at(source);
  HashSet merged;
  merged.reserve(target.size() + other.size());
  std::set_union(target.begin(), target.end(), other.begin(), other.end(),
                 std::back_inserter(merged));
  target.swap(merged);
}

}  // namespace

SlotKind slot_kind(const AggregateSpec &spec) {
  switch (spec.op) {
    case Op::kFirst:
    case Op::kLast:
      return SlotKind::kPick;
    case Op::kDistinct:
      return SlotKind::kDistinct;
    default:
      break;
  }
  if (spec.windowed()) return SlotKind::kWindow;
  if (spec.op == Op::kCount) return SlotKind::kCount;
  return spec.op == Op::kSum || spec.op == Op::kAvg ? SlotKind::kTotal : SlotKind::kExtreme;
}

size_t slot_bytes(SlotKind kind) {
  switch (kind) {
    case SlotKind::kCount:
      return kSlotBytes<CountSlot>;
    case SlotKind::kTotal:
      return kSlotBytes<TotalSlot>;
    case SlotKind::kExtreme:
      return kSlotBytes<ExtremeSlot>;
    case SlotKind::kPick:
      return kSlotBytes<PickSlot>;
    default:
      return kSlotBytes<HandleSlot>;
  }
}

bool shares_accumulator(const AggregateSpec &a, const AggregateSpec &b) {
  SlotKind kind = slot_kind(a);
  if (kind != slot_kind(b) || a.events != b.events || a.event_type != b.event_type ||
      a.field_kind != b.field_kind || a.field_path != b.field_path || a.window_ms != b.window_ms ||
      a.bucket_ms != b.bucket_ms) {
    return false;
  }
  switch (kind) {
    case SlotKind::kTotal:  // sum, avg: values seen and their sum
    case SlotKind::kCount:
      return true;
    case SlotKind::kWindow:  // buckets of events, values seen, sum, min, max
      return a.numeric() == b.numeric();
    default:  // the slot depends on the op (min or max, first or last)
      return a.op == b.op;
  }
}

RecordLayout RecordLayout::of(const std::vector<AggregateSpec> &specs) {
  RecordLayout layout;
  for (size_t f = 0; f < specs.size(); ++f) {
    SlotKind kind = slot_kind(specs[f]);
    size_t owner = 0;
    while (owner < f && !(layout.owns(owner) && shares_accumulator(specs[owner], specs[f]))) {
      ++owner;
    }
    layout.kinds.push_back(kind);
    layout.owners.push_back(static_cast<uint32_t>(owner));
    if (owner < f) {
      layout.offsets.push_back(layout.offsets[owner]);
      continue;
    }
    layout.offsets.push_back(static_cast<uint32_t>(layout.record_bytes));
    layout.record_bytes += slot_bytes(kind);
  }
  return layout;
}

size_t StatePools::memory_bytes() const {
  size_t bytes = texts.own_bytes() + windows.own_bytes() + hashes.own_bytes();
  constexpr size_t kInline = 15;  // libstdc++ keeps up to 15 chars in the string itself
  texts.for_each_live([&](const std::string &t) {
    if (t.capacity() > kInline) bytes += t.capacity() + 1;
  });
  windows.for_each_live(
      [&](const WindowState &w) { bytes += w.buckets.capacity() * sizeof(Bucket); });
  hashes.for_each_live([&](const HashSet &h) { bytes += h.capacity() * sizeof(uint64_t); });
  return bytes;
}

Stats *stats_for(WindowState &state, const AggregateSpec &spec, int64_t timestamp) {
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

void add_number(TotalSlot &slot, const Decimal &value, const AggregateSpec &spec) {
  ++slot.numeric;
  if (!slot.sum.add(value)) overflow(spec);
}

void add_number(ExtremeSlot &slot, const Decimal &value, Op op) {
  bool replace = slot.numeric == 0 || (op == Op::kMin ? value < slot.value : slot.value < value);
  if (replace) slot.value = value;
  ++slot.numeric;
}

void observe_pick(PickSlot &slot, StatePools &pools, Op op, int64_t timestamp, uint64_t sequence,
                  PickKind kind, std::string_view text) {
  if (slot.kind != PickKind::kNone) {
    auto incoming = std::tie(timestamp, sequence);
    auto current = std::tie(slot.timestamp, slot.sequence);
    bool replace = op == Op::kFirst ? incoming < current : current < incoming;
    if (!replace) return;
  }
  slot.timestamp = timestamp;
  slot.sequence = sequence;
  slot.kind = kind;
  if (text.empty()) {
    pools.texts.release(slot.text);
    slot.text = 0;
  } else if (slot.text != 0) {
    pools.texts.at(slot.text).assign(text.data(), text.size());
  } else {
    slot.text = pools.texts.add(std::string(text));
  }
}

void observe_distinct(HashSet &hashes, std::string_view value_text) {
  uint64_t h = XXH3_64bits(value_text.data(), value_text.size());
  auto it = std::lower_bound(hashes.begin(), hashes.end(), h);
  if (it == hashes.end() || *it != h) hashes.insert(it, h);
}

namespace {

// The pooled part a handle slot names, created empty on first use.
template <class Pool>
auto &pooled(std::byte *slot, Pool &pool) {
  HandleSlot s = load<HandleSlot>(slot);
  if (s.handle == 0) {
    s.handle = pool.add({});
    store(slot, s);
  }
  return pool.at(s.handle);
}

}  // namespace

WindowState &window_of(std::byte *slot, StatePools &pools) {
  return pooled(slot, pools.windows);
}

HashSet &hashes_of(std::byte *slot, StatePools &pools) {
  return pooled(slot, pools.hashes);
}

void fold(const AggregateSpec &spec, SlotKind kind, std::byte *into, const std::byte *from,
          StatePools &pools) {
  switch (kind) {
    case SlotKind::kCount:
      return fold_with<CountSlot>(into, from,
                                  [](CountSlot &a, const CountSlot &b) { a.events += b.events; });
    case SlotKind::kTotal:
      return fold_with<TotalSlot>(into, from, [&](TotalSlot &a, const TotalSlot &b) {
        a.numeric += b.numeric;
        if (!a.sum.add(b.sum)) overflow(spec);
      });
    case SlotKind::kExtreme:
      return fold_with<ExtremeSlot>(into, from, [&](ExtremeSlot &a, const ExtremeSlot &b) {
        if (b.numeric == 0) return;
        bool replace =
            a.numeric == 0 || (spec.op == Op::kMin ? b.value < a.value : a.value < b.value);
        if (replace) a.value = b.value;
        a.numeric += b.numeric;
      });
    case SlotKind::kPick:
      return fold_with<PickSlot>(into, from, [&](PickSlot &a, const PickSlot &b) {
        if (b.kind == PickKind::kNone) return;
        observe_pick(a, pools, spec.op, b.timestamp, b.sequence, b.kind, pools.text(b.text));
      });
    case SlotKind::kWindow:
      return fold_window(spec, into, from, pools);
    case SlotKind::kDistinct:
      return fold_distinct(into, from, pools);
  }
}

void release(SlotKind kind, std::byte *slot, StatePools &pools) {
  switch (kind) {
    case SlotKind::kPick:
      pools.texts.release(load<PickSlot>(slot).text);
      break;
    case SlotKind::kWindow:
      pools.windows.release(load<HandleSlot>(slot).handle);
      break;
    case SlotKind::kDistinct:
      pools.hashes.release(load<HandleSlot>(slot).handle);
      break;
    default:
      break;
  }
  std::memset(slot, 0, slot_bytes(kind));
}

Stats window_stats(const WindowState &state, const AggregateSpec &spec, int64_t as_of_ms) {
  int64_t last = floor_div(as_of_ms, spec.bucket_ms);
  int64_t first = last - spec.window_buckets() + 1;
  Stats out;
  for (const Bucket &b : state.buckets) {
    if (b.index >= first && b.index <= last) combine(out, b.stats, spec);
  }
  return out;
}

int64_t next_window_change(const WindowState &state, const AggregateSpec &spec, int64_t as_of_ms) {
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
