// identity_graph.cpp -- the resolution algorithm of identity_graph.h:
// look up, merge within limits, assign to the strongest identifier's
// profile, link new identifiers within limits.
#include "identity_graph.h"

#include <algorithm>

namespace halo::deterministic {

namespace {
constexpr uint32_t kNoProfile = IdentifierTable::kNoProfile;
constexpr uint32_t kNoIdentifier = UINT32_MAX;

uint64_t window_key(uint32_t slot, uint32_t type) {
  return uint64_t{slot} << 32 | type;
}

// The most of `times` (sorted) inside one span [s, s + window) that also
// holds `t`, counting `t` itself. Such a span holding the most can always
// start at t or at one of the times in (t - window, t].
uint32_t most_in_a_window_with(const std::vector<int64_t> &times, int64_t t, int64_t window) {
  auto with_t_from = [&](int64_t start) {  // start in (t - window, t]: the span holds t
    auto first = std::lower_bound(times.begin(), times.end(), start);
    auto last = std::lower_bound(first, times.end(), start + window);
    return static_cast<uint32_t>(last - first) + 1;
  };
  uint32_t most = with_t_from(t);
  for (auto it = std::lower_bound(times.begin(), times.end(), t - window + 1);
       it != times.end() && *it <= t; ++it) {
    most = std::max(most, with_t_from(*it));
  }
  return most;
}

// The most of `times` (sorted) inside any one span of `window`.
uint32_t most_in_any_window(const std::vector<int64_t> &times, int64_t window) {
  uint32_t most = 0;
  for (size_t first = 0, last = 0; first < times.size(); ++first) {
    while (last < times.size() && times[last] < times[first] + window) ++last;
    most = std::max(most, static_cast<uint32_t>(last - first));
  }
  return most;
}
}  // namespace

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
  size_t windows = window_times_.bucket_count() * sizeof(void *);
  for (const auto &[key, times] : window_times_) {
    windows +=
        sizeof(key) + sizeof(times) + 2 * sizeof(void *) + times.capacity() * sizeof(int64_t);
  }
  return table_.memory_bytes() + profile_ids_.memory_bytes() + parent_.memory_bytes() +
         counts_.memory_bytes() + link_ms_.memory_bytes() + windows;
}

std::vector<int64_t> &IdentityGraph::window_times(uint32_t slot, uint32_t type) {
  return window_times_[window_key(slot, type)];
}

// Whether `slot` can take one more identifier of `type` at the current
// event's time.
bool IdentityGraph::has_room(uint32_t slot, uint32_t type) const {
  const IdentifierTypeInfo &info = rules_.info(type);
  if (info.window_ms <= 0) return counts_[slot * stride_ + type] < info.max_per_profile;
  auto it = window_times_.find(window_key(slot, type));
  uint32_t most =
      it == window_times_.end() ? 1 : most_in_a_window_with(it->second, now_ms_, info.window_ms);
  return most <= info.max_per_profile;
}

// Whether the two profiles together stay within the limit of `type`;
// `together` is what they would hold (for a window: the most in one span).
bool IdentityGraph::merge_fits(uint32_t survivor, uint32_t other, uint32_t type,
                               uint32_t &together) const {
  const IdentifierTypeInfo &info = rules_.info(type);
  if (info.window_ms <= 0) {
    together = counts_[survivor * stride_ + type] + counts_[other * stride_ + type];
    return together <= info.max_per_profile;
  }
  auto a = window_times_.find(window_key(survivor, type));
  auto b = window_times_.find(window_key(other, type));
  if (b == window_times_.end() || b->second.empty()) return true;
  if (a == window_times_.end() || a->second.empty()) return true;
  std::vector<int64_t> both;
  both.reserve(a->second.size() + b->second.size());
  std::merge(a->second.begin(), a->second.end(), b->second.begin(), b->second.end(),
             std::back_inserter(both));
  together = most_in_any_window(both, info.window_ms);
  return together <= info.max_per_profile;
}

// A merge: `from`'s link times of every windowed type join `into`'s.
void IdentityGraph::move_window_times(uint32_t from, uint32_t into) {
  if (!rules_.any_window()) return;
  for (uint32_t t = 0; t < stride_; ++t) {
    auto it = window_times_.find(window_key(from, t));
    if (it == window_times_.end()) continue;
    std::vector<int64_t> moved = std::move(it->second);
    window_times_.erase(it);
    std::vector<int64_t> &kept = window_times(into, t);
    const size_t middle = kept.size();
    kept.insert(kept.end(), moved.begin(), moved.end());
    std::inplace_merge(kept.begin(), kept.begin() + static_cast<ptrdiff_t>(middle), kept.end());
  }
}

// Identifier `id` (of `type`, living in `slot`) was linked at `at_ms`
// (0 = unknown): replaces its previous time in the slot's window list.
void IdentityGraph::note_link_time(uint32_t id, uint32_t slot, uint32_t type, int64_t at_ms) {
  if (rules_.info(type).window_ms <= 0) return;
  link_ms_.grow_to(table_.size());
  std::vector<int64_t> &times = window_times(slot, type);
  if (int64_t old = link_ms_[id]; old != 0) {
    auto it = std::lower_bound(times.begin(), times.end(), old);
    if (it != times.end() && *it == old) times.erase(it);
  }
  link_ms_[id] = at_ms;
  if (at_ms != 0) times.insert(std::upper_bound(times.begin(), times.end(), at_ms), at_ms);
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
  uint32_t id;
  if (auto found = table_.find(t, value)) {
    id = *found;
    uint32_t old = find(table_.profile_slot(id));
    if (old == target) {  // the same link restored twice
      if (rules_.any_window()) restored_.push_back(kNoIdentifier);
      return;
    }
    --count(old, t);  // a later row wins
    const int64_t at_ms = link_ms_.size() > id ? link_ms_[id] : 0;
    note_link_time(id, old, t, 0);
    table_.set_profile_slot(id, target);
    note_link_time(id, target, t, at_ms);
  } else {
    id = table_.insert(t, value, target);
  }
  ++count(target, t);
  if (rules_.any_window()) restored_.push_back(id);
}

void IdentityGraph::forget_restored() {
  restored_.clear();
}

void IdentityGraph::restore_times(std::span<const int64_t> at_ms) {
  for (size_t k = 0; k < at_ms.size() && k < restored_.size(); ++k) {
    const uint32_t id = restored_[k];
    if (id == kNoIdentifier) continue;
    note_link_time(id, find(table_.profile_slot(id)), table_.type(id), at_ms[k]);
  }
  restored_.clear();
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
    if (!has_room(chooser->live, s.type)) return &s;
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
                   " already holds its limit of " + rules_.limit_text(stronger.type) + " " +
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
    uint32_t together = 0;
    if (merge_fits(survivor, other, t, together)) continue;
    const bool windowed = rules_.info(t).window_ms > 0;
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
                     std::to_string(together) + " " + rules_.info(t).name + " identifiers" +
                     (windowed ? " taken within one window" : "") + " (limit " +
                     rules_.limit_text(t) + ")");
    return false;
  }
  for (uint32_t t = 0; t < stride_; ++t) {
    count(survivor, t) += count(other, t);
    count(other, t) = 0;
  }
  move_window_times(other, survivor);
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
    if (!has_room(target, s.type)) {
      out.conflict(event, info.name, s.value, target_id,
                   "max_per_profile exceeded for " + info.name + " (limit " +
                       rules_.limit_text(s.type) + ")");
      continue;
    }
    const uint32_t id = table_.insert(s.type, s.value, target);
    ++count(target, s.type);
    note_link_time(id, target, s.type, now_ms_);
    out.link(event, info.name, s.value, target_id);
  }
}

void IdentityGraph::resolve_event(size_t event, int64_t at_ms, std::span<const IdentifierRef> ids,
                                  ResolutionSink &out) {
  if (ids.empty()) return;
  now_ms_ = at_ms;
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
