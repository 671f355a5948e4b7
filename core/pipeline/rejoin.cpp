// rejoin.cpp -- Pipeline::rejoin: `halo identity unmerge --reattach` (and
// --reattach-record) linking again, without a rebuild, what an undone
// decision kept apart (contract in pipeline.h).
//
// Why the result equals a rebuild's: with the decision in force the store
// holds what a rebuild gives without the reattached links. Reattaching only
// adds links: those of the events that carry the identifier again (or of
// the record's identifiers). Each such event lives on a profile that owns
// one of its identifiers, so resolving a link-only copy of it (kJoinSource,
// as a rebuild in timestamp order uses them: merged and linked, never
// stored or applied) joins exactly the profiles a rebuild joins -- where
// no identity limit binds. That holds when none of the profiles involved
// has a refused link and the joins meet no limit: the joined profile is
// then within every limit, so is any part of it a rebuild builds on the way
// in another order. A limit with a time window counts link times, which
// the order decides: refused, as is identity.linkage (it compares every
// record with every other). What is refused writes nothing -- everything
// here is one transaction, committed by finalize() -- and the caller
// rebuilds.
#include <algorithm>
#include <set>

#include "pipeline/log_carriers.h"
#include "pipeline/pipeline.h"
#include "pipeline/timestamp_order.h"
#include "plugin_host/plugin_call.h"

namespace halo {

namespace {

constexpr size_t kJoinBatch = 4096;  // link-only events resolved per ingest call

// A logged event to link again: its identifiers, when it happened.
struct Join {
  uint64_t sequence = 0;
  int64_t at_ms = 0, received_at_ms = 0;
  std::vector<std::pair<std::string, std::string>> identifiers;
};

// Link-only events for joins[first, last): what the resolver sees of them.
void join_events(std::span<const Join> joins, EventBatch &batch) {
  batch.clear();
  for (const Join &j : joins) {
    Event e;
    e.type = HALO_EVENT_IDENTIFY;
    e.source = kJoinSource;
    e.sequence = j.sequence;
    e.timestamp_ms = j.at_ms;
    e.received_at_ms = j.received_at_ms;
    e.id_begin = static_cast<uint32_t>(batch.identifiers.size());
    e.id_count = static_cast<uint32_t>(j.identifiers.size());
    for (const auto &[type, value] : j.identifiers) {
      batch.identifiers.push_back({batch.arena.copy(type), batch.arena.copy(value)});
    }
    batch.events.push_back(e);
  }
}

}  // namespace

Status Pipeline::rejoin(const UnmergeDecision &decision, RejoinReport *report,
                        RunSummary *summary) {
  CallWatchdog watchdog(config_.plugin_timeout_ms, options_.cancel);
  Status s = prepare_writer(summary);
  if (s.ok()) s = restore_state();
  if (!s.ok()) return s;
  if (config_.has_linkage) {
    report->refused = "identity.linkage compares every stored record with every other";
    return Status::Ok();
  }
  if (!windowed_types_.empty()) {
    report->refused = "identity limits with a time window count link times";
    return Status::Ok();
  }
  const bool record = !decision.source.empty();
  std::vector<Join> joins;
  std::set<uint64_t> profiles;  // that hold the events to link again
  s = scan_carriers(
      *store_, normalize_options_, record ? std::string_view(decision.source) : std::string_view(),
      record ? record_select(decision.source, decision.message_id)
             : identifier_select(decision.type, decision.value),
      [&](const LoggedEvent &e, const Carrier &c) -> Status {
        if (record && !joins.empty()) return Status::Ok();  // the first one logged
        bool owned = false;
        for (const auto &[type, value] : c.identifiers) {
          auto owner = store_->find_profile(type, value);
          if (!owner.ok()) return owner.status();
          if (!owner->has_value()) continue;
          profiles.insert(**owner);
          owned = true;
        }
        if (!owned) {
          report->refused =
              "its event " + std::to_string(e.sequence) + " carries no identifier of a profile";
          return Status::Internal("refused");  // stops the scan
        }
        joins.push_back({e.sequence, c.timestamps_ms.empty() ? 0 : c.timestamps_ms.front(),
                         e.received_at_ms, c.identifiers});
        return Status::Ok();
      });
  if (!report->refused.empty()) return Status::Ok();  // the scan stopped there
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
  for (size_t first = 0; s.ok() && first < joins.size(); first += kJoinBatch) {
    if (options_.cancel && options_.cancel->load()) {
      return Status::Internal("interrupted; nothing of the reattach is committed");
    }
    join_events(std::span(joins).subspan(first, std::min(kJoinBatch, joins.size() - first)), batch);
    s = ingest(batch, /*keys=*/nullptr, /*keys_checked=*/false, summary);
  }
  joining_ = false;
  if (!s.ok()) return s;
  if (summary->conflicts > 0) {
    report->refused = "joining its profiles meets an identity limit";
    return Status::Ok();  // rolled back when the store closes
  }
  uint64_t joined = *profiles.begin();
  for (auto it = merged_into_.find(joined); it != merged_into_.end();
       it = merged_into_.find(joined))
    joined = it->second;
  report->profile = joined;
  // Its identifiers changed, maybe nothing else (the profiles were one
  // already): exported again all the same.
  profiles_.mark_changed(joined);
  s = finalize(summary);
  if (s.ok()) deliver_commits();
  return s;
}

}  // namespace halo
