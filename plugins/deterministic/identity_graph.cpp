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
  std::vector<uint32_t> wider(parent_.size() * new_stride, 0);
  for (size_t s = 0; s < parent_.size(); ++s) {
    std::copy_n(counts_.begin() + s * stride_, stride_, wider.begin() + s * new_stride);
  }
  counts_.swap(wider);
  stride_ = new_stride;
}

uint32_t IdentityGraph::slot_of(uint64_t profile) {
  if (const uint32_t *known = slots_.find(profile)) return *known;
  const auto slot = static_cast<uint32_t>(profile_ids_.size());
  slots_.get_or_create(profile) = slot;
  profile_ids_.push_back(profile);
  parent_.push_back(slot);
  counts_.resize(counts_.size() + stride_, 0);
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
  // Ascending kernel profile id: the oldest profile survives a merge.
  std::sort(touched_.begin(), touched_.end(),
            [&](uint32_t a, uint32_t b) { return profile_ids_[a] < profile_ids_[b]; });
  touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
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
  const Slot *best = nullptr;
  for (const Slot &s : event_) {
    if (s.live == kNoProfile) continue;
    if (best == nullptr || rules_.stronger(s.type, best->type)) best = &s;
  }
  return best->live;
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
