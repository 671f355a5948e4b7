// run_summary.h -- what a run did, for the closing summary and for tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"

namespace halo {

struct TimestampOrder;  // pipeline/timestamp_order.h

struct RunSummary {
  uint64_t records_read = 0;  // records + unreadable records the sources produced
  uint64_t accepted = 0;      // events appended to the event log
  uint64_t duplicates = 0;    // dropped as already-seen message ids
  uint64_t rejected = 0;      // dead letters written by this run (events not stored)
  // Stored events a feature builder could not use (dead letters, stage
  // "feature"); counted in `accepted` too.
  uint64_t feature_rejections = 0;
  uint64_t profiles = 0;   // live profiles after the run
  uint64_t merges = 0;     // profile merges performed by this run
  uint64_t conflicts = 0;  // links refused by identity rules in this run
  // Identifier values skipped as placeholders or block-listed (they link
  // nothing; the events keep them).
  uint64_t blocked_identifiers = 0;
  // Identifier values that did not normalize on accepted events (stored
  // without them; dead letters of stage "identifier").
  uint64_t invalid_identifiers = 0;
  // Trait values of another kind than `traits:` declares on accepted events
  // (stored without them; dead letters of stage "trait").
  uint64_t invalid_traits = 0;
  // Event property values of another kind than `events:` declares for the
  // event (stored without them; dead letters of stage "property").
  uint64_t invalid_properties = 0;
  // Identifier values this run quarantined ("TYPE VALUE"): they would have
  // linked too many distinct profiles, and are detached from linking.
  std::vector<std::string> quarantined;
  // Identifiers identity.linkage newly linked to a link key: each joins its
  // profile to others found to be the same person.
  uint64_t probabilistic_links = 0;
  // Candidate pairs in the review band (below the link probability).
  uint64_t review_pairs = 0;
  // The run ended with a rebuild that applied its identity decisions
  // (quarantines, probabilistic links) to every stored event (`profiles`
  // is the rebuilt count).
  bool rebuilt_for_identity = false;
  // Events arrived after events with later timestamps where an identity
  // limit decides (a run), or the log pass of a rebuild resolved them so:
  // identities are rebuilt in timestamp order (timestamp_order.h). Set by
  // the rebuild that did it.
  bool rebuilt_in_timestamp_order = false;
  // Why a run needs identities in timestamp order (empty: it does not).
  std::string arrival_order_reason;
  // Set by a rebuild whose log pass gave other profiles than timestamp
  // order: that resolution, for the rebuild that applies it (cmd_run.cpp).
  std::shared_ptr<const TimestampOrder> timestamp_order;
  uint64_t input_bytes = 0;  // raw record bytes read
  // Change-log consumers: profiles whose features were computed, those
  // whose features changed, and profile lines handed to destinations (one
  // per profile per destination that was delivered to).
  uint64_t features_emitted = 0;
  uint64_t features_changed = 0;
  uint64_t profiles_delivered = 0;
  // Segment membership: profiles evaluated, entries and exits recorded.
  uint64_t segments_evaluated = 0;
  uint64_t segment_entries = 0;
  uint64_t segment_exits = 0;
  // Triggers: messages put in the outbox to send, held out, and suppressed
  // (the trigger's `if` was false at fire time, or the profile is gone).
  uint64_t messages_queued = 0;
  uint64_t messages_held_out = 0;
  uint64_t messages_suppressed = 0;
  // Events trigger actions (set_trait, add_tag) appended to the log; not
  // counted in `accepted`.
  uint64_t trigger_actions = 0;
  // Delivery from the outbox (docs/messages.md): attempts that sent, that
  // will be retried, that ended a message as `dead`, and messages
  // suppressed at delivery (consent, no address).
  uint64_t messages_sent = 0;
  uint64_t messages_retrying = 0;
  uint64_t messages_dead = 0;
  uint64_t messages_blocked = 0;
  uint64_t messages_deferred = 0;  // held back by quiet hours
  // Sent messages whose delivery report was asked for (poll_receipts).
  uint64_t receipts_polled = 0;
  // Consent events (docs/consent.md): those that added ledger records, and
  // those stored that could not be used (no channel, no address, ...).
  uint64_t consent_events = 0;
  uint64_t consent_events_unused = 0;
  // Stored profiles whose state (traits, identity links, feature state) the
  // run loaded into memory: 0 when it read nothing new and had nothing due.
  uint64_t profiles_restored = 0;
  double seconds = 0;
  std::string store_path;
  uint64_t dead_letters_total = 0;
  // Stopped by SIGINT/SIGTERM before the end: committed batches are kept,
  // destinations kept their previous export (see finalize.cpp).
  bool interrupted = false;

  // One entry per configured source, in config order. A failed source
  // (start or next_batch failed for good: FATAL, ERROR after the retries,
  // an unreachable server, a missing input) stopped reading; the other
  // sources went on and the run exits 1 at the end.
  struct SourceOutcome {
    std::string name;
    std::string error;  // empty: the source ran to its end
    bool failed() const { return !error.empty(); }
  };
  std::vector<SourceOutcome> sources;
  size_t failed_sources() const;

  // Wall seconds spent in each pipeline stage (on the calling thread), so
  // benchmarks can show where time goes. The last three overlap the
  // others rather than add to them: `restore` (loading the stored message
  // keys, identity links, profiles and feature state a run needs) happens
  // wherever a stage first needs them, `emit`, `segments` and `deliver`
  // within finalize.
  struct Stages {
    double read = 0, parse = 0, dedup = 0, resolve = 0, apply = 0, log = 0, commit = 0,
           finalize = 0, restore = 0, emit = 0, segments = 0, deliver = 0;
  } stages;

  double events_per_second() const { return seconds > 0 ? records_read / seconds : 0; }
  // Multi-line human summary.
  std::string to_text() const;
  // One JSON object (for --summary-json and tests).
  std::string to_json() const;
};

// Adds the wall time of its own lifetime to a stage counter.
class StageTimer {
 public:
  explicit StageTimer(double &into) : into_(into), start_(steady_seconds()) {}
  ~StageTimer() { into_ += steady_seconds() - start_; }
  StageTimer(const StageTimer &) = delete;
  StageTimer &operator=(const StageTimer &) = delete;

 private:
  double &into_;
  double start_;
};

}  // namespace halo
