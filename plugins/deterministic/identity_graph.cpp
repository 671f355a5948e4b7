// identity_graph.cpp -- the resolution algorithm of identity_graph.h:
// look up, merge within limits, assign to the strongest identifier's
// profile, link new identifiers within limits.
#include "identity_graph.h"

#include <algorithm>

namespace halo::deterministic {

namespace {
constexpr uint32_t kNoProfile = IdentifierTable::kNoProfile;
}

IdentityGraph::IdentityGraph(IdentifierRules rules) : rules_(std::move(rules)) {
  stride_ = rules_.size();
}

uint32_t IdentityGraph::type_id(std::string_view type) {
  uint32_t id = rules_.intern(type);
  if (rules_.size() > stride_) widen_counts();
  return id;
}

// A new identifier type appeared: re-lay the per-profile counts with one
// more column. Rare (unknown types), so a full copy is fine.
void IdentityGraph::widen_counts() {
  size_t new_stride = rules_.size();
  ChunkedArray<uint32_t> wider;
  wider.grow_to(parent_.size() * new_stride);
  for (size_t s = 0; s < parent_.size(); ++s) {
    for (size_t t = 0; t < stride_; ++t) wider[s * new_stride + t] = counts_[s * stride_ + t];
  }
  counts_ = std::move(wider);
  stride_ = new_stride;
}

size_t IdentityGraph::memory_bytes() const {
  return table_.memory_bytes() + profile_ids_.memory_bytes() + parent_.memory_bytes() +
         counts_.memory_bytes();
}

uint32_t IdentityGraph::slot_of(uint64_t profile) {
  if (const uint32_t *known = slots_.find(profile)) return *known;
  const auto slot = static_cast<uint32_t>(profile_ids_.size());
  slots_.get_or_create(profile) = slot;
  profile_ids_.push_back(profile);
  parent_.push_back(slot);
  counts_.grow_to(counts_.size() + stride_);
  ++live_profiles_;
  return slot;
}

// Union-find root with path halving.
uint32_t IdentityGraph::find(uint32_t slot) {
  while (parent_[slot] != slot) {
    parent_[slot] = parent_[parent_[slot]];
    slot = parent_[slot];
  }
  return slot;
}

void IdentityGraph::restore_link(std::string_view type, std::string_view value, uint64_t profile) {
  uint32_t t = type_id(type);
  uint32_t target = find(slot_of(profile));
  if (auto id = table_.find(t, value)) {
    uint32_t old = find(table_.profile_slot(*id));
    if (old == target) return;  // the same link restored twice
    --count(old, t);            // a later row wins
    table_.set_profile_slot(*id, target);
  } else {
    table_.insert(t, value, target);
  }
  ++count(target, t);
}

uint64_t IdentityGraph::profile_of(std::string_view type, std::string_view value) {
  uint32_t t = type_id(type);
  auto id = table_.find(t, value);
  return id ? profile_ids_[find(table_.profile_slot(*id))] : 0;
}

void IdentityGraph::load_event(std::span<const IdentifierRef> ids) {
  event_.clear();
  touched_.clear();
  for (size_t k = 0; k < ids.size(); ++k) {
    uint32_t t = type_id(ids[k].type);
    uint32_t live = kNoProfile;
    if (auto id = table_.find(t, ids[k].value)) {
      live = find(table_.profile_slot(*id));
      table_.set_profile_slot(*id, live);  // compress for the next lookup
      touched_.push_back(live);
    }
    event_.push_back({t, ids[k].value, live, static_cast<uint32_t>(k)});
  }
  sort_touched();
}

// Ascending kernel profile id: the oldest profile survives a merge.
void IdentityGraph::sort_touched() {
  std::sort(touched_.begin(), touched_.end(),
            [&](uint32_t a, uint32_t b) { return profile_ids_[a] < profile_ids_[b]; });
  touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
}

const IdentityGraph::Slot *IdentityGraph::strongest_linked_slot() const {
  const Slot *best = nullptr;
  for (const Slot &s : event_) {
    if (s.live == kNoProfile) continue;
    if (best == nullptr || rules_.stronger(s.type, best->type)) best = &s;
  }
  return best;
}

// A new identifier stronger than the linked identifier that would pick the
// profile, of a type that profile already holds to its limit, says the event
// is someone else's (a second user_id arriving with a shared email): the
// new identifier, or nullptr.
const IdentityGraph::Slot *IdentityGraph::names_someone_else() const {
  const Slot *chooser = strongest_linked_slot();
  if (chooser == nullptr) return nullptr;
  for (const Slot &s : event_) {
    if (s.live != kNoProfile || !rules_.stronger(s.type, chooser->type)) continue;
    if (counts_[chooser->live * stride_ + s.type] >= rules_.info(s.type).max_per_profile) return &s;
  }
  return nullptr;
}

// Ignores the event's weakest linked identifier for matching (reported as a
// conflict naming `stronger`, the identifier it contradicts).
void IdentityGraph::demote_weakest_linked(size_t event, const Slot &stronger, ResolutionSink &out) {
  auto weakest = event_.end();
  for (auto it = event_.begin(); it != event_.end(); ++it) {
    if (it->live == kNoProfile) continue;
    // Ties: the later identifier on the event is demoted first.
    if (weakest == event_.end() || !rules_.stronger(it->type, weakest->type)) weakest = it;
  }
  const IdentifierTypeInfo &strong = rules_.info(stronger.type);
  const uint64_t profile = profile_ids_[weakest->live];
  out.conflict(event, rules_.info(weakest->type).name, weakest->value, profile,
               "demoted: the event's " + strong.name + " '" + std::string(stronger.value) +
                   "' is stronger and profile " + std::to_string(profile) +
                   " already holds its limit of " + std::to_string(strong.max_per_profile) + " " +
                   strong.name + "; not used to match this event");
  event_.erase(weakest);
  touched_.clear();
  for (const Slot &s : event_) {
    if (s.live != kNoProfile) touched_.push_back(s.live);
  }
  sort_touched();
}

bool IdentityGraph::try_merge(uint32_t survivor, uint32_t other, size_t event,
                              ResolutionSink &out) {
  for (uint32_t t = 0; t < stride_; ++t) {
    uint32_t together = count(survivor, t) + count(other, t);
    uint32_t limit = rules_.info(t).max_per_profile;
    if (together <= limit) continue;
    // Report the event's strongest identifier that lives in `other`.
    const Slot *culprit = nullptr;
    for (const Slot &s : event_) {
      if (s.live == other && (culprit == nullptr || rules_.stronger(s.type, culprit->type))) {
        culprit = &s;
      }
    }
    out.conflict(event, rules_.info(culprit->type).name, culprit->value, profile_ids_[survivor],
                 "merge refused: profiles " + std::to_string(profile_ids_[survivor]) + " and " +
                     std::to_string(profile_ids_[other]) + " would hold " +
                     std::to_string(together) + " " + rules_.info(t).name + " identifiers (limit " +
                     std::to_string(limit) + ")");
    return false;
  }
  for (uint32_t t = 0; t < stride_; ++t) {
    count(survivor, t) += count(other, t);
    count(other, t) = 0;
  }
  parent_[other] = survivor;
  --live_profiles_;
  out.merge(profile_ids_[other], profile_ids_[survivor], event);
  return true;
}

// Merges every profile the event touches into the oldest one, as far as the
// limits allow, and re-points the event's slots of merged profiles.
void IdentityGraph::merge_profiles(size_t event, ResolutionSink &out) {
  uint32_t survivor = touched_.front();
  for (size_t j = 1; j < touched_.size(); ++j) {
    if (!try_merge(survivor, touched_[j], event, out)) continue;
    for (Slot &s : event_) {
      if (s.live == touched_[j]) s.live = survivor;
    }
  }
}

// The profile of the event's strongest linked identifier (ties: the type's
// rank, then the identifier's position on the event).
uint32_t IdentityGraph::strongest_linked_profile() const {
  return strongest_linked_slot()->live;
}

void IdentityGraph::link_new_identifiers(size_t event, uint32_t target, ResolutionSink &out) {
  uint64_t target_id = profile_ids_[target];
  for (const Slot &s : event_) {
    if (s.live != kNoProfile) continue;
    // The same identifier may appear twice on one event.
    if (table_.find(s.type, s.value)) continue;
    const IdentifierTypeInfo &info = rules_.info(s.type);
    if (count(target, s.type) >= info.max_per_profile) {
      out.conflict(event, info.name, s.value, target_id,
                   "max_per_profile exceeded for " + info.name + " (limit " +
                       std::to_string(info.max_per_profile) + ")");
      continue;
    }
    table_.insert(s.type, s.value, target);
    ++count(target, s.type);
    out.link(info.name, s.value, target_id);
  }
}

void IdentityGraph::resolve_event(size_t event, std::span<const IdentifierRef> ids,
                                  ResolutionSink &out) {
  if (ids.empty()) return;
  load_event(ids);
  // Demotion: while the event names someone the matched profile cannot be,
  // its weakest linked identifier is ignored and matching retried, so the
  // event lands on the person its strongest identifier names. Ends: each
  // round removes one linked identifier.
  while (const Slot *stronger = names_someone_else()) {
    const Slot copy = *stronger;  // demotion erases from event_
    demote_weakest_linked(event, copy, out);
  }
  uint32_t target;
  if (touched_.empty()) {
    target = slot_of(out.new_profile());
  } else {
    if (touched_.size() > 1) merge_profiles(event, out);
    target = strongest_linked_profile();
  }
  out.assign(event, profile_ids_[target]);
  link_new_identifiers(event, target, out);
}

}  // namespace halo::deterministic
