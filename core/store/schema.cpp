// schema.cpp -- the store's schema history as an ordered migration list.
//
// Never edit a migration that has shipped: append a new one. Tables:
//  meta(key, value)                 small key/value facts, e.g. next_profile_id
//  cursors(source, value)           source checkpoints; value is opaque bytes
//  event_batches(first_seq PK, last_seq, count, codec, data_size, keys, data)
//                                   the event log, one row per appended batch;
//                                   data = zstd(event_codec payload), keys =
//                                   count x 16-byte message keys, uncompressed;
//                                   data_size = payload bytes before zstd
//  identifiers(type, value, profile_id, sequence, at_ms)  PK(type, value);
//                                   index on (profile_id, type, value, at_ms);
//                                   sequence and at_ms:
//                                   the log sequence and timestamp of the
//                                   event that made the link (0: not known)
//  merges(id, from_profile, into_profile, sequence)
//  conflicts(id, sequence, type, value, profile_id, reason, event_profile)
//                                   event_profile: the profile the event went
//                                   to (0 before v7); index on (type, value)
//  profiles(id PK, traits, updated_at_ms)  traits: typed binary form
//                                   (profile/typed_codec.h; JSON text before v3)
//  features(profile_id PK, features)  typed binary form; kept apart from traits so that
//                                   trait and feature writers do not clobber
//  feature_state(instance, profile_id, data)  PK(instance, profile_id);
//                                   no index by profile (since v23)
//  dead_letters(id, at_ms, stage, reason, message, source, position, raw,
//               content_key)   unique (source, content_key) when not NULL
//  changes(sequence PK, profile_id, kinds, merged_into, at_ms)
//                                   the change log (profile_change.h)
//  detached_identifiers(type, value, at_ms, note)  PK(type, value)
//  detached_records(source, message_id, at_ms, note)  PK(source, message_id)
//  linked_identifiers(type, value, link_key, probability_ppm, at_ms, evidence)
//                                   PK(type, value); evidence: JSON text, '' before v9
//  link_reviews(id, a_type, a_value, b_type, b_value, probability_ppm, status, at_ms)
//                                   status: open | accepted | rejected
//  consumers(name PK, position)     change-log consumers' committed cursors
//  reemits(profile_id PK, due_ms)   when a profile's features change by
//                                   time alone; index on due_ms
//  model_fits(id PK, instance, fitted_at_ms, as_of_ms, profiles, last_sequence,
//             params, config, model) feature builders' fitted parameters;
//                                   params: "name=value" lines, values as
//                                   shortest round-trip decimals; config:
//                                   the builder's configuration fingerprint;
//                                   model: its model_data (both '' before v12)
//  segment_definitions(name PK, expression, size, changed_at_ms)
//                                   the segments membership is kept for;
//                                   size: members now; changed_at_ms: the
//                                   last entry or exit
//  segment_members(profile_id PK, segments)  the segments a profile belongs
//                                   to: names ascending, joined by ','
//  segment_events(id PK, profile_id, entered, exited, at_ms)
//                                   one row per membership change of a
//                                   profile: names entered and exited, as above
//  trigger_timers(id PK, trigger, profile_id, occurrence, due_ms)
//                                   scheduled trigger fires; index on due_ms
//  outbox(id PK, idempotency_key UNIQUE, trigger, profile_id, channel,
//         destination, template, variables, status, created_at_ms,
//         updated_at_ms, attempts, fired_at_ms, ..., recipient)  messages triggers made;
//                                   variables: a JSON object; attempts: a
//                                   JSON array; index on (trigger,
//                                   profile_id, fired_at_ms)
//  segment_checks(profile_id PK, due_ms)  when a profile's memberships may
//                                   change by time alone; index on due_ms
//  consent(id PK, channel, address, opted_in, reason, source, proof, at_ms)
//                                   the consent ledger, append-only; an
//                                   address's state is its latest record
// 64-bit unsigned ids and sequences are stored as SQLite's signed INTEGER.
#include "store/migrations.h"
#include "store/typed_migration.h"

namespace halo::store {

namespace {

constexpr const char *kInitialSchema = R"sql(
PRAGMA application_id = 1212238927; -- kHaloApplicationId, 0x48414c4f "HALO"
CREATE TABLE meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE cursors(
  source TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE event_batches(
  first_seq INTEGER PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  count INTEGER NOT NULL,
  codec INTEGER NOT NULL,
  data_size INTEGER NOT NULL,
  keys BLOB NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE identifiers(
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  profile_id INTEGER NOT NULL,
  PRIMARY KEY(type, value)
) WITHOUT ROWID;
CREATE INDEX identifiers_by_profile ON identifiers(profile_id);
CREATE TABLE merges(
  id INTEGER PRIMARY KEY,
  from_profile INTEGER NOT NULL,
  into_profile INTEGER NOT NULL,
  sequence INTEGER NOT NULL
);
CREATE TABLE conflicts(
  id INTEGER PRIMARY KEY,
  sequence INTEGER NOT NULL,
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  profile_id INTEGER NOT NULL,
  reason TEXT NOT NULL
);
CREATE TABLE profiles(
  id INTEGER PRIMARY KEY,
  traits_json TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE features(
  profile_id INTEGER PRIMARY KEY,
  features_json TEXT NOT NULL
);
CREATE TABLE feature_state(
  instance TEXT NOT NULL,
  profile_id INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY(instance, profile_id)
) WITHOUT ROWID;
CREATE INDEX feature_state_by_profile ON feature_state(profile_id);
CREATE TABLE dead_letters(
  id INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  stage TEXT NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  source TEXT NOT NULL,
  position TEXT NOT NULL,
  raw BLOB NOT NULL
);
)sql";

// Dead letters are kept once per (source, content_key), where content_key
// is XXH3-128 of (stage, reason, raw) computed by add_dead_letter; NULL
// (never de-duplicated) for a dead letter without raw bytes. So a bad row
// that a re-read file still holds is not dead-lettered again.
constexpr const char *kDeadLetterContentKeys = R"sql(
ALTER TABLE dead_letters ADD COLUMN content_key BLOB;
CREATE UNIQUE INDEX dead_letters_by_content ON dead_letters(source, content_key)
  WHERE content_key IS NOT NULL;
)sql";

// Traits and features become typed values (profile/typed_codec.h) in BLOB
// columns: the tables are rebuilt with the new column names and types, then
// convert_rows_to_typed re-encodes each row's JSON text.
constexpr const char *kTypedProfiles = R"sql(
CREATE TABLE profiles_typed(
  id INTEGER PRIMARY KEY,
  traits BLOB NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
INSERT INTO profiles_typed(id, traits, updated_at_ms)
  SELECT id, traits_json, updated_at_ms FROM profiles;
DROP TABLE profiles;
ALTER TABLE profiles_typed RENAME TO profiles;
CREATE TABLE features_typed(
  profile_id INTEGER PRIMARY KEY,
  features BLOB NOT NULL
);
INSERT INTO features_typed(profile_id, features) SELECT profile_id, features_json FROM features;
DROP TABLE features;
ALTER TABLE features_typed RENAME TO features;
)sql";

// Kernel 2: every commit logs the profiles it changed; feature emission
// and destinations consume that log from their own committed cursors.
constexpr const char *kChangeLog = R"sql(
CREATE TABLE changes(
  sequence INTEGER PRIMARY KEY,
  profile_id INTEGER NOT NULL,
  kinds INTEGER NOT NULL,
  merged_into INTEGER NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE TABLE consumers(
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE reemits(
  profile_id INTEGER PRIMARY KEY,
  due_ms INTEGER NOT NULL
);
CREATE INDEX reemits_by_due ON reemits(due_ms);
)sql";

// Identity explained (`halo identity explain`, `halo identity merges`):
// each identifier link remembers the logged event that made it (0: linked
// before this migration), and merges and refused links are found by profile.
constexpr const char *kIdentityHistory = R"sql(
ALTER TABLE identifiers ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
CREATE INDEX merges_by_into ON merges(into_profile);
CREATE INDEX conflicts_by_profile ON conflicts(profile_id);
)sql";

// Operators' identity decisions (`halo identity unmerge`): identifiers
// detached from linking. Decisions, not derived data: rebuild keeps them.
constexpr const char *kDetachedIdentifiers = R"sql(
CREATE TABLE detached_identifiers(
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY(type, value)
) WITHOUT ROWID;
)sql";

// Over-shared identifier values (quarantine): a refused link remembers the
// profile its event went to, and the refusals of one value are found
// together.
constexpr const char *kConflictProfiles = R"sql(
ALTER TABLE conflicts ADD COLUMN event_profile INTEGER NOT NULL DEFAULT 0;
CREATE INDEX conflicts_by_value ON conflicts(type, value);
)sql";

// Probabilistic links between profiles (identity.linkage): an identifier
// of each linked profile carries the link's key, which the kernel adds to
// every event with that identifier; pairs in the review band wait for an
// admin (`halo identity review`), each profile named by its first
// identifier. Decisions, not derived data: rebuild keeps them.
constexpr const char *kLinkedIdentifiers = R"sql(
CREATE TABLE linked_identifiers(
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  link_key TEXT NOT NULL,
  probability_ppm INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  PRIMARY KEY(type, value)
) WITHOUT ROWID;
CREATE TABLE link_reviews(
  id INTEGER PRIMARY KEY,
  a_type TEXT NOT NULL,
  a_value TEXT NOT NULL,
  b_type TEXT NOT NULL,
  b_value TEXT NOT NULL,
  probability_ppm INTEGER NOT NULL,
  status TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  UNIQUE(a_type, a_value, b_type, b_value)
);
)sql";

// A probabilistic link keeps the field-by-field comparison that made it,
// for `halo identity explain`.
constexpr const char *kLinkEvidence = R"sql(
ALTER TABLE linked_identifiers ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
)sql";

// Operators' decisions that one source record links nothing but its
// strongest identifier (`halo identity unmerge --detach-record`).
constexpr const char *kDetachedRecords = R"sql(
CREATE TABLE detached_records(
  source TEXT NOT NULL,
  message_id TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY(source, message_id)
) WITHOUT ROWID;
)sql";

// Parameters feature builders fit over every profile (ABI 1.2 fit()).
constexpr const char *kModelFits = R"sql(
CREATE TABLE model_fits(
  id INTEGER PRIMARY KEY,
  instance TEXT NOT NULL,
  fitted_at_ms INTEGER NOT NULL,
  as_of_ms INTEGER NOT NULL,
  profiles INTEGER NOT NULL,
  last_sequence INTEGER NOT NULL,
  params TEXT NOT NULL
);
CREATE INDEX model_fits_by_instance ON model_fits(instance, id);
)sql";

// A fit's configuration and model, for reuse between refits (load_model).
constexpr const char *kModelData = R"sql(
ALTER TABLE model_fits ADD COLUMN config TEXT NOT NULL DEFAULT '';
ALTER TABLE model_fits ADD COLUMN model BLOB NOT NULL DEFAULT x'';
)sql";

// Live segment membership (docs/segments.md): derived from profiles, so a
// rebuild recomputes it. One row per profile and one event row per change
// of a profile (not per segment): evaluating twenty segments writes a row
// or two per profile, not forty.
constexpr const char *kSegmentMembership = R"sql(
CREATE TABLE segment_definitions(
  name TEXT PRIMARY KEY,
  expression TEXT NOT NULL,
  size INTEGER NOT NULL,
  changed_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE segment_members(
  profile_id INTEGER PRIMARY KEY,
  segments TEXT NOT NULL
);
CREATE TABLE segment_events(
  id INTEGER PRIMARY KEY,
  profile_id INTEGER NOT NULL,
  entered TEXT NOT NULL,
  exited TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE TABLE segment_checks(
  profile_id INTEGER PRIMARY KEY,
  due_ms INTEGER NOT NULL
);
CREATE INDEX segment_checks_by_due ON segment_checks(due_ms);
)sql";

// Triggers (docs/triggers.md): scheduled fires and the messages they make.
// Not derived data: a rebuild keeps both (a message made is never made
// again).
constexpr const char *kTriggersAndOutbox = R"sql(
CREATE TABLE trigger_timers(
  id INTEGER PRIMARY KEY,
  trigger TEXT NOT NULL,
  profile_id INTEGER NOT NULL,
  occurrence INTEGER NOT NULL,
  due_ms INTEGER NOT NULL
);
CREATE INDEX trigger_timers_by_due ON trigger_timers(due_ms);
CREATE TABLE outbox(
  id INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  trigger TEXT NOT NULL,
  profile_id INTEGER NOT NULL,
  channel TEXT NOT NULL,
  destination TEXT NOT NULL,
  template TEXT NOT NULL,
  variables TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  attempts TEXT NOT NULL
);
CREATE INDEX outbox_by_status ON outbox(status, id);
)sql";

// When each message's trigger fired (its timer's due time, on the
// pipeline's reference clock): what frequency caps count by. Messages made
// before this version count as fired when they were made.
constexpr const char *kOutboxFiredAt = R"sql(
ALTER TABLE outbox ADD COLUMN fired_at_ms INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET fired_at_ms = created_at_ms;
CREATE INDEX outbox_by_trigger ON outbox(trigger, profile_id, fired_at_ms);
)sql";

// Event triggers and `unless` (docs/triggers.md): a timer keeps when what
// started it happened (timers stored before start when they are due, so
// only later events cancel them); a message keeps why it was suppressed;
// a merged-away profile is followed to the one that absorbed it.
constexpr const char *kTriggerStartsAndReasons = R"sql(
ALTER TABLE trigger_timers ADD COLUMN started_at_ms INTEGER NOT NULL DEFAULT 0;
UPDATE trigger_timers SET started_at_ms = due_ms;
ALTER TABLE outbox ADD COLUMN reason TEXT NOT NULL DEFAULT '';
CREATE INDEX merges_by_from ON merges(from_profile);
)sql";

// Delivery from the outbox (docs/messages.md): attempts made, when a
// failed message is retried, and the messages of one destination due.
constexpr const char *kOutboxDelivery = R"sql(
ALTER TABLE outbox ADD COLUMN attempt_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_ms INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_by_destination ON outbox(destination, status, id);
)sql";

// Consent (docs/consent.md): the append-only ledger of opt-ins and
// opt-outs per channel and address, and the address each message was
// handed over to (what its unsubscribe link opts out).
constexpr const char *kConsentLedger = R"sql(
CREATE TABLE consent (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  opted_in INTEGER NOT NULL,
  reason TEXT NOT NULL,
  source TEXT NOT NULL,
  proof TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX consent_by_address ON consent(channel, address, at_ms, id);
ALTER TABLE outbox ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
)sql";

// Delivery reports (plugin.h, delivery_receipt): each message's weightiest
// report; messages by profile and channel, for channel frequency caps.
constexpr const char *kDeliveryReceipts = R"sql(
ALTER TABLE outbox ADD COLUMN receipt TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN receipt_detail TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN receipt_at_ms INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_by_channel ON outbox(profile_id, channel, fired_at_ms);
)sql";

// Polled delivery reports (plugin.h, poll_receipts): what the destination
// said when it accepted a message (the receiver's id), when, and when the
// receiver is asked next (0: never again); only messages still to be asked
// are indexed.
constexpr const char *kReceiptPolls = R"sql(
ALTER TABLE outbox ADD COLUMN provider_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN sent_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN polls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_poll_ms INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_receipt_polls ON outbox(destination, id) WHERE next_poll_ms > 0;
)sql";

// Limits with a time window (`max_per_profile: 5 per 7d`) count the
// identifiers a profile took within the window: each link keeps the
// timestamp of the event that made it (0: linked before this migration).
constexpr const char *kIdentifierTimes = R"sql(
ALTER TABLE identifiers ADD COLUMN at_ms INTEGER NOT NULL DEFAULT 0;
)sql";

// A profile's links are read with their times (Store::links_of) each time a
// run touches the profile: an index that holds the times answers from the
// index alone, instead of one primary-key search per identifier.
constexpr const char *kIdentifierTimesByProfile = R"sql(
DROP INDEX identifiers_by_profile;
CREATE INDEX identifiers_by_profile ON identifiers(profile_id, type, value, at_ms);
)sql";

// A builder's state row is written for every profile a commit touched; the
// index by profile doubled each write (two B-trees, the index's pages
// rewritten beside the table's), for the one statement that reads by
// profile alone (a merged-away profile's states), which now seeks each
// builder's row instead.
constexpr const char *kFeatureStateWithoutProfileIndex = R"sql(
DROP INDEX feature_state_by_profile;
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial schema", kInitialSchema},
    {2, "dead letters keyed by content", kDeadLetterContentKeys},
    {3, "typed traits and features", kTypedProfiles, convert_rows_to_typed},
    {4, "change log, consumer cursors, re-emit schedule", kChangeLog},
    {5, "identifier links name their event; merges and conflicts by profile", kIdentityHistory},
    {6, "identifiers detached from linking by an operator", kDetachedIdentifiers},
    {7, "refused links name their event's profile; refused links by value", kConflictProfiles},
    {8, "probabilistic links between profiles and their review queue", kLinkedIdentifiers},
    {9, "probabilistic links keep their field-by-field evidence", kLinkEvidence},
    {10, "source records detached from linking by an operator", kDetachedRecords},
    {11, "feature builders' fitted parameters", kModelFits},
    {12, "feature builders' fitted models kept for reuse", kModelData},
    {13, "live segment membership, its entries and exits", kSegmentMembership},
    {14, "trigger timers and the message outbox", kTriggersAndOutbox},
    {15, "messages keep when their trigger fired, for frequency caps", kOutboxFiredAt},
    {16, "timers keep their start, messages why they were suppressed, merges by profile",
     kTriggerStartsAndReasons},
    {17, "messages keep their delivery attempts and next retry", kOutboxDelivery},
    {18, "the consent ledger; messages keep their recipient", kConsentLedger},
    {19, "messages keep their delivery reports; messages by profile and channel",
     kDeliveryReceipts},
    {20, "messages keep the receiver's id and when their delivery report is asked for",
     kReceiptPolls},
    {21, "identifier links keep their event's timestamp, for limits with a time window",
     kIdentifierTimes},
    {22, "a profile's identifier links are read from one index, with their times",
     kIdentifierTimesByProfile},
    {23, "feature builders' states are written to one B-tree, without an index by profile",
     kFeatureStateWithoutProfileIndex},
};

}  // namespace

std::span<const Migration> halo_migrations() {
  return kMigrations;
}

}  // namespace halo::store
