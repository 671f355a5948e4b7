// feature_state.h -- the incremental state of one aggregate for one profile,
// in the compact slot its op needs, and the exact operations on it: observe
// one event, fold another state in, release what it owns.
//
// A profile's record (profile_records.h) is the concatenation of one slot
// per configured feature, laid out once per instance (RecordLayout). Slots
// are byte-packed and copied in and out with memcpy (load/store), so no
// padding is paid. Bytes per slot:
//   count (all time)      8  events
//   sum, avg (all time)  24  numeric values seen | exact sum
//   min, max (all time)  24  numeric values seen | the extreme
//   first, last          21  timestamp | sequence | text handle | kind
//   windowed, distinct    4  handle of the buckets / hashes in StatePools
// Texts, buckets and hashes live out of line in StatePools, only while
// non-empty (handle 0: none).
//
// Invariants:
//  - An all-zero slot is the fresh state of its kind.
//  - For sum/avg/min/max, the events that matched equal the numeric values
//    seen (an event without a value is not counted), so one count serves.
//  - Folding is commutative and associative: any split of an event stream
//    across states, folded in any order, equals one state that saw it all
//    (sums are exact, first/last order by (timestamp, sequence), distinct
//    sets union, buckets add and prune relative to the latest bucket).
//  - Windowed states keep only buckets with index > latest_bucket - N (N =
//    window / bucket width), sorted by index, so they stay bounded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "aggregate_spec.h"
#include "common/decimal.h"
#include "slot_pool.h"

namespace halo::aggregates {

using plugins::Decimal;  // exact money, shared with the other builders

// ---- slot layouts ---------------------------------------------------------

enum class SlotKind : uint8_t { kCount, kTotal, kExtreme, kPick, kWindow, kDistinct };

enum class PickKind : uint8_t { kNone = 0, kNumber = 1, kString = 2, kBool = 3, kTimestamp = 4 };

struct CountSlot {
  int64_t events = 0;
};
struct TotalSlot {  // sum, avg
  int64_t numeric = 0;
  Decimal sum;
};
struct ExtremeSlot {  // min, max
  int64_t numeric = 0;
  Decimal value;
};
struct PickSlot {  // first, last
  int64_t timestamp = 0;
  uint64_t sequence = 0;
  uint32_t text = 0;  // StatePools::texts handle; 0: empty text
  PickKind kind = PickKind::kNone;
};
struct HandleSlot {  // windowed (StatePools::windows), distinct (::hashes)
  uint32_t handle = 0;
};

// Bytes a slot occupies in a record: the struct without tail padding.
template <class T>
constexpr size_t kSlotBytes = sizeof(T);
template <>
inline constexpr size_t kSlotBytes<PickSlot> = offsetof(PickSlot, kind) + 1;

template <class T>
T load(const std::byte *at) {
  static_assert(std::is_trivially_copyable_v<T>);
  T value;
  std::memcpy(static_cast<void *>(&value), at, kSlotBytes<T>);
  return value;
}
template <class T>
void store(std::byte *at, const T &value) {
  std::memcpy(at, static_cast<const void *>(&value), kSlotBytes<T>);
}

SlotKind slot_kind(const AggregateSpec &spec);
size_t slot_bytes(SlotKind kind);

// True when two specs accumulate the same state from the same events, so
// one slot serves both: a sum and an avg of one field (a count of values
// and their sum), windowed numeric ops over one field and window (every
// one keeps the same buckets), or two identical features.
bool shares_accumulator(const AggregateSpec &a, const AggregateSpec &b);

// Where each feature's slot sits in a profile record. Specs that share an
// accumulator share a slot, and only the first of them (its owner) observes
// events into it, folds it and releases it; every spec still reads it, and
// encodes and decodes it under its own fingerprint, so stored state does not
// depend on which features are configured together.
struct RecordLayout {
  std::vector<SlotKind> kinds;    // per spec
  std::vector<uint32_t> offsets;  // per spec
  std::vector<uint32_t> owners;   // per spec: the spec that updates its slot
  size_t record_bytes = 0;

  bool owns(size_t spec) const { return owners[spec] == spec; }
  static RecordLayout of(const std::vector<AggregateSpec> &specs);
};

// ---- out-of-line parts ----------------------------------------------------

struct Stats {
  int64_t events = 0;   // matching events (count)
  int64_t numeric = 0;  // numeric values seen (sum/avg/min/max)
  Decimal sum, min, max;
};

struct Bucket {
  int64_t index = 0;  // floor(timestamp / bucket width)
  Stats stats;
};

struct WindowState {
  int64_t latest_bucket = INT64_MIN;
  std::vector<Bucket> buckets;
};

using HashSet = std::vector<uint64_t>;  // sorted, unique XXH3 hashes of value texts

// The variable-size parts of every profile's states of one instance.
struct StatePools {
  SlotPool<std::string> texts;
  SlotPool<WindowState> windows;
  SlotPool<HashSet> hashes;

  std::string_view text(uint32_t handle) const {
    return handle == 0 ? std::string_view() : std::string_view(texts.at(handle));
  }
  // Heap bytes held, including what the items own.
  size_t memory_bytes() const;
};

// ---- operations -----------------------------------------------------------

// Selects the Stats an event at `timestamp` updates: its bucket, or nullptr
// when the event is older than the window can reach.
Stats *stats_for(WindowState &state, const AggregateSpec &spec, int64_t timestamp);
// Adds a number; throws halo::Error naming the feature on overflow.
void add_number(Stats &stats, const Decimal &value, const AggregateSpec &spec);
void add_number(TotalSlot &slot, const Decimal &value, const AggregateSpec &spec);
void add_number(ExtremeSlot &slot, const Decimal &value, Op op);

void observe_pick(PickSlot &slot, StatePools &pools, Op op, int64_t timestamp, uint64_t sequence,
                  PickKind kind, std::string_view text);
void observe_distinct(HashSet &hashes, std::string_view value_text);

// The window / hash set behind a slot, created on first use.
WindowState &window_of(std::byte *slot, StatePools &pools);
HashSet &hashes_of(std::byte *slot, StatePools &pools);

// Folds the slot at `from` into the slot at `into` (both of `spec`).
void fold(const AggregateSpec &spec, SlotKind kind, std::byte *into, const std::byte *from,
          StatePools &pools);
// Frees what the slot owns and zeroes it (the fresh state).
void release(SlotKind kind, std::byte *slot, StatePools &pools);

// The aggregate of the buckets in the window ending at as_of_ms.
Stats window_stats(const WindowState &state, const AggregateSpec &spec, int64_t as_of_ms);
// The earliest time after as_of_ms at which window_stats changes with no
// new event: a bucket inside the window leaves it, or a bucket of a later
// (future-dated) event enters it. INT64_MAX when it never does (no bucket
// that could move).
int64_t next_window_change(const WindowState &state, const AggregateSpec &spec, int64_t as_of_ms);

}  // namespace halo::aggregates
