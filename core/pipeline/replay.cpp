// replay.cpp -- Pipeline::replay: dead-lettered records through the kernel's
// stages again (contract in replay.h).
//
// Records are replayed one at a time (a replay is an operator's repair, not
// a hot path), so each one's outcome -- stored, duplicate, failed again --
// is known before its dead letter is deleted or updated. Everything happens
// in one transaction that finalize() commits: a crash or a failed replay
// changes nothing.
#include "pipeline/replay.h"

#include "common/clock.h"
#include "pipeline/pipeline.h"

namespace halo {

std::string replay_refusal(const std::string &stage, bool fixed) {
  if (stage == "feature") {
    return "the event is already stored; a feature builder refused it. Fix the builder, then "
           "`halo rebuild PIPELINE.yaml` recomputes the features";
  }
  if (stage == "identifier") {
    return "the event is already stored, without this identifier; fix the value at its source "
           "(the corrected record arrives as a new event)";
  }
  if (stage == "trait") {
    return "the event is already stored, without this trait value; fix the value at its source, "
           "or the trait's kind under `traits:` and then `halo rebuild PIPELINE.yaml`";
  }
  if (stage == "property") {
    return "the event is already stored, without this property value; fix the value at its "
           "source, or the property's kind under `events:` and then `halo rebuild PIPELINE.yaml`";
  }
  if (stage == "source") {
    return "a source call failed and there is no record; the source reads again from its last "
           "committed cursor on the next `halo run`";
  }
  if (stage == "parse" && !fixed) {
    return "the source could not turn these bytes into a record; write the record as JSON in a "
           "--from file to replay it";
  }
  if (stage == "parse" || stage == "validate" || stage == "resolve") return "";
  return "dead letters of stage '" + stage + "' cannot be replayed";
}

Result<std::vector<DeadLetter>> Pipeline::replay_selection(const ReplayRequest &request,
                                                           ReplayReport *report) {
  std::vector<DeadLetter> out;
  if (request.fixes.empty()) {
    Status s =
        store_->scan_dead_letters(request.filter, [&](const DeadLetter &d) { out.push_back(d); });
    if (!s.ok()) return s;
    return out;
  }
  for (const ReplayFix &fix : request.fixes) {
    auto found = store_->get_dead_letter(fix.id);
    if (!found.ok()) return found.status();
    std::string id = "dead letter " + std::to_string(fix.id);
    if (!found->has_value()) {
      report->problems.push_back(id + ": no such dead letter (already replayed?)");
      continue;
    }
    DeadLetter d = std::move(**found);
    if ((fix.source && *fix.source != d.source) || (fix.position && *fix.position != d.position)) {
      report->problems.push_back(id + ": its source or position changed since the export (" +
                                 d.source + " " + d.position + "); export the dead letters again");
      continue;
    }
    d.raw = fix.raw;
    out.push_back(std::move(d));
  }
  return out;
}

Status Pipeline::replay(const ReplayRequest &request, ReplayReport *report, RunSummary *summary) {
  CallWatchdog watchdog(config_.plugin_timeout_ms, options_.cancel);
  Status s = prepare_writer(summary);
  if (!s.ok()) return s;
  s = restore_state();
  if (s.ok()) s = ensure_restored(summary);
  if (!s.ok()) return s;
  auto selected = replay_selection(request, report);
  if (!selected.ok()) return selected.status();
  s = begin_if_needed();
  if (!s.ok()) return s;
  const bool fixed = !request.fixes.empty();
  for (DeadLetter &d : *selected) {
    if (options_.cancel && options_.cancel->load()) break;
    report->selected++;
    if (!replay_refusal(d.stage, fixed).empty()) {
      report->skipped[d.stage]++;
      continue;
    }
    s = replay_one(std::move(d), report, summary);
    if (!s.ok()) return s;
  }
  return finalize(summary);  // features, exports, and the one commit
}

Status Pipeline::replay_one(DeadLetter d, ReplayReport *report, RunSummary *summary) {
  const int64_t now = wall_ms();
  summary->records_read++;
  summary->input_bytes += d.raw.size();
  EventBatch batch;
  Rejection why;
  if (!parse_->normalize_one(d.raw, d.source, now, batch, &why)) {
    d.stage = "validate";
    d.reason = why.reason;
    d.message = why.message;
    d.at_ms = now;
    report->failed++;
    summary->rejected++;
    return write([d = std::move(d)](Store &st) { return st.update_dead_letter(d); });
  }
  std::vector<MessageKey> keys;
  for (const Event &e : batch.events) keys.push_back(message_key(e.source, e.message_id));
  const uint64_t accepted = summary->accepted, duplicates = summary->duplicates;
  std::vector<DeadLetter> rejects;
  replay_rejects_ = &rejects;
  Status s = ingest(batch, &keys, /*keys_checked=*/false, summary);
  replay_rejects_ = nullptr;
  if (!s.ok()) return s;
  // A stored event may still have been refused by a feature builder: that
  // is a new dead letter of stage "feature", as in a run.
  std::vector<DeadLetter> feature_rejects;
  const DeadLetter *refused = nullptr;
  for (const DeadLetter &r : rejects) {
    if (r.stage == "feature") {
      feature_rejects.push_back(r);
    } else if (refused == nullptr) {
      refused = &r;
    }
  }
  if (summary->accepted > accepted || summary->duplicates > duplicates) {
    (summary->accepted > accepted ? report->landed : report->duplicates)++;
    return write([id = d.id, feature_rejects = std::move(feature_rejects)](Store &st) {
      for (const DeadLetter &f : feature_rejects) {
        if (Status w = st.add_dead_letter(f); !w.ok()) return w;
      }
      return st.delete_dead_letter(id);
    });
  }
  report->failed++;
  if (refused != nullptr) {
    d.stage = refused->stage;
    d.reason = refused->reason;
    d.message = refused->message;
  } else {
    d.stage = "resolve";
    d.reason = "unassigned";
    d.message = "the replayed record produced no stored event";
  }
  d.at_ms = now;
  return write([d = std::move(d)](Store &st) { return st.update_dead_letter(d); });
}

}  // namespace halo
