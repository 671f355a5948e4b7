// run_summary.cpp -- rendering of RunSummary.
#include "pipeline/run_summary.h"

#include <cstdio>
#include <utility>

#include "common/json_writer.h"
#include "common/secrets.h"

namespace halo {

size_t RunSummary::failed_sources() const {
  size_t n = 0;
  for (const SourceOutcome &o : sources) n += o.failed() ? 1 : 0;
  return n;
}

std::string RunSummary::to_text() const {
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                "records read   %llu (%.1f MB)\n"
                "accepted       %llu\n"
                "duplicates     %llu (dropped: message id already stored)\n"
                "rejected       %llu -> dead letters in %s (table dead_letters, %llu in total;"
                " list them with `halo deadletters PIPELINE`)\n"
                "profiles       %llu (merges %llu, refused links %llu)\n"
                "wall time      %.3f s (%.0f events/s)\n",
                (unsigned long long)records_read, input_bytes / 1e6, (unsigned long long)accepted,
                (unsigned long long)duplicates, (unsigned long long)rejected, store_path.c_str(),
                (unsigned long long)dead_letters_total, (unsigned long long)profiles,
                (unsigned long long)merges, (unsigned long long)conflicts, seconds,
                events_per_second());
  std::string text = buf;
  text += "features       " + std::to_string(features_emitted) + " profiles computed, " +
          std::to_string(features_changed) + " changed; " + std::to_string(profiles_delivered) +
          " profiles delivered to destinations\n";
  if (segments_evaluated > 0) {
    text += "segments       " + std::to_string(segments_evaluated) + " profiles evaluated, " +
            std::to_string(segment_entries) + " entries, " + std::to_string(segment_exits) +
            " exits\n";
  }
  if (messages_queued + messages_held_out + messages_suppressed > 0) {
    text += "messages       " + std::to_string(messages_queued) + " queued in the outbox, " +
            std::to_string(messages_held_out) + " held out, " +
            std::to_string(messages_suppressed) + " suppressed (`halo messages list PIPELINE`)\n";
  }
  if (trigger_actions > 0) {
    text += "actions        " + std::to_string(trigger_actions) +
            " trait updates by triggers (set_trait, add_tag)\n";
  }
  if (messages_sent + messages_retrying + messages_dead + messages_blocked + messages_deferred >
      0) {
    text += "delivered      " + std::to_string(messages_sent) + " sent, " +
            std::to_string(messages_retrying) + " to retry, " + std::to_string(messages_dead) +
            " dead, " + std::to_string(messages_blocked) + " suppressed at delivery, " +
            std::to_string(messages_deferred) + " deferred by quiet hours\n";
  }
  if (receipts_polled > 0) {
    text += "reports asked  " + std::to_string(receipts_polled) +
            " sent messages' delivery reports polled (`halo messages list PIPELINE`)\n";
  }
  if (consent_events + consent_events_unused > 0) {
    text += "consent        " + std::to_string(consent_events) +
            " events recorded in the consent ledger, " + std::to_string(consent_events_unused) +
            " that change nothing (logged; `halo consent list PIPELINE`)\n";
  }
  if (feature_rejections > 0) {
    text += "not featured   " + std::to_string(feature_rejections) +
            " accepted events a feature builder could not use (dead letters, stage feature)\n";
  }
  if (blocked_identifiers > 0) {
    text += "blocked ids    " + std::to_string(blocked_identifiers) +
            " identifier values skipped: placeholders or block-listed (they link nothing)\n";
  }
  if (invalid_identifiers > 0) {
    text += "invalid ids    " + std::to_string(invalid_identifiers) +
            " identifiers that are not valid values, events stored without them (dead letters, "
            "stage identifier)\n";
  }
  if (invalid_traits > 0) {
    text += "invalid traits " + std::to_string(invalid_traits) +
            " trait values not of their declared kind, events stored without them (dead "
            "letters, stage trait)\n";
  }
  if (invalid_properties > 0) {
    text += "invalid props  " + std::to_string(invalid_properties) +
            " event property values not of their declared kind, events stored without them "
            "(dead letters, stage property)\n";
  }
  if (!quarantined.empty()) {
    text += "quarantined    " + std::to_string(quarantined.size()) +
            " over-shared identifier values, linking nothing from now on";
    text += rebuilt_for_identity ? " (identities rebuilt without them):" : ":";
    for (const std::string &q : quarantined) text += " " + q + ";";
    text += " list them with `halo identity unmerge PIPELINE --list`\n";
  }
  if (probabilistic_links > 0 || review_pairs > 0) {
    text += "linkage        " + std::to_string(probabilistic_links) +
            " profiles linked to others by identity.linkage" +
            (rebuilt_for_identity ? " (identities rebuilt with the links)" : "") + "; " +
            std::to_string(review_pairs) + " pairs in the review band\n";
  }
  if (!arrival_order_reason.empty() || rebuilt_in_timestamp_order) {
    text += "order          ";
    text += arrival_order_reason.empty()
                ? "events of the log arrived out of timestamp order where identity limits decide"
                : arrival_order_reason;
    text += rebuilt_in_timestamp_order ? "; identities rebuilt in timestamp order\n"
                                       : "; timestamp order gives the same profiles\n";
  }
  for (const SourceOutcome &o : sources) {
    if (o.failed()) text += "FAILED source  '" + o.name + "': " + o.error + "\n";
  }
  if (!interrupted) return mask_secrets(text);
  return std::string(
             "INTERRUPTED    stopped by SIGINT/SIGTERM before the end of the input; the counts\n"
             "               below cover what this run read and committed. Profile exports\n"
             "               were NOT replaced: the previous complete export is kept. Run\n"
             "               again to continue from the last commit.\n") +
         mask_secrets(text);
}

std::string RunSummary::to_json() const {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("records_read").number(static_cast<int64_t>(records_read));
  w.key("accepted").number(static_cast<int64_t>(accepted));
  w.key("duplicates").number(static_cast<int64_t>(duplicates));
  w.key("rejected").number(static_cast<int64_t>(rejected));
  w.key("feature_rejections").number(static_cast<int64_t>(feature_rejections));
  w.key("profiles").number(static_cast<int64_t>(profiles));
  w.key("merges").number(static_cast<int64_t>(merges));
  w.key("conflicts").number(static_cast<int64_t>(conflicts));
  w.key("blocked_identifiers").number(static_cast<int64_t>(blocked_identifiers));
  w.key("invalid_identifiers").number(static_cast<int64_t>(invalid_identifiers));
  w.key("invalid_traits").number(static_cast<int64_t>(invalid_traits));
  w.key("invalid_properties").number(static_cast<int64_t>(invalid_properties));
  w.key("quarantined_identifiers").number(static_cast<int64_t>(quarantined.size()));
  w.key("probabilistic_links").number(static_cast<int64_t>(probabilistic_links));
  w.key("review_pairs").number(static_cast<int64_t>(review_pairs));
  w.key("rebuilt_in_timestamp_order").raw(rebuilt_in_timestamp_order ? "true" : "false");
  w.key("input_bytes").number(static_cast<int64_t>(input_bytes));
  w.key("features_emitted").number(static_cast<int64_t>(features_emitted));
  w.key("features_changed").number(static_cast<int64_t>(features_changed));
  w.key("profiles_delivered").number(static_cast<int64_t>(profiles_delivered));
  w.key("profiles_restored").number(static_cast<int64_t>(profiles_restored));
  w.key("segments_evaluated").number(static_cast<int64_t>(segments_evaluated));
  w.key("segment_entries").number(static_cast<int64_t>(segment_entries));
  w.key("segment_exits").number(static_cast<int64_t>(segment_exits));
  w.key("messages_queued").number(static_cast<int64_t>(messages_queued));
  w.key("messages_held_out").number(static_cast<int64_t>(messages_held_out));
  w.key("messages_suppressed").number(static_cast<int64_t>(messages_suppressed));
  w.key("trigger_actions").number(static_cast<int64_t>(trigger_actions));
  w.key("messages_sent").number(static_cast<int64_t>(messages_sent));
  w.key("messages_retrying").number(static_cast<int64_t>(messages_retrying));
  w.key("messages_dead").number(static_cast<int64_t>(messages_dead));
  w.key("messages_blocked").number(static_cast<int64_t>(messages_blocked));
  w.key("messages_deferred").number(static_cast<int64_t>(messages_deferred));
  w.key("receipts_polled").number(static_cast<int64_t>(receipts_polled));
  w.key("consent_events").number(static_cast<int64_t>(consent_events));
  w.key("consent_events_unused").number(static_cast<int64_t>(consent_events_unused));
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.6f", seconds);
  w.key("seconds").raw(secs);
  w.key("dead_letters_total").number(static_cast<int64_t>(dead_letters_total));
  w.key("store").string(store_path);
  w.key("interrupted").raw(interrupted ? "true" : "false");
  w.key("failed_sources").number(static_cast<int64_t>(failed_sources()));
  w.key("sources").begin_array();
  for (const SourceOutcome &o : sources) {
    w.begin_object();
    w.key("name").string(o.name);
    w.key("status").string(o.failed() ? "failed" : "ok");
    if (o.failed()) w.key("error").string(o.error);
    w.end_object();
  }
  w.end_array();
  w.key("stage_seconds").begin_object();
  const std::pair<const char *, double> stage_list[] = {
      {"read", stages.read},       {"parse", stages.parse},       {"dedup", stages.dedup},
      {"resolve", stages.resolve}, {"apply", stages.apply},       {"log", stages.log},
      {"commit", stages.commit},   {"finalize", stages.finalize}, {"restore", stages.restore},
      {"emit", stages.emit},       {"segments", stages.segments}, {"deliver", stages.deliver}};
  for (const auto &[name, value] : stage_list) {
    std::snprintf(secs, sizeof secs, "%.6f", value);
    w.key(name).raw(secs);
  }
  w.end_object();
  w.end_object();
  return mask_secrets(out);
}

}  // namespace halo
