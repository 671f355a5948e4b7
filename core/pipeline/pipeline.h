// pipeline.h -- runs one pipeline file: sources -> normalize -> resolve ->
// profile store -> feature builders -> destinations.
//
// Durability contract: everything a batch changes -- its events in the log,
// identity links, merges, profiles, feature state, dead letters and the
// source cursor that produced it -- is committed in one SQLite transaction.
// A crash therefore loses at most the uncommitted group, which the source
// re-reads from its last committed cursor: re-running after SIGKILL yields
// exactly the state of an uninterrupted run.
//
// Determinism contract: the event log is the source of truth. Resolution,
// traits and features depend only on the logged events in log order, so
// rebuild() reproduces the incremental result exactly.
//
// Lifetimes: plugin instances are destroyed before the catalog that loaded
// their libraries (member order below). Not thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "config/pipeline_config.h"
#include "delivery/message_template.h"
#include "linkage/linkage_config.h"
#include "pipeline/batch_queue.h"
#include "pipeline/commit_cadence.h"
#include "pipeline/delivery_gate.h"
#include "pipeline/message_keys.h"
#include "pipeline/parse_stage.h"
#include "pipeline/run_summary.h"
#include "pipeline/source_reader.h"
#include "pipeline/store_tasks.h"
#include "pipeline/store_writer.h"
#include "pipeline/timestamp_order.h"
#include "plugin_host/plugin_catalog.h"
#include "plugin_host/plugin_instance.h"
#include "profile/profile_book.h"
#include "profile/profile_export.h"
#include "segment/segment_set.h"
#include "store/store.h"

namespace halo::linkage {
struct Model;
}  // namespace halo::linkage

namespace halo {

struct ReplayRequest;  // pipeline/replay.h
struct ReplayReport;

// An operator's unmerge decision, stored already (`halo identity unmerge`):
// a detached identifier (type, value) or a detached record (source,
// message_id).
struct UnmergeDecision {
  std::string type = {}, value = {};
  std::string source = {}, message_id = {};
};

// What Pipeline::split did: `refused` says why the profile could not be
// split on its own (nothing was written; a rebuild applies the decision),
// empty when it was.
struct SplitReport {
  uint64_t profile = 0;  // the profile split (found from the record for one)
  uint64_t events = 0;   // its events, resolved again
  std::string refused;
};

// What Pipeline::rejoin did: `refused` says why the link could not be made
// again on its own (nothing was written; a rebuild applies the decision),
// empty when it was.
struct RejoinReport {
  uint64_t profile = 0;   // the profile the joined ones make
  uint64_t events = 0;    // logged events linked again
  uint64_t profiles = 0;  // profiles that held them, joined into `profile`
  std::string refused;
};

struct RunOptions {
  bool progress = false;                      // live progress line on stderr
  const std::atomic<bool> *cancel = nullptr;  // set by SIGINT/SIGTERM
  std::vector<std::string> extra_plugin_dirs;
  // Stop after this many accepted events (tests use it to simulate a crash
  // point); 0 = no limit.
  uint64_t stop_after_events = 0;
  // Exit (code 3) right after feature emission committed, before any
  // destination is delivered to (tests simulate a crash there).
  bool exit_before_delivery = false;
  // Long-running mode (`halo serve`): a source that reports end of data is
  // called again after its poll_interval instead of ending; run() returns
  // once `cancel` is set (the batch in progress is read and committed).
  bool keep_polling = false;
  // No identity.linkage at the end: set for the rebuild that applies the
  // links the previous pass made over the same records (it would find
  // exactly those again).
  bool skip_linkage = false;
  // A rebuild's identity resolution in timestamp order, from a rebuild
  // that found its log-order pass differs (timestamp_order.h): this
  // rebuild applies it.
  std::shared_ptr<const TimestampOrder> timestamp_order;
};

class Pipeline {
 public:
  static Result<std::unique_ptr<Pipeline>> open(const PipelineConfig &config,
                                                const RunOptions &options);
  ~Pipeline();

  Status run(RunSummary *summary);
  Status rebuild(RunSummary *summary);
  // `halo identity unmerge` without a rebuild (split.cpp): the events that
  // carried `profile`'s identifiers before `decision` are resolved again,
  // alone, and the profiles they make replace it -- the first keeps its id
  // (and its segment memberships, messages and timers); features, segments
  // and destinations catch up as after a run. Only when that gives what a
  // rebuild gives: the events are the profile's alone, meet no identity
  // limit, are in timestamp order where a limit has a time window, and the
  // pipeline has no identity.linkage; otherwise nothing is written and
  // report->refused says why. `profile` 0: the profile of the decision's
  // record.
  Status split(uint64_t profile, const UnmergeDecision &decision, SplitReport *report,
               RunSummary *summary);
  // `halo identity unmerge --reattach` (--reattach-record) without a
  // rebuild (rejoin.cpp), once `decision` is no longer stored: the logged
  // events that carry the identifier (the record) are resolved again as
  // link-only events, joining the profiles that hold them as a rebuild
  // would; features, segments and destinations catch up as after a run.
  // Only when that gives what a rebuild gives: none of those profiles has
  // a refused link, the joins meet no identity limit, no limit has a time
  // window, and the pipeline has no identity.linkage; otherwise nothing is
  // written and report->refused says why. An event no profile holds (the
  // decision left it no identifier) is resolved again as logged.
  Status rejoin(const UnmergeDecision &decision, RejoinReport *report, RunSummary *summary);
  // `halo deadletters replay` (replay.cpp, contract in replay.h).
  Status replay(const ReplayRequest &request, ReplayReport *report, RunSummary *summary);
  // `halo model fit`: no source is read; every feature builder with a
  // population step fits again as of run.as_of, every profile is emitted
  // and the destinations catch up, as at the end of a run. kInvalidArgument
  // when no builder of the pipeline has a population step.
  Status refit(RunSummary *summary);

  Store &store() { return *store_; }

 private:
  Pipeline(const PipelineConfig &config, const RunOptions &options);
  Status load_plugins();
  // Start of run() and replay(): clocks, every instance, then the store
  // (and its writer lock) -- nothing written when it fails.
  Status prepare_writer(RunSummary *summary);
  Status create_instances();  // all instances, or every problem at once
  Status open_store();
  StoreOpenOptions store_options(bool read_only) const;
  Status apply_identity_decisions();
  // Detaches the identifier values refused links since
  // quarantine_after_sequence_ that would link more profiles than their
  // `quarantine_after` (quarantine.cpp); names them in summary->quarantined.
  Status quarantine_overshared(RunSummary *summary);
  // identity.linkage: links the profiles probabilistic linkage finds to be
  // one person, as stored decisions the next rebuild applies
  // (profile_linker.cpp); counts them in summary->probabilistic_links.
  Status link_profiles(RunSummary *summary);
  // Identities in timestamp order (timestamp_order.h): step 1, whether
  // the stored graph already holds its profiles (then it takes the
  // order's link times), step 3, and step 2's identifiers of one event
  // (and its link-only events).
  Result<std::shared_ptr<TimestampOrder>> resolve_in_timestamp_order();
  Result<bool> matches_timestamp_order(const TimestampOrder &order);
  Status record_timestamp_order_refusals(const TimestampOrder &order, RunSummary *summary);
  void as_in_timestamp_order(EventBatch &batch, size_t i);
  // A rebuild's log pass: every stored event through the stages, without
  // the identifiers options_.timestamp_order says are unused.
  Status rebuild_from_log(RunSummary *summary);
  // A logged event normalized again into `batch` with its log sequence;
  // false (warned and counted as rejected: it stays in the log) when it no
  // longer normalizes.
  bool normalize_logged(const LoggedEvent &e, EventBatch &batch, RunSummary *summary);
  // Rebuild: whether the log pass resolved events out of timestamp order
  // where identity limits can decide; then the timestamp-order resolution
  // when it gives other profiles (summary->timestamp_order).
  Status check_timestamp_order(RunSummary *summary);
  // Run: events that arrived after events with later timestamps of their
  // profile (order_watch.cpp), noted while a batch is applied, and whether
  // any met an identity limit, checked at the end of the run.
  void watch_arrival(const EventBatch &batch, size_t i, uint64_t profile);
  Status check_arrival_order(RunSummary *summary);
  Status resolve_arrival_order(RunSummary *summary);
  Result<std::string> late_at_refused_profile();
  Result<std::string> late_at_refused_identifier();
  Result<std::string> move_windowed_link_times();
  bool has_window(std::string_view type) const;  // a type of windowed_types_
  class LinkTable;      // profile_linker.cpp: the stored records as a table
  struct LinkStrength;  // profile_linker.cpp: a profile's strongest link
  Status read_link_records(LinkTable &table);
  Status link_cluster(LinkTable &table, const linkage::Model &model,
                      const std::map<uint64_t, LinkStrength> &profiles,
                      std::vector<LinkedIdentifier> &decisions);
  Result<std::string> link_evidence(LinkTable &table, const linkage::Model &model,
                                    const LinkStrength &link);
  Status store_decisions(const std::vector<LinkedIdentifier> &decisions,
                         const std::vector<LinkReview> &queued, RunSummary *summary);
  Status restore_cursors();
  // What every run needs from the store: invariants, counters, positions.
  Status restore_state();
  // The rest loads when a stage needs it (working_set.cpp): message keys
  // at the first batch; identity links, profiles and feature state all at
  // once (ensure_restored) or, when every resolver and builder allows it,
  // per profile as batches involve them (load_working_set) or they are due
  // for emission (load_profiles).
  Status ensure_keys_loaded();
  // Loads the keys of at most `batches` more stored log batches (all of
  // them once none is left), after those read ahead.
  Status load_more_keys(size_t batches);
  // Copies the keys of at most `batches` more stored log batches into
  // read_ahead_: a flat array costs a fraction of the set, and it serves
  // both load_matching_keys and a later load_more_keys.
  Status read_ahead_keys(size_t batches);
  Status read_keys(size_t batches, const std::function<void(const MessageKey *, size_t)> &take);
  // Adds to the dedup set every stored key equal to a key of `batches`, in
  // one pass over the stored keys, and marks the batches keys_checked: a
  // small run dedups without building the set of every stored key.
  Status load_matching_keys(const std::vector<std::unique_ptr<SourceBatch>> &batches);
  Status ensure_restored(RunSummary *summary);
  Status restore_resolver();
  Status warn_new_segment_history();
  Status restore_feature(size_t i);
  Status load_working_set(const EventBatch &batch, RunSummary *summary);
  Status load_profiles(std::vector<uint64_t> ids, RunSummary *summary);
  // Loads the stored ones of `ids` (ascending, none in memory): profiles,
  // links and feature state, one store read per table.
  Status load_profile_chunk(std::span<const uint64_t> ids, RunSummary *summary);
  static constexpr size_t kLoadChunk = 1024;
  Status load_feature_rows(size_t i, const std::vector<uint64_t> &ids);
  bool partial_restore_supported() const;
  // Created by this run, loaded, or merged away by it (not yet committed).
  bool in_memory(uint64_t profile_id) const;
  // Reads the started sources at once (a SourceReader each) until every
  // one has ended. Kernel failures (store, resolver FATAL...) are returned;
  // a source that fails for good is recorded with source_failed() and the
  // others go on.
  Status read_sources(const std::vector<size_t> &started, RunSummary *summary);
  // While the stored keys are not loaded and scans are left: adds to
  // `held` (one batch so far) the batches that arrive while the stored
  // keys are read ahead (up to kHoldBatches in all, until every reader has
  // ended or the keys are read and no batch waits) and checks them all
  // against the stored keys at once (load_matching_keys).
  Status hold_and_check(BatchQueue &queue, size_t reading,
                        std::vector<std::unique_ptr<SourceBatch>> &held, RunSummary *summary);
  std::vector<std::unique_ptr<ParseStage>> reader_parse_stages(size_t readers);
  Status consume_batch(SourceBatch &batch, RunSummary *summary);
  Status ingest_records(SourceBatch &batch, RunSummary *summary);
  // How long the batch loop may wait for a batch before a commit is due.
  double seconds_until_commit_due() const;
  CommitCadence commit_cadence() const;
  // Reports a source that stopped (start or reading failed) on stderr and
  // in the summary; the run goes on with the other sources and exits 1.
  void source_failed(size_t index, const Status &why, RunSummary *summary);
  // `keys` are the batch's dedup keys; nullptr replays the log (rebuild):
  // no dedup, sequences already set, nothing appended to the log.
  // `keys_checked`: the stored keys equal to `keys` are in the dedup set
  // already (load_matching_keys); otherwise every stored key loads first.
  Status ingest(EventBatch &batch, const std::vector<MessageKey> *keys, bool keys_checked,
                RunSummary *summary);
  // Resolves, applies and logs events whose keys (when !replay) are `keys`.
  Status resolve_and_store(EventBatch &batch, std::vector<MessageKey> keys, bool replay,
                           RunSummary *summary);
  Status resolve_halves(const EventBatch &batch, std::vector<MessageKey> keys, bool replay,
                        RunSummary *summary);
  Status apply_resolution(EventBatch &batch, ResolutionOut &out, std::vector<MessageKey> &keys,
                          bool replay, RunSummary *summary);
  // Gives the assigned events their log sequences (sequence_of: batch index
  // -> sequence, 0 for dropped), then dead-letters and removes the others.
  Status drop_unassigned(EventBatch &batch, ResolutionOut &out, std::vector<MessageKey> &keys,
                         bool replay, RunSummary *summary, std::vector<uint64_t> &sequence_of);
  // Feature instance f over the batch; events it refuses or fails on alone
  // are dead-lettered (stage "feature") and stay in the batch for the rest.
  Status update_feature(size_t f, const EventBatch &batch, const std::vector<uint64_t> &profile_ids,
                        bool replay, RunSummary *summary);
  // Every feature builder over the batch's events except those of trigger
  // actions (trigger_actions.h): a trait a trigger set is not activity.
  Status update_features(const EventBatch &batch, bool replay, RunSummary *summary);
  Status reject_event(const Event &e, const std::string &stage, const std::string &reason,
                      const std::string &message, bool replay, RunSummary *summary);
  Status begin_if_needed();
  // Runs a store write: on the writer thread during run(), inline otherwise
  // (rebuild() reads the log while it writes, on one connection).
  Status write(StoreWriter::Task task);
  Status commit();
  void deliver_commits();  // for sources no reader thread is reading
  Status finalize(RunSummary *summary);
  // The run's reference time: run.as_of, else the clock.
  int64_t as_of_ms() const;
  // Change-log consumers (change_consumers.cpp): feature emission, segment
  // membership, then each destination, each from its own committed cursor.
  Status catch_up_consumers(int64_t as_of_ms, RunSummary *summary);
  // Emission, segments and triggers once; trigger actions that logged
  // events set actions_logged_ (their profiles need another round).
  Status catch_up_profiles(int64_t as_of_ms, RunSummary *summary);
  std::string features_consumer() const;  // the emission consumer's name
  Status read_features_position();
  Status emit_features(int64_t as_of_ms, RunSummary *summary);
  Status emit_chunk(std::span<const uint64_t> ids, int64_t as_of_ms, RunSummary *summary);
  // The population step (fit() of ABI 1.2): the builders in `which` see
  // every profile restored; their parameters and models are stored.
  Status fit_models(const std::vector<size_t> &which, int64_t as_of_ms, RunSummary *summary);
  bool any_fits() const;  // a feature builder has a population step
  // The builders that fit in this emission: every one with a population
  // step when `changed` (some profile is emitted) unless its `refit`
  // policy lets it reuse its stored fit (loaded here, once per process),
  // and one whose stored fit is older than its policy allows.
  Result<std::vector<size_t>> builders_to_fit(int64_t as_of_ms, bool changed);
  Status load_stored_model(size_t builder);
  std::string model_config(size_t builder) const;  // the fit's config fingerprint
  // Live profiles the log says changed after `after`, and those due for a
  // re-emit; loads the state (ensure_restored) only when there are any.
  Result<std::vector<uint64_t>> profiles_to_emit(uint64_t after, int64_t as_of_ms,
                                                 RunSummary *summary);
  // Segment membership (segment_consumer.cpp): a change-log consumer that
  // re-evaluates the segments of profiles whose traits or features changed
  // and of those due for a re-check, and records entries and exits.
  Status update_segments(int64_t as_of_ms, RunSummary *summary);
  Status drop_undeclared_segments(const std::vector<SegmentDefinition> &stored);
  StoreWriter::Task settle_everyone(std::shared_ptr<std::vector<uint64_t>> gone,
                                    std::shared_ptr<std::vector<uint64_t>> sizes, int64_t as_of_ms);
  Result<std::vector<uint64_t>> profiles_to_segment(uint64_t after, int64_t as_of_ms);
  StoreWriter::Task segment_page(std::vector<ProfileExport> &page, int64_t as_of_ms, bool no_checks,
                                 RunSummary *summary, std::vector<uint64_t> *sizes = nullptr);
  // Triggers (trigger_consumer.cpp): segment changes after each trigger's
  // cursor schedule its timers, and so do the events a trigger starts on,
  // in the commit that stores them (never on a replay); due timers make
  // outbox messages.
  Status schedule_event_triggers(const EventBatch &batch);
  // Consent (consent_events.cpp): `Unsubscribed` and `Consent Updated`
  // events add consent ledger records in the commit that stores them.
  Status record_consent_events(const EventBatch &batch, RunSummary *summary);
  Status start_trigger_cursors();
  Status schedule_triggers();
  Status fire_due_triggers(int64_t as_of_ms, RunSummary *summary);
  // A fire whose trigger has set_trait/add_tag and acted on the profile.
  struct FiredAction {
    size_t trigger;  // index in config_.triggers
    ProfileExport profile;
    std::string key;  // the fire's idempotency key
    int64_t at_ms;    // its due time
  };
  // Appends the actions' identify events to the log through ingest()
  // (trigger_actions.cpp), in the transaction of the fires.
  Status apply_trigger_actions(const std::vector<FiredAction> &fired, RunSummary *summary);
  Status deliver(size_t destination, RunSummary *summary);
  // A read-only connection on what the run committed so far, for a stage
  // that reads many pages (`large`); nullptr otherwise (change_consumers.cpp).
  Result<std::unique_ptr<Store>> snapshot_reader(bool large);
  // Delivery from the outbox (message_delivery.cpp) to destinations with
  // deliver_messages: pending and due messages a page at a time, each
  // outcome committed after its page.
  struct PreparedMessage {
    std::string recipient;
    std::string unsubscribe_url;  // "" without consent.unsubscribe
    delivery::RenderedMessage rendered;
  };
  Status deliver_outbox(size_t destination, RunSummary *summary);
  // Asks the receiver of destination `d` (poll_receipts) for the reports
  // of its sent messages whose poll is due, starting it when `started` is
  // false (receipt_polls.cpp).
  Status poll_receipts(size_t destination, bool &started, RunSummary *summary);
  // Starts destination `d`, a fresh instance when it was started and
  // stopped before in this process.
  Status start_destination(size_t destination);
  // Sleeps until the gate lets n messages go; false when the run stops.
  bool wait_for_gate(DeliveryGate &gate, size_t n);
  Status deliver_page(size_t destination, std::vector<OutboxMessage> &page, bool &stop,
                      RunSummary *summary);
  // False when `m` is not to be sent now (made dead or suppressed, with
  // its reason); else `out` holds its recipient and rendered parts.
  // Held back by the destination's quiet hours: `m` keeps its status and
  // waits for their end.
  Result<bool> prepare_message(const PluginUse &use, OutboxMessage &m, PreparedMessage &out,
                               RunSummary *summary);
  Status drain_writer();
  // halo serve (keep_polling): consumers catch up while sources are quiet.
  Status serve_consumers(RunSummary *summary);
  void report_progress(const RunSummary &s, bool final);
  int priority_of(std::string_view source) const;
  Status replay_one(DeadLetter d, ReplayReport *report, RunSummary *summary);
  // split() and rejoin(): the writer ready and the run's state read;
  // `refused` says why no identity edit is made on its own (a pipeline
  // with identity.linkage compares every stored record with every other).
  Status prepare_identity_edit(std::string &refused, RunSummary *summary);
  // split(): the logged events that carried `mine` (identifiers, as
  // `before` normalizes) -- or a refusal in report->refused.
  struct HeldEvent;
  Status events_of(const std::unordered_set<std::string> &mine, const NormalizeOptions &before,
                   std::vector<HeldEvent> &held, SplitReport *report);
  // split(): the profile holding the decision's record, 0 when none does.
  Result<uint64_t> profile_of_record(const UnmergeDecision &decision,
                                     const NormalizeOptions &before);
  Result<std::vector<DeadLetter>> replay_selection(const ReplayRequest &request,
                                                   ReplayReport *report);

  PipelineConfig config_;
  RunOptions options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<StoreWriter> writer_;  // after store_: stops before it closes
  // Declared before the instances: destroyed after them.
  std::unique_ptr<PluginCatalog> catalog_;
  std::vector<std::unique_ptr<SourceInstance>> sources_;
  std::unique_ptr<ResolverInstance> resolver_;
  std::vector<std::unique_ptr<FeatureInstance>> features_;
  std::vector<std::unique_ptr<DestinationInstance>> destinations_;
  std::unique_ptr<ParseStage> parse_;
  NormalizeOptions normalize_options_;  // for the readers' own parse stages
  int parse_threads_ = 1;
  static constexpr size_t kReadAhead = 1;  // batches queued per source (memory bound)
  // Log batches whose keys load between two looks at the queue (~1 ms each).
  static constexpr size_t kPreloadKeyBatches = 4;
  static constexpr double kPreloadDelaySeconds = 0.01;
  // Checking held batches against the stored keys reads every stored key
  // once (a fraction of the cost of loading them into the set), so a run
  // does it at most twice, for up to kHoldBatches batches each time, before
  // it loads the whole set.
  static constexpr size_t kMaxStoredKeyScans = 2;
  static constexpr size_t kHoldBatches = 8;
  size_t stored_key_scans_ = 0;

  // Stored message keys: every one is in seen_ (keys_loaded_), or those of
  // the log batches up to keys_read_after_ (the first sequence of the last
  // one read; all of them once keys_all_read_) are in seen_ or read_ahead_.
  bool keys_loaded_ = false;
  bool keys_reserved_ = false;  // seen_ has room for every stored key
  bool keys_all_read_ = false;
  uint64_t keys_read_after_ = 0;
  std::vector<MessageKey> read_ahead_;
  bool state_restored_ = false;  // ensure_restored() has loaded everything
  // Identifiers looked up in the store this run (hashes), and how many may
  // be before everything is loaded at once instead.
  std::unordered_set<uint64_t> probed_;
  uint64_t probe_budget_ = 0;
  ProfileBook profiles_;
  MessageKeySet seen_;
  uint64_t next_profile_id_ = 1;
  uint64_t last_sequence_ = 0;
  // Set by run() and rebuild(), not by a dead-letter replay: the end of
  // the pass makes identity decisions (quarantine, identity.linkage), and
  // refused links of events after quarantine_after_sequence_ are checked
  // for over-shared values.
  bool decides_identity_ = false;
  uint64_t quarantine_after_sequence_ = 0;
  // Arrival order (order_watch.cpp), in run() only: the first reason found
  // that identities need timestamp order; per batch, the refused links
  // (profile live); the profiles that received an event after events with
  // later timestamps; the identifiers of windowed_types_ (types whose
  // limit has a window) such events carried.
  //
  // A windowed identifier late events carried: the profile of the last
  // of them and the earliest timestamp.
  struct LateLink {
    uint64_t profile = 0;
    int64_t earliest_ms = 0;
  };
  bool watch_arrival_order_ = false;
  std::string arrival_reason_;
  struct Refusal {
    uint64_t sequence = 0, profile = 0;  // the event's; the profile the refusal names
    std::string type, value;             // the identifier refused
    int64_t timestamp_ms = 0;            // the event's (set when it is watched)
  };
  std::vector<Refusal> batch_refusals_;
  // Refusals that named only the event's own profile, which was not late
  // for it: the other profile is the refused identifier's (end of run).
  std::vector<Refusal> own_profile_refusals_;
  std::unordered_map<uint64_t, uint64_t> late_profiles_;     // -> its first late event
  std::unordered_map<std::string, LateLink> late_windowed_;  // by identifier_key
  std::vector<std::string> windowed_types_;
  std::string late_key_;  // scratch: identifier_key of a late event's identifier
  // rebuild(): the log pass met an event with an earlier timestamp than one
  // before it.
  bool log_out_of_timestamp_order_ = false;
  std::optional<linkage::LinkageConfig> linkage_;                 // identity.linkage
  segment::SegmentSet segments_;                                  // `segments:`
  std::vector<std::optional<segment::Expr>> trigger_conditions_;  // per trigger: `if`
  std::vector<std::optional<segment::Expr>> trigger_filters_;     // per trigger: `on.where`
  std::vector<size_t> event_triggers_;  // the triggers `on: { event }`, by index
  std::map<std::string, delivery::MessageTemplate> templates_;  // `templates:`, by name
  bool in_transaction_ = false;
  bool actions_logged_ = false;  // this catch-up round's triggers logged actions
  uint64_t uncommitted_events_ = 0;
  std::map<std::string, std::string> pending_cursors_;  // source name -> cursor
  // Change log: its last sequence, the profile id counter at the last
  // commit (ids at or above it were created since) and the merges since.
  uint64_t last_change_ = 0;
  uint64_t committed_next_profile_id_ = 1;
  std::unordered_map<uint64_t, uint64_t> merged_into_;
  // Destinations whose instance delivered once (stopped): the next
  // delivery creates a fresh instance. Serve: the log position and time of
  // the last catch-up.
  std::vector<bool> destination_spent_;
  // Per destination entry, for the life of the pipeline: its rate limit
  // and circuit breaker (made at its first delivery of messages).
  std::vector<DeliveryGate> delivery_gates_;
  // The emission consumer's committed cursor, kept once read (only this
  // process writes it while it holds the store lock).
  bool features_position_known_ = false;
  std::optional<uint64_t> features_position_;
  bool fit_always_ = false;  // refit(): fit even when nothing changed
  // Per feature builder: the as_of of the fit its emits use, once one was
  // fitted or loaded in this process (a `refit` policy's reference).
  struct ModelInUse {
    bool tried_store = false;
    std::optional<int64_t> as_of_ms;
  };
  std::vector<ModelInUse> models_;
  uint64_t served_change_ = 0;
  double last_served_ = 0;         // steady seconds when the last catch-up ended
  double last_serve_seconds_ = 0;  // how long it took
  std::vector<size_t> sources_to_notify_;
  // Per source: a commit covering its batches became durable and the source
  // has not been told yet (committed() runs on the source's thread).
  std::unique_ptr<std::atomic<bool>[]> commit_flags_;
  ResolutionOut resolution_;
  uint64_t reuse_profile_id_ = 0;  // split(): the id the next new profile takes
  bool joining_ = false;           // rejoin(): batches hold link-only events
  std::vector<uint64_t> profile_ids_;
  double last_progress_ = 0;
  double last_commit_ = 0;  // steady-clock seconds of the last commit
  // How long the last commit took, to its end on the writer thread.
  std::atomic<double> last_commit_seconds_{0.0};
  double started_ = 0;
  // During replay(): dead letters the stages write for the replayed record,
  // collected instead of stored so the replay decides (reject_event).
  std::vector<DeadLetter> *replay_rejects_ = nullptr;
};

}  // namespace halo
