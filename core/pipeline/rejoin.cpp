// rejoin.cpp -- Pipeline::rejoin: `halo identity unmerge --reattach` (and
// --reattach-record) linking again, without a rebuild, what an undone
// decision kept apart (contract in pipeline.h).
//
// Why the result equals a rebuild's: with the decision in force the store
// holds what a rebuild gives without the reattached links. Reattaching only
// adds links: those of the events that carry the identifier again (or of the
// record's identifiers). Such an event lives on a profile that owns one of
// its identifiers, so resolving a link-only copy of it (kJoinSource, as a
// rebuild in timestamp order uses them: merged and linked, never stored or
// applied) joins exactly the profiles a rebuild joins -- where no identity
// limit binds. When no profile owns any of its identifiers, it is in no
// profile (the decision left it none), and it is resolved again as logged,
// landing where a rebuild puts it: profiles do not depend on the order their
// events come in (a late delivery is applied as it would have been on time),
// so applying it after the others is exact. That holds when none of the
// profiles involved has a refused link and the joins meet no limit: the
// joined profile is then within every limit, so is any part of it a rebuild
// builds on the way in another order. A limit with a time window counts link
// times, which the order decides: refused, as is identity.linkage (it
// compares every record with every other). What is refused writes nothing --
// everything here is one transaction, committed by finalize() -- and the
// caller rebuilds.
#include <algorithm>
#include <set>

#include "pipeline/log_carriers.h"
#include "pipeline/pipeline.h"
#include "pipeline/timestamp_order.h"
#include "plugin_host/plugin_call.h"

namespace halo {

namespace {

constexpr size_t kJoinBatch = 4096;  // events resolved again per ingest call

// A logged event to resolve again: a link-only copy when a profile holds
// it, else the logged event itself.
struct Join {
  uint64_t sequence = 0;
  int64_t at_ms = 0, received_at_ms = 0;
  bool link_only = true;
  std::vector<std::pair<std::string, std::string>> identifiers;  // link-only
  std::string source, raw;                                       // else
};

// Appends `j`'s link-only event to `batch`, its identifiers copied into
// the batch's arena.
// `ids` is scratch space the caller keeps across a batch (one allocation,
// not one per event).
void append_join(const Join &j, EventBatch &batch, std::vector<Identifier> &ids) {
  Event like;
  like.type = HALO_EVENT_IDENTIFY;
  like.sequence = j.sequence;
  like.timestamp_ms = j.at_ms;
  like.received_at_ms = j.received_at_ms;
  ids.clear();
  for (const auto &[type, value] : j.identifiers) {
    ids.push_back({batch.arena.copy(type), batch.arena.copy(value)});
  }
  append_link_only(batch, like, ids);
}

}  // namespace

Status Pipeline::rejoin(const UnmergeDecision &decision, RejoinReport *report,
                        RunSummary *summary) {
  CallWatchdog watchdog(config_.plugin_timeout_ms, options_.cancel);
  Status s = prepare_identity_edit(report->refused, summary);
  if (!s.ok() || !report->refused.empty()) return s;
  if (!windowed_types_.empty()) {
    report->refused = "identity limits with a time window count link times";
    return Status::Ok();
  }
  const bool record = !decision.source.empty();
  std::vector<Join> joins;
  std::set<uint64_t> profiles;  // that hold the events to link again
  auto take = [&](const LoggedEvent &e, const Carrier &c) -> Status {
    if (record && !joins.empty()) return Status::Ok();  // the first one logged
    Join &j = joins.emplace_back();
    j.sequence = e.sequence;
    j.at_ms = c.timestamps_ms.empty() ? 0 : c.timestamps_ms.front();
    j.received_at_ms = e.received_at_ms;
    j.link_only = false;
    for (const auto &[type, value] : c.identifiers) {
      auto owner = store_->find_profile(type, value);
      if (!owner.ok()) return owner.status();
      if (!owner->has_value()) continue;
      profiles.insert(**owner);
      j.link_only = true;
    }
    if (j.link_only) {
      j.identifiers = c.identifiers;
    } else {
      j.source = e.source;
      j.raw = e.raw;
    }
    return Status::Ok();
  };
  s = record ? scan_record(*store_, normalize_options_, decision.source, decision.message_id, take)
             : scan_carriers(*store_, normalize_options_, /*source=*/{},
                             identifier_select(decision.type, decision.value), take);
  if (!s.ok()) return s;
  for (uint64_t p : profiles) {
    auto refused = store_->has_refused_links(p);
    if (!refused.ok()) return refused.status();
    if (*refused) {
      report->refused = "profile " + std::to_string(p) + " has links an identity limit refused";
      return Status::Ok();
    }
  }
  report->events = joins.size();
  report->profiles = profiles.size();
  if (joins.empty()) return Status::Ok();  // no logged event carries it: nothing to join

  s = begin_if_needed();
  joining_ = true;
  EventBatch batch;
  std::vector<Identifier> ids;
  for (size_t first = 0; s.ok() && first < joins.size(); first += kJoinBatch) {
    if (options_.cancel && options_.cancel->load()) {
      return Status::Internal("interrupted; nothing of the reattach is committed");
    }
    batch.clear();
    for (size_t k = first; k < std::min(joins.size(), first + kJoinBatch); ++k) {
      const Join &j = joins[k];
      if (j.link_only) {
        append_join(j, batch, ids);
      } else {
        normalize_logged({j.sequence, j.received_at_ms, j.source, j.raw}, batch, summary);
      }
    }
    s = ingest(batch, /*keys=*/nullptr, /*keys_checked=*/false, summary);
  }
  joining_ = false;
  if (!s.ok()) return s;
  if (summary->conflicts > 0) {
    report->refused = "joining its profiles meets an identity limit";
    return Status::Ok();  // rolled back when the store closes
  }
  if (!profiles.empty()) {  // else its events made a profile of their own, as in a run
    uint64_t joined = *profiles.begin();
    for (auto it = merged_into_.find(joined); it != merged_into_.end();
         it = merged_into_.find(joined)) {
      joined = it->second;
    }
    report->profile = joined;
    // Its identifiers changed, maybe nothing else (the profiles were one
    // already): exported again all the same.
    profiles_.mark_changed(joined);
  }
  s = finalize(summary);
  if (s.ok()) deliver_commits();
  return s;
}

}  // namespace halo
