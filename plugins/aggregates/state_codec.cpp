// state_codec.cpp -- binary encoding of feature states (see state_codec.h).
//
// Payloads:
//   numeric:  all-time -> stats;  windowed -> svarint latest_bucket |
//             varint n | n x { svarint index | stats }
//     stats:  varint events | varint numeric | dec sum | (numeric > 0:
//             dec min | dec max);  dec = zigzag LEB128 of the 128-bit raw
//   pick:     u8 has | (has: svarint ts | varint seq | u8 kind | varint len |
//             bytes)
//   distinct: varint n | n x u64 (sorted ascending)
// All-time count, sum/avg and min/max slots are written as the same stats:
// events = numeric for sum/avg/min/max (feature_state.h), and the decimals
// an op does not keep as 0.
#include "state_codec.h"

#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "common/byte_codec.h"

namespace halo::aggregates {

namespace {

using U128 = unsigned __int128;

using Writer = plugins::ByteWriter;
using Reader = plugins::ByteReader;

void put_stats(Writer &w, const Stats &s) {
  w.varint(U128(s.events));
  w.varint(U128(s.numeric));
  w.svarint(s.sum.raw());
  if (s.numeric > 0) {
    w.svarint(s.min.raw());
    w.svarint(s.max.raw());
  }
}

Stats get_stats(Reader &r) {
  Stats s;
  s.events = r.count();
  s.numeric = r.count();
  s.sum = Decimal::from_raw(r.svarint());
  if (s.numeric > 0) {
    s.min = Decimal::from_raw(r.svarint());
    s.max = Decimal::from_raw(r.svarint());
  }
  return s;
}

// The stats an all-time slot stands for (unkept decimals 0).
Stats stats_of(const AggregateSpec &spec, SlotKind kind, const std::byte *slot) {
  Stats s;
  if (kind == SlotKind::kCount) {
    s.events = load<CountSlot>(slot).events;
  } else if (kind == SlotKind::kTotal) {
    TotalSlot t = load<TotalSlot>(slot);
    s.events = s.numeric = t.numeric;
    s.sum = t.sum;
  } else {
    ExtremeSlot e = load<ExtremeSlot>(slot);
    s.events = s.numeric = e.numeric;
    (spec.op == Op::kMin ? s.min : s.max) = e.value;
  }
  return s;
}

void put_window(Writer &w, const StatePools &pools, uint32_t handle) {
  static const WindowState kFresh;
  const WindowState &state = handle == 0 ? kFresh : pools.windows.at(handle);
  w.svarint(state.latest_bucket);
  w.varint(state.buckets.size());
  for (const Bucket &b : state.buckets) {
    w.svarint(b.index);
    put_stats(w, b.stats);
  }
}

void put_pick(Writer &w, const StatePools &pools, const PickSlot &p) {
  w.byte(p.kind != PickKind::kNone ? 1 : 0);
  if (p.kind == PickKind::kNone) return;
  std::string_view text = pools.text(p.text);
  w.svarint(p.timestamp);
  w.varint(p.sequence);
  w.byte(static_cast<uint8_t>(p.kind));
  w.varint(text.size());
  w.bytes(text);
}

void put_distinct(Writer &w, const StatePools &pools, uint32_t handle) {
  if (handle == 0) return w.varint(0);
  const HashSet &hashes = pools.hashes.at(handle);
  w.varint(hashes.size());
  for (uint64_t h : hashes) w.fixed(h, 8);
}

void put_payload(Writer &w, const AggregateSpec &spec, SlotKind kind, const std::byte *slot,
                 const StatePools &pools) {
  switch (kind) {
    case SlotKind::kWindow:
      return put_window(w, pools, load<HandleSlot>(slot).handle);
    case SlotKind::kPick:
      return put_pick(w, pools, load<PickSlot>(slot));
    case SlotKind::kDistinct:
      return put_distinct(w, pools, load<HandleSlot>(slot).handle);
    default:
      return put_stats(w, stats_of(spec, kind, slot));
  }
}

// Keeps of all-time stats what the slot's op needs.
void set_stats(const AggregateSpec &spec, SlotKind kind, const Stats &s, std::byte *slot) {
  if (kind == SlotKind::kCount) {
    store(slot, CountSlot{s.events});
  } else if (kind == SlotKind::kTotal) {
    store(slot, TotalSlot{s.numeric, s.sum});
  } else {
    store(slot, ExtremeSlot{s.numeric, spec.op == Op::kMin ? s.min : s.max});
  }
}

void get_window(Reader &r, std::byte *slot, StatePools &pools) {
  int64_t latest = static_cast<int64_t>(r.svarint());
  int64_t count = r.count();
  if (latest == INT64_MIN && count == 0) return;  // fresh: nothing to keep
  WindowState &n = window_of(slot, pools);        // owned by the slot before any throw
  n.latest_bucket = latest;
  for (int64_t i = 0; i < count; ++i) {
    Bucket b;
    b.index = static_cast<int64_t>(r.svarint());
    if (!n.buckets.empty() && b.index <= n.buckets.back().index) {
      throw std::runtime_error("window buckets out of order");
    }
    b.stats = get_stats(r);
    n.buckets.push_back(b);
  }
}

void get_pick(Reader &r, std::byte *slot, StatePools &pools) {
  uint8_t has = r.byte();
  if (has > 1) throw std::runtime_error("bad first/last flag");
  if (has == 0) return;
  PickSlot p;
  p.timestamp = static_cast<int64_t>(r.svarint());
  p.sequence = static_cast<uint64_t>(r.varint());
  uint8_t kind = r.byte();
  if (kind < 1 || kind > 4) throw std::runtime_error("bad first/last value kind");
  p.kind = static_cast<PickKind>(kind);
  std::string_view text = r.bytes(static_cast<size_t>(r.count()));
  if (!text.empty()) p.text = pools.texts.add(std::string(text));
  store(slot, p);
}

void get_distinct(Reader &r, std::byte *slot, StatePools &pools) {
  int64_t count = r.count();
  if (count == 0) return;
  HashSet &d = hashes_of(slot, pools);  // owned by the slot before any throw
  for (int64_t i = 0; i < count; ++i) {
    uint64_t h = r.fixed(8);
    if (!d.empty() && h <= d.back()) throw std::runtime_error("distinct hashes out of order");
    d.push_back(h);
  }
}

void get_payload(std::string_view payload, const AggregateSpec &spec, SlotKind kind,
                 std::byte *slot, StatePools &pools) {
  Reader r(payload);
  release(kind, slot, pools);  // the stored state replaces the slot's
  switch (kind) {
    case SlotKind::kWindow:
      get_window(r, slot, pools);
      break;
    case SlotKind::kPick:
      get_pick(r, slot, pools);
      break;
    case SlotKind::kDistinct:
      get_distinct(r, slot, pools);
      break;
    default:
      set_stats(spec, kind, get_stats(r), slot);
      break;
  }
  if (!r.done()) throw std::runtime_error("trailing bytes in feature '" + spec.name + "'");
}

// How many events a slot has seen (a pick: whether it holds a value).
int64_t slot_weight(SlotKind kind, const std::byte *slot, StatePools &pools) {
  switch (kind) {
    case SlotKind::kCount:
      return load<CountSlot>(slot).events;
    case SlotKind::kTotal:
      return load<TotalSlot>(slot).numeric;
    case SlotKind::kExtreme:
      return load<ExtremeSlot>(slot).numeric;
    case SlotKind::kPick:
      return load<PickSlot>(slot).kind != PickKind::kNone ? 1 : 0;
    case SlotKind::kWindow: {
      uint32_t handle = load<HandleSlot>(slot).handle;
      int64_t events = 0;
      if (handle != 0) {
        for (const Bucket &b : pools.windows.at(handle).buckets) events += b.stats.events;
      }
      return events;
    }
    case SlotKind::kDistinct: {
      uint32_t handle = load<HandleSlot>(slot).handle;
      return handle == 0 ? 0 : static_cast<int64_t>(pools.hashes.at(handle).size());
    }
  }
  return 0;
}

// The weight of a payload's state, decoded into a scratch slot.
int64_t payload_weight(const AggregateSpec &spec, SlotKind kind, std::string_view payload,
                       StatePools &pools) {
  std::vector<std::byte> scratch(slot_bytes(kind));
  try {
    get_payload(payload, spec, kind, scratch.data(), pools);
  } catch (...) {
    release(kind, scratch.data(), pools);  // what it decoded before the throw
    throw;
  }
  int64_t weight = slot_weight(kind, scratch.data(), pools);
  release(kind, scratch.data(), pools);
  return weight;
}

}  // namespace

void encode_states(const std::vector<AggregateSpec> &specs, const RecordLayout &layout,
                   const std::byte *record, const StatePools &pools, std::string &out) {
  Writer w(out);
  w.byte(kStateVersion);
  w.varint(specs.size());
  std::string payload;
  for (size_t f = 0; f < specs.size(); ++f) {
    payload.clear();
    Writer pw(payload);
    put_payload(pw, specs[f], layout.kinds[f], record + layout.offsets[f], pools);
    w.fixed(specs[f].fingerprint, 4);
    w.varint(payload.size());
    w.bytes(payload);
  }
}

size_t decode_states(const std::vector<AggregateSpec> &specs, const RecordLayout &layout,
                     std::string_view blob, std::byte *record, StatePools &pools) {
  Reader r(blob);
  uint8_t version = r.byte();
  if (version != kStateVersion) {
    throw std::runtime_error("unknown state version " + std::to_string(version) +
                             " (this plugin reads version " + std::to_string(kStateVersion) + ")");
  }
  int64_t count = r.count();
  size_t unmatched = 0;
  std::vector<std::optional<std::string_view>> found(specs.size());
  for (int64_t i = 0; i < count; ++i) {
    uint32_t fingerprint = static_cast<uint32_t>(r.fixed(4));
    std::string_view payload = r.bytes(static_cast<size_t>(r.count()));
    size_t f = 0;
    while (f < specs.size() && specs[f].fingerprint != fingerprint) ++f;
    if (f == specs.size()) {
      ++unmatched;
      continue;
    }
    found[f] = payload;
  }
  if (!r.done()) throw std::runtime_error("trailing bytes after the last feature");
  for (size_t owner = 0; owner < specs.size(); ++owner) {
    if (!layout.owns(owner)) continue;
    // The features sharing this slot (layout.owners) each stored it; their
    // payloads differ only in a blob from before slots were shared, when
    // one was added without a rebuild and saw fewer events: that one loses.
    std::vector<size_t> stored;
    for (size_t f = owner; f < specs.size(); ++f) {
      if (layout.owners[f] == owner && found[f]) stored.push_back(f);
    }
    if (stored.empty()) continue;
    size_t best = stored.front();
    if (stored.size() > 1) {
      int64_t best_weight = -1;
      for (size_t f : stored) {
        int64_t weight = payload_weight(specs[f], layout.kinds[f], *found[f], pools);
        if (weight > best_weight) {
          best = f;
          best_weight = weight;
        }
      }
    }
    get_payload(*found[best], specs[best], layout.kinds[best], record + layout.offsets[best],
                pools);
  }
  return unmatched;
}

}  // namespace halo::aggregates
