// order_watch.cpp -- whether a run resolved identities as timestamp order
// would (timestamp_order.h).
//
// A run resolves events in the order they arrive. That gives the profiles
// of timestamp order unless an identity limit decided for an event that
// arrived after events with later timestamps it could interact with:
//  - the event itself met a limit (a refused link, a demotion, one
//    identifier too many), and a profile involved already held an event
//    with a later timestamp (where the refusal names only the event's own
//    profile, the other may be the one the refused identifier is on: its
//    latest event at the end of the run counts);
//  - the event went to a profile that already held an event with a later
//    timestamp, and a limit once decided for that profile (a refused link
//    to it, to a profile merged into it, or on an event that went to it):
//    in timestamp order the event would have been there before that
//    decision;
//  - the event carries an identifier of a type whose limit has a window,
//    linked by an event with a later timestamp: in timestamp order the
//    link would be older, and windows count link times. When the
//    profile's windows hold their limits with the older times, the link
//    times just move (move_windowed_link_times).
// Where none of these holds, the limits decided nothing that timestamp
// order would decide otherwise (an event that met no limit on arrival, on
// profiles no limit ever decided for, adds links that keep every limit
// whatever the order). The first kind is seen while the batch is applied;
// the others need the store and are checked once, at the end of the run,
// for the events that arrived late for their profile. The run then
// resolves the log in timestamp order itself (resolve_arrival_order) and
// ends with a rebuild that applies it only when its profiles differ.
#include <algorithm>
#include <map>
#include <unordered_set>

#include "common/log.h"
#include "pipeline/pipeline.h"

namespace halo {

namespace {

std::string late_refusal(uint64_t sequence) {
  return "event " + std::to_string(sequence) +
         " met an identity limit after events with later timestamps of the profiles it concerns "
         "had arrived";
}

}  // namespace

void Pipeline::watch_arrival(const EventBatch &batch, size_t i, uint64_t profile) {
  if (!watch_arrival_order_) return;
  const Event &e = batch.events[i];
  if (!arrival_reason_.empty()) return;
  auto later_than_event = [&](uint64_t id) {
    const ProfileData *p = profiles_.find(id);
    return p != nullptr && e.timestamp_ms < p->updated_at_ms;
  };
  const bool late = later_than_event(profile);
  for (Refusal &r : batch_refusals_) {
    if (r.sequence != e.sequence) continue;
    if (!late && r.profile == profile) {
      // It may concern a profile it does not name (a merge refused with
      // the profile holding the refused identifier): checked at the end.
      r.timestamp_ms = e.timestamp_ms;
      own_profile_refusals_.push_back(std::move(r));
      continue;
    }
    if (!late && !later_than_event(r.profile)) continue;
    arrival_reason_ = late_refusal(e.sequence);
    return;
  }
  if (!late) return;
  late_profiles_.try_emplace(profile, e.sequence);
  if (windowed_types_.empty()) return;
  for (uint32_t k = e.id_begin; k < e.id_begin + e.id_count; ++k) {
    const Identifier &id = batch.identifiers[k];
    if (!has_window(id.type)) continue;
    identifier_key(id.type, id.value, late_key_);
    auto it = late_windowed_.find(late_key_);
    if (it == late_windowed_.end()) {
      late_windowed_.emplace(late_key_, LateLink{profile, e.timestamp_ms});
      continue;
    }
    it->second.profile = profile;
    it->second.earliest_ms = std::min(it->second.earliest_ms, e.timestamp_ms);
  }
}

// A refusal that named only its event's profile, checked against the
// profile the refused identifier is on at the end of the run (later events
// of it, even those that arrived after the event, count: an overestimate).
Result<std::string> Pipeline::late_at_refused_identifier() {
  for (const Refusal &r : own_profile_refusals_) {
    auto other = store_->find_profile(r.type, r.value);
    if (!other.ok()) return other.status();
    if (!other->has_value()) continue;  // linked nowhere: no other profile
    auto live = store_->live_profile(**other);
    if (!live.ok()) return live.status();
    int64_t latest_ms = 0;
    if (const ProfileData *p = profiles_.find(*live)) {
      latest_ms = p->updated_at_ms;
    } else {
      auto stored = store_->get_profile(*live);
      if (!stored.ok()) return stored.status();
      if (stored->has_value()) latest_ms = (*stored)->updated_at_ms;
    }
    if (r.timestamp_ms < latest_ms) return late_refusal(r.sequence);
  }
  return std::string();
}

bool Pipeline::has_window(std::string_view type) const {
  return std::find(windowed_types_.begin(), windowed_types_.end(), type) != windowed_types_.end();
}

// The first late event of a profile some limit decided for, or "".
Result<std::string> Pipeline::late_at_refused_profile() {
  auto count = store_->conflict_count();
  if (!count.ok()) return count.status();
  if (*count == 0) return std::string();
  std::unordered_set<uint64_t> checked;  // live profiles
  for (const auto &[profile, sequence] : late_profiles_) {
    auto live = store_->live_profile(profile);
    if (!live.ok()) return live.status();
    if (!checked.insert(*live).second) continue;
    auto refused = store_->has_refused_links(*live);
    if (!refused.ok()) return refused.status();
    if (*refused) {
      return "event " + std::to_string(sequence) +
             " arrived after events with later timestamps of profile " + std::to_string(*live) +
             ", for which identity limits have decided";
    }
  }
  return std::string();
}

namespace {

// The most link times (ascending; 0: unknown, not counted) any span
// [s, s + window) holds, as the resolver counts a windowed limit.
size_t busiest_window(const std::vector<int64_t> &times, int64_t window_ms) {
  size_t most = 0;
  for (size_t begin = 0, end = 0; begin < times.size(); ++begin) {
    if (times[begin] == 0) continue;
    end = std::max(end, begin);
    while (end < times.size() && times[end] - times[begin] < window_ms) ++end;
    most = std::max(most, end - begin);
  }
  return most;
}

}  // namespace

// Late events carrying identifiers of a windowed type first linked by an
// event with a later timestamp: in timestamp order the link is older.
// When every window of the profile still holds its limit with the older
// times, nothing else would have been decided differently (a subset of
// those times was checked whenever a link or merge was checked), and the
// times move; otherwise the run needs timestamp order, and this says why.
Result<std::string> Pipeline::move_windowed_link_times() {
  struct Held {
    std::vector<StoredLink> links;
    std::vector<size_t> moved;  // indices into links
  };
  std::unordered_map<uint64_t, uint64_t> live_of;  // profile -> live profile
  std::map<uint64_t, Held> held;                   // by live profile
  for (const auto &[key, late] : late_windowed_) {
    auto live = live_of.find(late.profile);
    if (live == live_of.end()) {
      auto l = store_->live_profile(late.profile);
      if (!l.ok()) return l.status();
      live = live_of.emplace(late.profile, *l).first;
    }
    auto it = held.find(live->second);
    if (it == held.end()) {
      auto l = store_->links_of(live->second);
      if (!l.ok()) return l.status();
      it = held.emplace(live->second, Held{std::move(*l), {}}).first;
    }
    const Identifier id = split_identifier_key(key);
    std::vector<StoredLink> &links = it->second.links;
    for (size_t k = 0; k < links.size(); ++k) {
      if (links[k].type != id.type || links[k].value != id.value) continue;
      if (links[k].at_ms <= late.earliest_ms) break;
      links[k].at_ms = late.earliest_ms;
      it->second.moved.push_back(k);
      break;
    }
  }
  for (const auto &[profile, h] : held) {
    if (h.moved.empty()) continue;
    for (const IdentifierSpec &spec : config_.identifiers) {
      if (spec.limit_window_ms <= 0) continue;
      std::vector<int64_t> times;
      for (const StoredLink &l : h.links) {
        if (l.type == spec.type) times.push_back(l.at_ms);
      }
      std::sort(times.begin(), times.end());
      if (busiest_window(times, spec.limit_window_ms) <=
          static_cast<size_t>(spec.max_per_profile)) {
        continue;
      }
      return "profile " + std::to_string(profile) + " received " + spec.type +
             " identifiers with earlier timestamps than their links had; in timestamp order "
             "more than " +
             std::to_string(spec.max_per_profile) + " of them fall within one window";
    }
  }
  Status s = store_->begin();
  for (auto it = held.begin(); s.ok() && it != held.end(); ++it) {
    for (size_t k : it->second.moved) {
      const StoredLink &l = it->second.links[k];
      s = store_->set_link_time(l.type, l.value, l.at_ms);
      if (!s.ok()) break;
    }
  }
  if (s.ok()) s = store_->commit();
  if (!s.ok()) return s;
  return std::string();
}

Status Pipeline::check_arrival_order(RunSummary *summary) {
  if (!watch_arrival_order_) return Status::Ok();
  Result<std::string> found = std::move(arrival_reason_);
  if (found.ok() && found->empty()) found = late_at_refused_identifier();
  if (found.ok() && found->empty()) found = late_at_refused_profile();
  if (found.ok() && found->empty()) found = move_windowed_link_times();
  arrival_reason_.clear();
  own_profile_refusals_.clear();
  late_profiles_.clear();
  late_windowed_.clear();
  if (!found.ok()) return found.status();
  std::string reason = std::move(found.value());
  if (reason.empty()) return Status::Ok();
  log_warn("identity", reason + (options_.keep_polling
                                     ? "; `halo rebuild` resolves identities in timestamp order"
                                     : "; identities are rebuilt in timestamp order"));
  summary->arrival_order_reason = std::move(reason);
  return Status::Ok();
}

// The run's own timestamp-order check, when no other identity decision
// of the run calls for a rebuild anyway: the stored profiles may already
// be those of timestamp order (then nothing more is done); otherwise the
// resolution goes back with the summary and the rebuild applies it
// (cmd_run.cpp) without a log-order pass first.
Status Pipeline::resolve_arrival_order(RunSummary *summary) {
  if (summary->arrival_order_reason.empty() || options_.keep_polling ||
      !summary->quarantined.empty() || summary->probabilistic_links > 0) {
    return Status::Ok();
  }
  auto order = resolve_in_timestamp_order();
  if (!order.ok()) return order.status();
  auto same = matches_timestamp_order(**order);
  if (!same.ok()) return same.status();
  if (!*same) summary->timestamp_order = std::move(order.value());
  return Status::Ok();
}

}  // namespace halo
