// split.cpp -- Pipeline::split: `halo identity unmerge` re-resolving only
// the events of the profile a decision splits (contract in pipeline.h).
//
// Why the result equals a rebuild's: the deterministic resolution of an
// event depends only on the events that share identifiers with it, in
// order. The events that carried the profile's identifiers before the
// decision (S) share none with any other event when no identifier of
// theirs belongs to another profile -- checked below, else refused -- so
// a rebuild resolves S exactly as resolving S alone does, with the same
// limits. Any refused link while S is resolved again: refused (a rebuild
// decides which event wins in timestamp order across the log, and may
// quarantine). Without one, no limit binds S in any order -- its profiles
// are the same whatever order S comes in -- unless a limit has a time
// window (link times follow the order): then S must be in timestamp order
// in the log, as a rebuild may resolve in that order. identity.linkage
// compares every record with every other: refused. What is refused writes
// nothing -- everything here is one transaction, committed by finalize()
// -- and the caller rebuilds.
//
// The profile keeps its id for the first profile S makes again, so its
// segment memberships are compared with what it now is (exits and entries
// only where they differ), and its messages and timers stay with it.
#include <algorithm>
#include <limits>
#include <optional>

#include "normalize/normalizer.h"
#include "pipeline/log_carriers.h"
#include "pipeline/pipeline.h"
#include "plugin_host/plugin_call.h"

namespace halo {

namespace {

constexpr size_t kSplitBatch = 4096;  // events resolved per ingest call

// An identifier as a key of a set, written into `key`: type, a NUL, value
// (a type holds no NUL). The caller's buffer is reused, so the scan of the
// whole log looks up its identifiers without allocating.
const std::string &split_key(std::string_view type, std::string_view value, std::string &key) {
  return key.assign(type).append(1, '\0').append(value);
}

bool holds(const std::unordered_set<std::string> &set, const Identifier &id, std::string &key) {
  return set.contains(split_key(id.type, id.value, key));
}

}  // namespace

// A logged event kept for the resolution (the log's views end with its scan).
struct Pipeline::HeldEvent {
  uint64_t sequence = 0;
  int64_t received_at_ms = 0;
  std::string source, raw;
};

Status Pipeline::prepare_identity_edit(std::string &refused, RunSummary *summary) {
  Status s = prepare_writer(summary);
  if (s.ok()) s = restore_state();
  if (s.ok() && config_.has_linkage) {
    refused = "identity.linkage compares every stored record with every other";
  }
  return s;
}

Status Pipeline::split(uint64_t profile, const UnmergeDecision &decision, SplitReport *report,
                       RunSummary *summary) {
  CallWatchdog watchdog(config_.plugin_timeout_ms, options_.cancel);
  Status s = prepare_identity_edit(report->refused, summary);
  if (!s.ok() || !report->refused.empty()) return s;
  // The identifiers as they were before the decision: those that made the
  // profile.
  NormalizeOptions before_options = normalize_options_;
  for (IdentifierRule &rule : before_options.identifiers) {
    if (rule.type == decision.type) std::erase(rule.detached, decision.value);
  }
  if (!decision.source.empty()) {
    before_options.detached_records.erase(
        detached_record_key(decision.source, decision.message_id));
  }
  if (profile == 0) {
    auto found = profile_of_record(decision, before_options);
    if (!found.ok()) return found.status();
    profile = *found;
    if (profile == 0) {
      report->refused = "no profile holds the record";
      return Status::Ok();
    }
  }
  report->profile = profile;
  auto identifiers = store_->identifiers_of(profile);
  if (!identifiers.ok()) return identifiers.status();
  if (identifiers->empty()) {
    report->refused = "profile " + std::to_string(profile) + " holds no identifier";
    return Status::Ok();
  }
  std::unordered_set<std::string> mine;
  std::string key;
  for (const auto &[type, value] : *identifiers) mine.insert(split_key(type, value, key));
  std::vector<HeldEvent> held;
  s = events_of(mine, before_options, held, report);
  if (!s.ok() || !report->refused.empty()) return s;

  s = begin_if_needed();
  if (s.ok()) s = write([profile](Store &st) { return st.clear_profile(profile); });
  reuse_profile_id_ = profile;
  EventBatch batch;
  for (size_t first = 0; s.ok() && first < held.size(); first += kSplitBatch) {
    if (options_.cancel && options_.cancel->load())
      return Status::Internal("interrupted; nothing of the split is committed");
    batch.clear();
    for (size_t k = first; k < std::min(held.size(), first + kSplitBatch); ++k) {
      const HeldEvent &e = held[k];
      normalize_logged({e.sequence, e.received_at_ms, e.source, e.raw}, batch, summary);
    }
    s = ingest(batch, /*keys=*/nullptr, /*keys_checked=*/false, summary);
  }
  if (!s.ok()) return s;
  report->events = summary->accepted;
  if (summary->conflicts > 0) {
    report->refused = "its events, resolved again, meet an identity limit";
  } else if (reuse_profile_id_ != 0 ||
             (profiles_.find(profile) == nullptr && !merged_into_.contains(profile))) {
    report->refused = "none of its events makes a profile again";
  }
  if (!report->refused.empty()) return Status::Ok();  // rolled back when the store closes
  s = finalize(summary);
  if (s.ok()) deliver_commits();
  return s;
}

Status Pipeline::events_of(const std::unordered_set<std::string> &mine,
                           const NormalizeOptions &before, std::vector<HeldEvent> &held,
                           SplitReport *report) {
  int64_t latest_ms = std::numeric_limits<int64_t>::min();
  bool in_order = true;
  auto carries_mine = [&mine](const LoggedEvent &, const EventBatch &normalized) {
    thread_local std::string key;  // the select runs on two threads
    return std::any_of(normalized.identifiers.begin(), normalized.identifiers.end(),
                       [&](const Identifier &id) { return holds(mine, id, key); });
  };
  std::string key;
  Status s = scan_carriers(
      *store_, before, /*source=*/{}, carries_mine,
      [&](const LoggedEvent &e, const Carrier &c) -> Status {
        for (const auto &[type, value] : c.identifiers) {
          if (mine.contains(split_key(type, value, key))) continue;
          auto owner = store_->find_profile(type, value);
          if (!owner.ok()) return owner.status();
          if (!owner->has_value()) continue;
          report->refused = "its event " + std::to_string(e.sequence) + " also carries " + type +
                            " " + value + " of profile " + std::to_string(**owner);
          return Status::Internal("refused");  // stops the scan
        }
        for (int64_t at : c.timestamps_ms) {
          in_order = in_order && at >= latest_ms;
          latest_ms = std::max(latest_ms, at);
        }
        held.push_back({e.sequence, e.received_at_ms, std::string(e.source), std::string(e.raw)});
        return Status::Ok();
      });
  if (!report->refused.empty()) return Status::Ok();  // the scan stopped there
  if (!s.ok()) return s;
  if (held.empty()) {
    report->refused = "no logged event carries its identifiers";
  } else if (!in_order && !windowed_types_.empty()) {
    // Without such limits the order of its events decides nothing, so
    // long as no limit binds them (checked once they are resolved).
    report->refused =
        "its events are not in timestamp order in the log, and identity limits with a time "
        "window count link times";
  }
  return Status::Ok();
}

Result<uint64_t> Pipeline::profile_of_record(const UnmergeDecision &decision,
                                             const NormalizeOptions &before) {
  std::optional<uint64_t> found;
  Status s = scan_record(*store_, before, decision.source, decision.message_id,
                         [&](const LoggedEvent &, const Carrier &c) {
                           if (found) return Status::Ok();  // the first one logged
                           found = 0;  // the record is in no profile unless one holds it
                           for (const auto &[type, value] : c.identifiers) {
                             auto owner = store_->find_profile(type, value);
                             if (!owner.ok()) return owner.status();
                             if (owner->has_value()) {
                               found = **owner;
                               break;
                             }
                           }
                           return Status::Ok();
                         });
  if (!s.ok()) return s;
  return found.value_or(0);
}

}  // namespace halo
