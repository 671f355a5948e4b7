// identity_graph.h -- deterministic identity resolution: maps the
// identifiers of each event to a profile, merging profiles an event links,
// within per-type limits (merge protection). See README.md for the rules.
//
// Invariants:
//  - Results depend only on the rules and the order of events (and of
//    restored links): same input, same assignments, merges and conflicts.
//  - Every identifier belongs to exactly one profile; counts_[slot][type]
//    equals the number of identifiers of that type whose live profile is the
//    slot; a merged slot has zero counts and a parent.
//  - A profile never holds more identifiers of a type than its
//    max_per_profile, except when restored links already did. For a type
//    with a window, no span of window_ms holds more than max_per_profile
//    of the profile's link times of that type (links with an unknown time,
//    0, are not counted).
//  - For a type with a window, window_times_[(slot, type)] of a live slot
//    is the sorted link times (> 0) of its identifiers of that type.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include <halo/profile_map.hpp>

#include "chunked_array.h"
#include "identifier_rules.h"
#include "identifier_table.h"
#include "resolution_sink.h"

namespace halo::deterministic {

class IdentityGraph {
 public:
  explicit IdentityGraph(IdentifierRules rules);

  // Adds one persisted link (identifier -> live profile).
  void restore_link(std::string_view type, std::string_view value, uint64_t profile);
  // The link times (ms, 0 = unknown) of the links restore_link took since
  // forget_restored(), in the same order.
  void restore_times(std::span<const int64_t> at_ms);
  void forget_restored();

  // Resolves one event (index `event` of its batch, timestamp `at_ms`). An
  // event without identifiers is left unassigned (the kernel dead-letters
  // it).
  void resolve_event(size_t event, int64_t at_ms, std::span<const IdentifierRef> ids,
                     ResolutionSink &out);

  // Identifiers of an event resolved a few events later: their slots in the
  // table start loading now, so that lookups overlap their cache misses
  // (always inlined, as IdentifierTable::prefetch).
  [[gnu::always_inline]] void prefetch(std::string_view type, std::string_view value) const {
    if (auto t = rules_.find(type)) table_.prefetch(*t, value);
  }

  // The live profile of an identifier, 0 when unknown.
  uint64_t profile_of(std::string_view type, std::string_view value);
  size_t identifier_count() const { return table_.size(); }
  size_t live_profile_count() const { return live_profiles_; }
  // Heap bytes of the identifier table and the per-profile arrays (not the
  // kernel-id map, which the SDK's ProfileMap owns), for the memory tests.
  size_t memory_bytes() const;

 private:
  struct Slot {  // one identifier of the event being resolved
    uint32_t type;
    std::string_view value;
    uint32_t live;  // profile slot, or kNoProfile while unlinked
    uint32_t position;
  };

  uint32_t slot_of(uint64_t profile);
  uint32_t find(uint32_t slot);
  uint32_t &count(uint32_t slot, uint32_t type) { return counts_[slot * stride_ + type]; }
  void widen_counts();
  uint32_t type_id(std::string_view type);

  // Windowed limits (IdentifierRules::window_ms).
  std::vector<int64_t> &window_times(uint32_t slot, uint32_t type);
  bool has_room(uint32_t slot, uint32_t type) const;  // for one more, at now_ms_
  bool merge_fits(uint32_t survivor, uint32_t other, uint32_t type, uint32_t &together) const;
  void move_window_times(uint32_t from, uint32_t into);
  void note_link_time(uint32_t id, uint32_t slot, uint32_t type, int64_t at_ms);

  void load_event(std::span<const IdentifierRef> ids);
  void sort_touched();
  const Slot *strongest_linked_slot() const;
  const Slot *names_someone_else() const;
  void demote_weakest_linked(size_t event, const Slot &stronger, ResolutionSink &out);
  void merge_profiles(size_t event, ResolutionSink &out);
  bool try_merge(uint32_t survivor, uint32_t other, size_t event, ResolutionSink &out);
  uint32_t strongest_linked_profile() const;
  void link_new_identifiers(size_t event, uint32_t target, ResolutionSink &out);

  IdentifierRules rules_;
  IdentifierTable table_;
  // Per profile slot; chunked so growth has no doubling slack. Counts stay
  // 32-bit: restored links may exceed max_per_profile without bound.
  ChunkedArray<uint64_t> profile_ids_;  // slot -> kernel profile id
  ChunkedArray<uint32_t> parent_;       // slot -> parent slot (self when live)
  ChunkedArray<uint32_t> counts_;       // slot * stride_ + type -> count
  size_t stride_ = 0;
  // Kernel profile id -> slot; dense because the kernel numbers profiles
  // from 1 upwards.
  ProfileMap<uint32_t> slots_;
  size_t live_profiles_ = 0;

  std::vector<Slot> event_;        // scratch: the current event
  std::vector<uint32_t> touched_;  // scratch: distinct live profiles
  int64_t now_ms_ = 0;             // the current event's timestamp

  // Only with a windowed type: each identifier's link time (by identifier
  // id; 0 = unknown), and per (live slot << 32 | type) the sorted link
  // times of that slot's identifiers of a windowed type.
  ChunkedArray<int64_t> link_ms_;
  std::unordered_map<uint64_t, std::vector<int64_t>> window_times_;
  // Identifier ids taken by restore_link since the last restore_times
  // (kNoIdentifier: a row that changed nothing).
  std::vector<uint32_t> restored_;
};

}  // namespace halo::deterministic
