// store.h -- the profile store's contract: the event log, cursors, identity
// graph, profiles, features, feature-builder state, dead letters, the change
// log and its consumers, behind one abstract interface. One backend exists
// today, SQLite (sqlite_store.h: one embedded file); open_store() maps the
// pipeline's `store.kind` to it, and a PostgreSQL backend will be added the
// same way. The shape follows LevelDB's include/leveldb/db.h: an abstract
// class, a factory, and implementations out of sight.
//
// The contract every backend keeps (tests/store/store_conformance_test.cpp
// runs the same suite against each backend):
//  - One Store per thread; the object is not thread-safe.
//  - One writer per store: a writable open takes the store's writer lock
//    before it touches the data and holds it until the Store is destroyed;
//    while another process (or Store) holds it, open fails at once with
//    Busy naming the holder. [SQLite: the lock is store_lock.h's
//    `<store>.lock` file; inside it transactions still use BEGIN IMMEDIATE
//    and a 5 s busy timeout, so SQLite's own locks never fail a write
//    half-way.]
//  - Any number of read-only Stores may be open beside the writer. Each
//    reads one consistent snapshot for its whole life, never takes the
//    writer lock and never creates anything (see read_only below).
//    [SQLite: WAL mode gives readers their snapshot.]
//  - Every write must happen inside begin()...commit(); a write outside one is
//    refused (InvalidArgument) so a batch and the cursor that describes it
//    can never be committed separately. Reads work with or without one and
//    see the transaction's own uncommitted writes. rollback() (or destroying
//    the Store inside a transaction) discards every write since begin().
//  - The event log is append-only: append_events takes the next consecutive
//    sequences (last_sequence()+1, +2, ...). [SQLite: each call stores one
//    zstd blob.]
//  - Scan callbacks must not write to the table being scanned, but may call
//    any other method (including another scan). Views passed to callbacks
//    are valid only during the callback.
//  - Every read returns a Result: a backend failure (damaged data, I/O
//    error, a value of the wrong type) is an error naming the store and the
//    table, never "absent" or 0. std::nullopt means "no such row".
//  - Opening checks the cheap invariants (check_invariants()) unless told
//    not to; check_store() (store_check.h, SQLite) runs the full, slow checks.
//  - The store never reads the time: every time it stores (at_ms,
//    updated_at_ms, due_ms) is given by the caller, who takes it from the
//    injectable clock (common/clock.h).
//  - Unsigned ids and sequences are at most 2^63-1. [SQLite stores them as
//    its signed 64-bit INTEGER.]
//
// Durability: a committed transaction survives a process crash and a
// transaction is never split. [SQLite: WAL with synchronous=NORMAL -- a power
// loss may drop the last few commits but never corrupts the file.]
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/logged_event.h"
#include "store/profile_change.h"
#include "store/store_kind.h"

namespace halo {

// A record that failed a pipeline stage, with the bytes as received.
struct DeadLetter {
  std::string stage;     // parse|validate|normalize|resolve|feature|deliver
  std::string reason;    // reason code, e.g. malformed_json
  std::string message;   // for the person fixing it
  std::string source;    // pipeline source name
  std::string position;  // e.g. "orders.jsonl:1042" or a cursor value
  std::string raw;       // original bytes, any encoding
  int64_t at_ms = 0;
  // The row's id (table dead_letters): stable for as long as the dead
  // letter exists, never reused while the table holds a larger id. Set by
  // the scans; add_dead_letter ignores it.
  uint64_t id = 0;
};

// Which dead letters a scan returns; every condition given must hold.
struct DeadLetterFilter {
  std::string source;               // "" = any source
  std::string reason;               // "" = any reason code
  std::string stage;                // "" = any stage
  std::optional<int64_t> since_ms;  // at_ms >= since_ms
  uint64_t limit = 0;               // 0 = all; else the first `limit` by id
};

// traits and features hold the typed binary form of profile/typed_codec.h
// (the store passes the bytes through; ProfileBook and decode_features read
// them). The defaults are the encodings of "no traits" and "no features".
struct StoredProfile {
  uint64_t id = 0;
  std::string traits = std::string("\x01\x00", 2);
  std::string features = std::string("\x01\x00", 2);
  int64_t updated_at_ms = 0;
};

// One identity decision: a merge (`from` merged into `into`) or a refused
// link (the identifier `type`/`value` was not linked to `profile`, for
// `reason`), made while resolving the logged event `sequence`.
// An identifier value and how many distinct profiles it would link: the
// profiles it was refused to, those of the events it was refused on, and
// the profile that holds it (the quarantine of over-shared values).
struct SharedIdentifier {
  std::string type, value;
  uint64_t profiles = 0;
};

// One identifier link of a profile, with the timestamp of the event that
// made it (0: not known, a link stored before schema 21).
struct StoredLink {
  std::string type, value;
  int64_t at_ms = 0;
};

// An identifier whose profile probabilistic linkage joined to others: every
// event with (type, value) also carries the identifier (kLinkType, key).
struct LinkedIdentifier {
  std::string type, value, key;
  double probability = 0;  // the posterior P(match) of the link that made it
  // Why, as a JSON object (docs/cli.md#identity-explain): the record pair
  // behind `probability`, field by field. "" when an admin accepted the
  // pair in `halo identity review`, or for links stored before schema 9.
  std::string evidence;
};

// A pair of profiles identity.linkage found possibly one person (its
// probability in the review band), each named by its first identifier
// (stable across rebuilds, unlike profile ids); a < b.
// One fit of a feature builder's population step (`halo model show`).
struct ModelFit {
  std::string instance;        // the feature builder's name in the pipeline
  int64_t fitted_at_ms = 0;    // wall clock when it was fitted
  int64_t as_of_ms = 0;        // the run's reference time
  uint64_t profiles = 0;       // live profiles the fit saw
  uint64_t last_sequence = 0;  // the last logged event they held
  // In the order the builder reported them; names are [A-Za-z0-9_]+.
  std::vector<std::pair<std::string, double>> params;
  // The builder's configuration fingerprint when it fitted: a stored model
  // is reused only by the same configuration.
  std::string config;
  std::string model;  // the fitted model in the builder's encoding; may be empty
};

// A segment the store keeps live membership for (docs/segments.md).
struct SegmentDefinition {
  std::string name;
  std::string expression;     // as the pipeline declared it when last evaluated
  uint64_t size = 0;          // members now
  int64_t changed_at_ms = 0;  // the last entry or exit (or the definition)
};

// One change of a profile's segment memberships: the segments it entered
// and those it exited at one evaluation (`Segment Entered` / `Segment
// Exited` events, one per name), in the order changes happened.
struct SegmentChange {
  uint64_t id = 0;  // given by the store, ascending
  uint64_t profile_id = 0;
  std::vector<std::string> entered, exited;  // names, ascending; not both empty
  int64_t at_ms = 0;
};

// When a profile's segment memberships may next change without a change
// to the profile (a condition on now()); nullopt: never (none is kept).
struct SegmentCheck {
  uint64_t profile_id = 0;
  std::optional<int64_t> due_ms;
};

// A scheduled fire of a trigger for one profile (docs/triggers.md).
struct TriggerTimer {
  uint64_t id = 0;  // given by the store
  std::string trigger;
  uint64_t profile_id = 0;
  uint64_t occurrence = 0;  // what started it: the SegmentChange id, or the event's sequence
  int64_t due_ms = 0;
  // When what started it happened: the segment change's reference time, or
  // the event's timestamp (an `unless` event at or after it cancels).
  int64_t started_at_ms = 0;
};

// Every status an outbox message can have, in the order listings show them.
inline constexpr const char *kOutboxStatuses[] = {"pending", "sent",       "failed",
                                                  "dead",    "suppressed", "held_out"};

// A message a trigger made, in the outbox until a destination delivers it.
struct OutboxMessage {
  uint64_t id = 0;              // given by the store
  std::string idempotency_key;  // trigger:profile:occurrence, unique
  std::string trigger;
  uint64_t profile_id = 0;
  std::string channel, destination, template_name;
  std::string variables;  // a JSON object
  std::string status;     // pending | sent | failed | dead | suppressed | held_out
  int64_t created_at_ms = 0, updated_at_ms = 0;
  std::string attempts = "[]";  // a JSON array, one object per delivery attempt
  int64_t fired_at_ms = 0;      // when the trigger fired: its timer's due time (reference clock)
  std::string reason;           // why a message is suppressed or dead ("" otherwise)
  int64_t attempt_count = 0;    // delivery attempts made
  int64_t next_attempt_ms = 0;  // not delivered before (wall clock): a retry, quiet hours
  std::string recipient;        // the address it was last handed over to ("" before)
  // What the receiver reported after accepting it (DeliveryReceipt): its
  // weightiest report so far, "" when none came.
  std::string receipt, receipt_detail;
  int64_t receipt_at_ms = 0;
  // Set when it is sent: the destination's detail (the receiver's id of
  // it) and the time. For a destination whose reports are polled
  // (poll_receipts): the polls made and when the next is due (0: none).
  std::string provider_id;
  int64_t sent_at_ms = 0;
  int64_t polls = 0;
  int64_t next_poll_ms = 0;
};

// What became of a message after its destination accepted it, as the
// receiver reports later (a status callback). Weights, lowest first:
// delivered, undelivered, bounced, complained; a message keeps its
// weightiest report, so late or repeated reports change nothing.
struct DeliveryReceipt {
  std::string status;  // delivered | undelivered | bounced | complained
  std::string detail;  // the receiver's id and words
  int64_t at_ms = 0;
};

// One statement about whether an address may be sent messages on a
// channel (docs/consent.md): an opt-in or an opt-out, who made it and how
// it is proven. The ledger only grows; an address's state is its latest
// record (by at_ms, then id).
struct ConsentRecord {
  uint64_t id = 0;      // given by the store
  std::string channel;  // email, sms, ...
  std::string address;  // normalized as the channel's identifier type
  bool opted_in = false;
  std::string reason;  // unsubscribe_link, opted_out_at_receiver, bounce, operator, ...
  std::string source;  // who said it: "halo serve", "destination sms (twilio)", "halo consent"
  std::string proof;   // what shows it: the message key, the receiver's answer, a note
  int64_t at_ms = 0;
};

struct LinkReview {
  enum class Status { kOpen, kAccepted, kRejected };
  uint64_t id = 0;  // given by the store
  std::string a_type, a_value, b_type, b_value;
  double probability = 0;
  Status status = Status::kOpen;
  int64_t at_ms = 0;
};
// "open", "accepted" or "rejected": the stored and printed form.
const char *link_review_status_name(LinkReview::Status status);

struct IdentityDecision {
  enum class Kind { kMerge, kRefusedLink } kind = Kind::kMerge;
  uint64_t sequence = 0;
  uint64_t from = 0, into = 0;  // kMerge
  std::string type, value;      // kRefusedLink
  uint64_t profile = 0;         // kRefusedLink
  std::string reason;           // kRefusedLink
};

// What made a profile what it is (`halo identity explain`): its identifier
// links, each with the logged event that made it (0 for links stored before
// schema 5); every merge into it or into a profile merged into it, at any
// depth, in the order they happened; and the links refused to any of those
// profiles.
struct IdentityHistory {
  struct Link {
    std::string type, value;
    uint64_t sequence = 0;
  };
  std::vector<Link> links;                // by type, then value
  std::vector<IdentityDecision> merges;   // kMerge, by sequence
  std::vector<IdentityDecision> refused;  // kRefusedLink, by sequence
};

struct StoreOpenOptions {
  // Open an existing store only: never creates, migrates or writes it
  // (NotFound when it is missing or empty -- the first run may be creating
  // it -- InvalidArgument when it is not at the current schema version).
  // Writes then fail (InvalidArgument), and so do begin(), commit() and
  // rollback(). Every read sees the snapshot of the first one (one read
  // transaction for the Store's life): a concurrent writer's later commits
  // are not seen, and a long-lived reader holds back the writer's cleanup,
  // so close it soon. [SQLite: the reader keeps the WAL from being
  // checkpointed past its snapshot. No file is left behind: the connection
  // is read-write but query_only, so when it is the last one to close it
  // checkpoints and removes the -wal and -shm files that opening an idle
  // store created (as any SQLite connection does); it never touches the
  // lock file.]
  bool read_only = false;
  // Write beside another Store of this process that holds the writer lock
  // (`halo serve`'s HTTP handlers record consent while its pipeline runs):
  // the lock is not taken again. [SQLite: the two connections' write
  // transactions take turns; a write waits up to 5 s for the other's.]
  bool beside_writer = false;
  // Run check_invariants() at open. The rebuild turns it off: it recomputes
  // exactly the derived data the invariants are about.
  bool check_invariants = true;
  // Memory the backend may use to cache the store's pages (SQLite's page
  // cache, `PRAGMA cache_size`); the pipeline file's `store.cache_bytes`.
  // Empty: the cache follows the store's size (auto_store_cache_bytes() in
  // store_kind.h, re-sized after each commit).
  std::optional<int64_t> cache_bytes = std::nullopt;
  // The zstd level new event batches are compressed at; the pipeline
  // file's `store.log_compression_level`.
  int log_compression_level = kDefaultLogCompressionLevel;
};

// The store interface. Ownership: the caller of open_store() owns the Store;
// destroying it closes the backend (rolling back an open transaction) and
// releases the writer lock.
class Store {
 public:
  virtual ~Store() = default;
  Store(const Store &) = delete;
  Store &operator=(const Store &) = delete;

  // Where the store lives, as given to open_store() (errors name it).
  virtual const std::string &path() const = 0;

  // Explicit transaction. Destroying the Store inside one rolls it back.
  // in_transaction() is true between begin() and commit()/rollback() (so
  // never on a read-only Store, whatever snapshot it holds).
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual Status rollback() = 0;
  virtual bool in_transaction() const = 0;

  // A hint that the caller has committed a run's bulk and goes on with
  // reads: the backend may start moving what it committed into its main
  // storage beside the caller's work, so that closing the store finds
  // little left to do. Changes nothing a reader or writer sees; a failure
  // is not reported (closing does the same work). [SQLite: a passive
  // checkpoint of the WAL on a connection and thread of its own
  // (https://www.sqlite.org/wal.html#checkpointing); at most one runs.]
  virtual void start_write_back() {}

  // Key/value metadata (e.g. "next_profile_id").
  virtual Result<std::optional<std::string>> get_meta(const std::string &key) = 0;
  virtual Status set_meta(const std::string &key, const std::string &value) = 0;

  // The profile id counter (meta "next_profile_id"; 1 when absent). A value
  // that is not a decimal number in [1, 2^63) is Corruption naming the key.
  virtual Result<uint64_t> next_profile_id() = 0;
  // Halo's own invariants that indexed lookups can check in microseconds:
  // the profile id counter is valid and above every stored profile id
  // (tables profiles and identifiers), and stored ids are positive
  // integers. A stale counter would make new people silently merge into
  // existing profiles. Errors are Corruption and say what to do.
  virtual Status check_invariants() = 0;

  // Source cursors; commit them in the transaction of the batch they describe.
  virtual Result<std::optional<std::string>> cursor(const std::string &source) = 0;
  virtual Status set_cursor(const std::string &source, std::string_view value) = 0;

  // Event log. `events` must carry sequences last_sequence()+1, +2, ...;
  // keys[i] belongs to events[i]; anything else is refused whole
  // (InvalidArgument). An empty call stores nothing. [SQLite: one
  // compressed row per call.]
  virtual Status append_events(const std::vector<LoggedEvent> &events,
                               const std::vector<MessageKey> &keys) = 0;
  virtual Result<uint64_t> last_sequence() = 0;  // 0 when empty
  virtual Result<uint64_t> event_count() = 0;
  // Replays the log in sequence order, one stored batch per callback; a
  // callback error stops the scan and is returned. Damaged rows are
  // Corruption naming the batch row.
  Status scan_events(const std::function<Status(const std::vector<LoggedEvent> &)> &fn) {
    return scan_events(1, UINT64_MAX, fn);
  }
  // The same for the stored batches holding any sequence in [first, last]
  // (whole batches: callers pick the sequences they need).
  virtual Status scan_events(uint64_t first, uint64_t last,
                             const std::function<Status(const std::vector<LoggedEvent> &)> &fn) = 0;
  // The message keys of the stored batches whose first sequence is above
  // `after`, at most `limit` batches, in sequence order: fn(first sequence,
  // keys, count) once per batch. Resumable: pass the last first sequence.
  virtual Status scan_message_keys(
      uint64_t after, size_t limit,
      const std::function<void(uint64_t, const MessageKey *, size_t)> &fn) = 0;
  // Every message key of the log.
  Status scan_message_keys(const std::function<void(const MessageKey *, size_t)> &fn) {
    return scan_message_keys(0, SIZE_MAX,
                             [&](uint64_t, const MessageKey *keys, size_t n) { fn(keys, n); });
  }

  // Identity graph.
  // `sequence`, `at_ms`: the log sequence and timestamp of the event that
  // made the link (0: not known).
  virtual Status put_identifier(std::string_view type, std::string_view value, uint64_t profile_id,
                                uint64_t sequence, int64_t at_ms) = 0;
  virtual Status repoint_identifiers(uint64_t from, uint64_t into) = 0;
  // Gives a link another time (an event with an earlier timestamp carries
  // the identifier); its profile and event stay. No link: nothing changes.
  virtual Status set_link_time(std::string_view type, std::string_view value, int64_t at_ms) = 0;
  // Every link with its time (`at_ms`, as put_identifier), by type, then
  // value.
  virtual Status scan_identifiers(
      const std::function<void(std::string_view type, std::string_view value, uint64_t profile,
                               int64_t at_ms)> &fn) = 0;
  // The identifiers of the profiles with ids in [first, last], by profile
  // id, then type, then value (bytewise).
  virtual Status scan_identifiers_by_profile(
      uint64_t first, uint64_t last,
      const std::function<void(uint64_t profile, std::string_view type, std::string_view value)>
          &fn) = 0;
  virtual Result<std::optional<uint64_t>> find_profile(std::string_view type,
                                                       std::string_view value) = 0;
  // A profile's links with their times, sorted by type, then value
  // (bytewise).
  virtual Result<std::vector<StoredLink>> links_of(uint64_t profile_id) = 0;
  // The links of the profiles `ids` (ascending, no repeats), by profile id,
  // then type, then value: links_of() for many profiles in one read.
  virtual Status scan_links_of(
      std::span<const uint64_t> ids,
      const std::function<void(uint64_t profile, std::string_view type, std::string_view value,
                               int64_t at_ms)> &fn) = 0;
  // The same identifiers, without their times.
  Result<std::vector<std::pair<std::string, std::string>>> identifiers_of(uint64_t profile_id);
  virtual Status add_merge(uint64_t from, uint64_t into, uint64_t sequence) = 0;
  // `event_profile`: the profile the event went to (0 when it went to none).
  virtual Status add_conflict(uint64_t sequence, std::string_view type, std::string_view value,
                              uint64_t profile_id, std::string_view reason,
                              uint64_t event_profile) = 0;
  // Every identifier value refused a link by an event after `after_sequence`,
  // with the number of distinct profiles it would link (SharedIdentifier).
  virtual Result<std::vector<SharedIdentifier>> overshared_identifiers(uint64_t after_sequence) = 0;
  virtual Result<uint64_t> merge_count() = 0;
  virtual Result<uint64_t> conflict_count() = 0;
  // Identifiers an operator detached from linking (`halo identity unmerge`):
  // decisions, not derived data, so clear_derived keeps them. detach
  // upserts; reattach of an identifier not detached is NotFound.
  virtual Status detach_identifier(std::string_view type, std::string_view value, int64_t at_ms,
                                   std::string_view note) = 0;
  virtual Status reattach_identifier(std::string_view type, std::string_view value) = 0;
  virtual Status scan_detached_identifiers(
      const std::function<void(std::string_view type, std::string_view value, int64_t at_ms,
                               std::string_view note)> &fn) = 0;
  // Source records an operator detached (`halo identity unmerge
  // --detach-record`): the record, named by its source and message id,
  // links nothing but its strongest identifier. Same contract as above.
  virtual Status detach_record(std::string_view source, std::string_view message_id, int64_t at_ms,
                               std::string_view note) = 0;
  virtual Status reattach_record(std::string_view source, std::string_view message_id) = 0;
  virtual Status scan_detached_records(
      const std::function<void(std::string_view source, std::string_view message_id, int64_t at_ms,
                               std::string_view note)> &fn) = 0;
  // Probabilistic links (identity.linkage): events with the identifier
  // also carry the link's key. Decisions: clear_derived keeps them.
  // link_identifier upserts.
  virtual Status link_identifier(const LinkedIdentifier &link, int64_t at_ms) = 0;
  virtual Status scan_linked_identifiers(
      const std::function<void(const LinkedIdentifier &)> &fn) = 0;
  // The review queue of identity.linkage. add_link_review keeps a pair
  // already queued (whatever its status) as it is; decide_link_review of
  // an id that is not open is NotFound. Decisions: clear_derived keeps them.
  virtual Status add_link_review(const LinkReview &review) = 0;
  virtual Status scan_link_reviews(const std::function<void(const LinkReview &)> &fn) = 0;  // by id
  virtual Status decide_link_review(uint64_t id, LinkReview::Status status) = 0;
  // Fitted parameters and models of feature builders, a history of fits
  // (clear_derived keeps them: a rebuild reuses a fit as the run does,
  // under the builder's `refit` policy). add_model_fit appends a fit;
  // latest_model_fit is the last one added for `instance`.
  virtual Status add_model_fit(const ModelFit &fit) = 0;
  virtual Result<std::optional<ModelFit>> latest_model_fit(std::string_view instance) = 0;
  // What made a profile (IdentityHistory); empty for an unknown id.
  virtual Result<IdentityHistory> identity_history(uint64_t profile_id) = 0;
  // Whether an identity rule refused a link to the profile or to a profile
  // merged into it (at any depth), or on an event that went to one of them:
  // whether the order of its events can have mattered.
  virtual Result<bool> has_refused_links(uint64_t profile_id) = 0;
  // Every merge and refused link, in event-log order (then as recorded).
  virtual Status scan_identity_decisions(
      const std::function<Status(const IdentityDecision &)> &fn) = 0;

  // Profiles. put_profile upserts traits and updated_at_ms only;
  // features change only through put_features (encode_features bytes).
  virtual Status put_profile(const StoredProfile &p) = 0;
  virtual Status put_features(uint64_t id, std::string_view features) = 0;
  virtual Status delete_profile(
      uint64_t id) = 0;  // also its features, feature state, re-emit, segments
  // A split (`halo identity unmerge`): removes what made the profile and
  // what was derived from it -- its identifier links, the merges into it
  // (at any depth) and the refused links of those profiles, its traits,
  // features, feature state and re-emit -- and keeps its id, its segment
  // memberships and re-check time, messages and timers, for the profile
  // its events, resolved again, make under the same id.
  virtual Status clear_profile(uint64_t id) = 0;
  // The stored features (encode_features bytes) of one profile, and of the
  // profiles with ids in [first, last], by id.
  virtual Result<std::optional<std::string>> get_features(uint64_t id) = 0;
  virtual Status scan_features(uint64_t first, uint64_t last,
                               const std::function<void(uint64_t, std::string_view)> &fn) = 0;
  // The stored features of the profiles `ids` (ascending, no repeats) that
  // have some, by id: get_features() for many profiles in one read.
  virtual Status get_features(std::span<const uint64_t> ids,
                              const std::function<void(uint64_t, std::string_view)> &fn) = 0;
  virtual Result<std::optional<StoredProfile>> get_profile(uint64_t id) = 0;
  // The stored ones of the profiles `ids` (ascending, no repeats), by id:
  // get_profile() for many profiles in one read.
  virtual Status get_profiles(std::span<const uint64_t> ids,
                              const std::function<void(const StoredProfile &)> &fn) = 0;
  virtual Status scan_profiles(const std::function<void(const StoredProfile &)> &fn) = 0;  // by id
  // Up to `limit` profiles with ids above `after`, by id (keyset paging).
  virtual Status scan_profiles(uint64_t after, size_t limit,
                               const std::function<void(const StoredProfile &)> &fn) = 0;
  virtual Result<uint64_t> profile_count() = 0;

  // Feature-builder state, keyed by feature instance name and profile.
  virtual Status put_feature_state(std::string_view instance, uint64_t profile_id, const void *data,
                                   size_t len) = 0;
  virtual Status delete_feature_state(std::string_view instance, uint64_t profile_id) = 0;
  // One profile's state row of `instance`; nullopt when it has none.
  virtual Result<std::optional<std::string>> get_feature_state(std::string_view instance,
                                                               uint64_t profile_id) = 0;
  // The state rows of `instance` of the profiles `ids` (ascending, no
  // repeats) that have one, by profile id.
  virtual Status get_feature_states(std::string_view instance, std::span<const uint64_t> ids,
                                    const std::function<void(uint64_t, std::string_view)> &fn) = 0;
  virtual Status scan_feature_state(
      std::string_view instance, const std::function<void(uint64_t, const void *, size_t)> &fn) = 0;
  // Whether `instance` has state for any profile.
  virtual Result<bool> has_feature_state(std::string_view instance) = 0;

  // Dead letters, in insertion order.
  virtual Status add_dead_letter(const DeadLetter &d) = 0;
  virtual Result<uint64_t> dead_letter_count() = 0;
  virtual Status scan_dead_letters(const std::function<void(const DeadLetter &)> &fn) = 0;
  // The dead letters `filter` selects, by id. [SQLite: filtered in SQL.]
  virtual Status scan_dead_letters(const DeadLetterFilter &filter,
                                   const std::function<void(const DeadLetter &)> &fn) = 0;
  virtual Result<std::optional<DeadLetter>> get_dead_letter(uint64_t id) = 0;
  // Replay (inside a transaction): a dead letter whose record landed is
  // deleted; one that failed again is updated in place (stage, reason,
  // message, raw, at_ms), keeping its id. An update that would duplicate
  // another dead letter's (source, stage, reason, raw) deletes that other
  // one, so the content stays unique.
  virtual Status delete_dead_letter(uint64_t id) = 0;
  virtual Status update_dead_letter(const DeadLetter &d) = 0;

  // Change log (profile_change.h). append_changes stores entries whose
  // sequences continue last_change_sequence() by one each, in order; an
  // entry that does not continue it is an error (a kernel bug: Internal)
  // after the entries before it in the same call were written, so roll the
  // transaction back. scan_changes returns up to `limit` entries after
  // `after`, by sequence.
  virtual Status append_changes(const std::vector<ProfileChange> &changes) = 0;
  virtual Result<uint64_t> last_change_sequence() = 0;  // 0 when empty
  virtual Status scan_changes(uint64_t after, size_t limit,
                              const std::function<void(const ProfileChange &)> &fn) = 0;
  // A change-log consumer's cursor: the last sequence it has fully
  // processed (nullopt when it never committed). Commit it in the transaction of
  // the outputs it describes.
  virtual Result<std::optional<uint64_t>> consumer_position(std::string_view consumer) = 0;
  virtual Status set_consumer_position(std::string_view consumer, uint64_t position) = 0;
  // Re-emit schedule: the time a profile's features change without a new
  // event (one entry per profile, the earliest). scan_due_reemits returns
  // the profiles due at or before `until_ms`, by due time then id.
  virtual Status schedule_reemit(uint64_t profile_id, int64_t due_ms) = 0;
  virtual Status cancel_reemit(uint64_t profile_id) = 0;
  virtual Status scan_due_reemits(int64_t until_ms, const std::function<void(uint64_t)> &fn) = 0;

  // Segment membership. Names are [a-z0-9_-]+ (InvalidArgument otherwise).
  // define_segment creates a segment (size 0) or updates its expression,
  // keeping its members; drop_segment deletes it and removes it from every
  // profile, without events (the segment is gone). change_segments stores
  // each change (ids are given by the store), updates the profiles'
  // memberships and the sizes and changed_at_ms of the segments they
  // name; entering a segment the profile is in, exiting one it is not in,
  // or naming an undefined segment is InvalidArgument (a kernel bug: roll
  // back). exit_all_segments ends every membership of a profile (one merged
  // away) with one change; delete_profile removes what is left, without one.
  virtual Result<std::vector<SegmentDefinition>> segment_definitions() = 0;  // by name
  virtual Status define_segment(std::string_view name, std::string_view expression,
                                int64_t at_ms) = 0;
  virtual Status drop_segment(std::string_view name) = 0;
  virtual Status change_segments(const std::vector<SegmentChange> &changes) = 0;
  virtual Status exit_all_segments(uint64_t profile_id, int64_t at_ms) = 0;
  virtual Result<std::vector<std::string>> segments_of(uint64_t profile_id) = 0;  // ascending
  // The memberships of the profiles `ids` (ascending, no repeats), by
  // profile id then segment name.
  virtual Status scan_segments_of(std::span<const uint64_t> ids,
                                  const std::function<void(uint64_t, std::string_view)> &fn) = 0;
  // Memberships of profiles first..last, by profile id then segment name.
  virtual Status scan_segments_by_profile(
      uint64_t first, uint64_t last,
      const std::function<void(uint64_t profile_id, std::string_view segment)> &fn) = 0;
  // Up to `limit` members of `segment` with ids above `after`, ascending.
  // [SQLite: reads every membership row after `after` until it has them.]
  virtual Status scan_segment_members(std::string_view segment, uint64_t after, size_t limit,
                                      const std::function<void(uint64_t profile_id)> &fn) = 0;
  // Sets the sizes of the segments named, as an evaluation of every
  // profile counted them (a repair: sizes are otherwise kept by
  // change_segments); an undefined name is InvalidArgument.
  virtual Status set_segment_sizes(const std::vector<std::pair<std::string, uint64_t>> &sizes) = 0;
  // Up to `limit` changes with ids above `after`, ascending.
  virtual Status scan_segment_changes(uint64_t after, size_t limit,
                                      const std::function<void(const SegmentChange &)> &fn) = 0;
  virtual Result<uint64_t> last_segment_change() = 0;  // the highest id, 0 when none
  // Triggers. Timers are due when due_ms <= until_ms (scan_due_trigger_timers:
  // by due time then id, up to `limit`); add_message stores a message
  // unless one with its idempotency key exists (then false, nothing
  // changed); scan_messages lists messages with ids above `after` (all
  // statuses when `status` is empty), by id, up to `limit`.
  virtual Status add_trigger_timer(const TriggerTimer &timer) = 0;
  virtual Status scan_due_trigger_timers(int64_t until_ms, size_t limit,
                                         const std::function<void(const TriggerTimer &)> &fn) = 0;
  virtual Status delete_trigger_timer(uint64_t id) = 0;
  virtual Result<bool> add_message(const OutboxMessage &message) = 0;
  virtual Status scan_messages(std::string_view status, uint64_t after, size_t limit,
                               const std::function<void(const OutboxMessage &)> &fn) = 0;
  // How many messages `trigger` made for `profile_id` that fired at or
  // after `since_ms` and were not suppressed (what a frequency cap counts).
  virtual Result<uint64_t> count_trigger_messages(std::string_view trigger, uint64_t profile_id,
                                                  int64_t since_ms) = 0;
  // Delivery (docs/messages.md): up to `limit` messages for `destination`
  // with ids above `after` that are `pending` or `failed` and due at
  // `now_ms` (next_attempt_ms: a retry's or the end of quiet hours), by id; update_delivery writes
  // a message's status, reason, attempts, attempt count, next attempt and update time; requeue_dead
  // makes every `dead` message `pending` again (all destinations when `destination` is empty) and
  // returns how many.
  virtual Status scan_deliverable_messages(
      std::string_view destination, int64_t now_ms, uint64_t after, size_t limit,
      const std::function<void(const OutboxMessage &)> &fn) = 0;
  virtual Status update_delivery(const OutboxMessage &message) = 0;
  virtual Result<uint64_t> requeue_dead(std::string_view destination) = 0;
  // Polled reports: up to `limit` `sent` messages of `destination` with
  // ids above `after`, no report yet, and a poll due at `now_ms`, by id;
  // set_receipt_poll records a poll made and the next one (0: none; also
  // 0 once the message has a report). A report stops the polls.
  virtual Status scan_receipt_polls(std::string_view destination, int64_t now_ms, uint64_t after,
                                    size_t limit,
                                    const std::function<void(const OutboxMessage &)> &fn) = 0;
  virtual Status set_receipt_poll(uint64_t id, int64_t polls, int64_t next_poll_ms) = 0;
  // The message with this id, or nullopt.
  virtual Result<std::optional<OutboxMessage>> message_by_id(uint64_t id) = 0;
  // Records `receipt` on message `id` unless it holds this report or a
  // weightier one already; whether it was recorded.
  virtual Result<bool> add_receipt(uint64_t id, const DeliveryReceipt &receipt) = 0;
  // How many messages on `channel` went to `profile_id` (any trigger)
  // that fired at or after `since_ms` and were not suppressed or held out:
  // what a channel's frequency cap counts.
  virtual Result<uint64_t> count_channel_messages(std::string_view channel, uint64_t profile_id,
                                                  int64_t since_ms) = 0;

  // Consent ledger (docs/consent.md); not derived: a rebuild keeps it.
  // add_consent appends a record (its id is given by the store);
  // latest_consent is the address's latest record on the channel, or
  // nullopt; scan_consent lists an address's records on every channel
  // (or one, when `channel` is not empty) oldest first, or every record
  // when `address` is empty too.
  virtual Status add_consent(const ConsentRecord &record) = 0;
  virtual Result<std::optional<ConsentRecord>> latest_consent(std::string_view channel,
                                                              std::string_view address) = 0;
  virtual Status scan_consent(std::string_view channel, std::string_view address,
                              const std::function<void(const ConsentRecord &)> &fn) = 0;
  // The profile `profile_id` is now: the profile it was merged into (at
  // any depth), else itself.
  virtual Result<uint64_t> live_profile(uint64_t profile_id) = 0;

  // Segment re-check schedule, like the re-emit schedule: the time a
  // profile's memberships may change without a change to the profile (a
  // condition on now()).
  // set_segment_checks applies `checks` in order (a profile named twice
  // keeps the last).
  virtual Status set_segment_checks(std::span<const SegmentCheck> checks) = 0;
  // Every profile's: before an evaluation of everyone, which schedules
  // each profile's again (one statement instead of a cancel per profile).
  virtual Status cancel_all_segment_checks() = 0;
  virtual Status scan_due_segment_checks(int64_t until_ms,
                                         const std::function<void(uint64_t)> &fn) = 0;

  // Rebuild support: deletes identifiers, merges, conflicts, profiles,
  // features, feature state, the change log, consumer cursors, the re-emit
  // and segment re-check schedules, feature-stage dead letters and meta
  // "next_profile_id"; keeps segment definitions, memberships and their
  // changes (the rebuild's evaluation records only what differs),
  // the event log, source cursors, other dead letters and other meta.
  virtual Status clear_derived() = 0;

 protected:
  Store() = default;
};

// The factory: opens the store of backend `kind` (store_kind.h; the
// pipeline file's `store.kind`) at `path` -- for SQLite a file, created with
// its parent directories and migrated to the current schema unless
// options.read_only. The one place that maps a kind to a backend. An
// unknown or not yet implemented kind is InvalidArgument naming the known
// kinds; every other error names the path.
Result<std::unique_ptr<Store>> open_store(std::string_view kind, const std::string &path,
                                          const StoreOpenOptions &options = {});

}  // namespace halo
