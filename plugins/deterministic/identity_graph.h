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
//    max_per_profile, except when restored links already did.
#pragma once

#include <cstdint>
#include <span>
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

  // Resolves one event (index `event` of its batch). An event without
  // identifiers is left unassigned (the kernel dead-letters it).
  void resolve_event(size_t event, std::span<const IdentifierRef> ids, ResolutionSink &out);

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
};

}  // namespace halo::deterministic
