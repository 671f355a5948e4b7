// store.h -- the embedded profile store: the event
// log, cursors, identity graph, profiles, features, feature-builder state and
// dead letters, in one SQLite file.
//
// Invariants and usage:
//  - One Store per thread; the object is not thread-safe.
//  - One writer per store: a writable open takes the store's writer lock
//    (store_lock.h, `<store>.lock`) before it touches the file and holds it
//    until the Store is destroyed; while another process (or Store) holds
//    it, open() fails at once with Busy naming the holder's pid. Inside the
//    lock, transactions still use BEGIN IMMEDIATE and a 5 s busy timeout,
//    so SQLite's own locks never fail a write half-way.
//  - Any number of read-only Stores may be open beside the writer (WAL
//    mode). Each reads one consistent snapshot for its whole life, never
//    takes the writer lock and never creates a file (see read_only below).
//  - Every write must happen inside begin()...commit(); a write outside one is
//    refused (InvalidArgument) so a batch and the cursor that describes it
//    can never be committed separately. Reads work with or without one and
//    see the transaction's own uncommitted writes.
//  - The event log is append-only: append_events takes the next consecutive
//    sequences (last_sequence()+1, +2, ...). Each call stores one zstd blob.
//  - Scan callbacks must not write to the table being scanned. Views passed to
//    callbacks are valid only during the callback.
//  - Every read returns a Result: a database failure (damaged page, I/O
//    error, a column of the wrong type) is an error naming the store path
//    and the table, never "absent" or 0. std::nullopt means "no such row".
//  - open() checks the cheap invariants (check_invariants()) unless told
//    not to; check_store() (store_check.h) runs the full, slow checks.
//  - Unsigned ids and sequences are stored as SQLite's signed 64-bit INTEGER;
//    values above 2^63 are not supported.
//
// Durability: WAL with synchronous=NORMAL -- a committed transaction survives
// a process crash; a power loss may drop the last few commits but never
// corrupts the file or splits a transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/logged_event.h"
#include "store/profile_change.h"

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

struct StoreOpenOptions {
  // Open an existing store only: never creates, migrates or writes it
  // (NotFound when the file is missing or empty -- the first run may be
  // creating it -- InvalidArgument when it is not at the current schema
  // version). Writes then fail, and so do begin(), commit() and rollback().
  // Every read sees the snapshot of the first one (one read transaction for
  // the Store's life): a concurrent writer's later commits are not seen, and
  // a long-lived reader keeps the writer's WAL from being checkpointed past
  // that snapshot, so close it soon. No file is left behind: the connection
  // is read-write but query_only, so when it is the last one to close it
  // checkpoints and removes the -wal and -shm files that opening an idle
  // store created (as any SQLite connection does); it never touches the
  // lock file.
  bool read_only = false;
  // Run check_invariants() at open. The rebuild turns it off: it recomputes
  // exactly the derived data the invariants are about.
  bool check_invariants = true;
};

class Store {
 public:
  // Opens or creates the SQLite file at `path` (creating parent directories)
  // and migrates it to the current schema. Errors name the path.
  static Result<std::unique_ptr<Store>> open(const std::string &path,
                                             const StoreOpenOptions &options = {});
  ~Store();
  Store(const Store &) = delete;
  Store &operator=(const Store &) = delete;

  const std::string &path() const;

  // Explicit transaction. Destroying the Store inside one rolls it back.
  Status begin();
  Status commit();
  Status rollback();
  bool in_transaction() const;

  // Key/value metadata (e.g. "next_profile_id").
  Result<std::optional<std::string>> get_meta(const std::string &key);
  Status set_meta(const std::string &key, const std::string &value);

  // The profile id counter (meta "next_profile_id"; 1 when absent). A value
  // that is not a decimal number in [1, 2^63) is Corruption naming the key.
  Result<uint64_t> next_profile_id();
  // Halo's own invariants that indexed lookups can check in microseconds:
  // the profile id counter is valid and above every stored profile id
  // (tables profiles and identifiers), and stored ids are positive
  // integers. A stale counter would make new people silently merge into
  // existing profiles. Errors are Corruption and say what to do.
  Status check_invariants();

  // Source cursors; commit them in the transaction of the batch they describe.
  Result<std::optional<std::string>> cursor(const std::string &source);
  Status set_cursor(const std::string &source, std::string_view value);

  // Event log. `events` must carry sequences last_sequence()+1, +2, ...;
  // keys[i] belongs to events[i]. Stores one compressed row per call; an empty
  // call stores nothing.
  Status append_events(const std::vector<LoggedEvent> &events, const std::vector<MessageKey> &keys);
  Result<uint64_t> last_sequence();  // 0 when empty
  Result<uint64_t> event_count();
  // Replays the log in sequence order, one stored batch per callback; a
  // callback error stops the scan and is returned. Damaged rows are
  // Corruption naming the batch row.
  Status scan_events(const std::function<Status(const std::vector<LoggedEvent> &)> &fn);
  Status scan_message_keys(const std::function<void(const MessageKey *, size_t)> &fn);

  // Identity graph.
  Status put_identifier(std::string_view type, std::string_view value, uint64_t profile_id);
  Status repoint_identifiers(uint64_t from, uint64_t into);
  Status scan_identifiers(const std::function<void(std::string_view type, std::string_view value,
                                                   uint64_t profile)> &fn);
  // The identifiers of the profiles with ids in [first, last], by profile
  // id, then type, then value (bytewise).
  Status scan_identifiers_by_profile(
      uint64_t first, uint64_t last,
      const std::function<void(uint64_t profile, std::string_view type, std::string_view value)>
          &fn);
  Result<std::optional<uint64_t>> find_profile(std::string_view type, std::string_view value);
  // Sorted by type, then value (bytewise).
  Result<std::vector<std::pair<std::string, std::string>>> identifiers_of(uint64_t profile_id);
  Status add_merge(uint64_t from, uint64_t into, uint64_t sequence);
  Status add_conflict(uint64_t sequence, std::string_view type, std::string_view value,
                      uint64_t profile_id, std::string_view reason);
  Result<uint64_t> merge_count();
  Result<uint64_t> conflict_count();

  // Profiles. put_profile upserts traits and updated_at_ms only;
  // features change only through put_features (encode_features bytes).
  Status put_profile(const StoredProfile &p);
  Status put_features(uint64_t id, std::string_view features);
  Status delete_profile(uint64_t id);  // also its features, feature state, re-emit
  // The stored features (encode_features bytes) of one profile, and of the
  // profiles with ids in [first, last], by id.
  Result<std::optional<std::string>> get_features(uint64_t id);
  Status scan_features(uint64_t first, uint64_t last,
                       const std::function<void(uint64_t, std::string_view)> &fn);
  Result<std::optional<StoredProfile>> get_profile(uint64_t id);
  Status scan_profiles(const std::function<void(const StoredProfile &)> &fn);  // by id
  // Up to `limit` profiles with ids above `after`, by id (keyset paging).
  Status scan_profiles(uint64_t after, size_t limit,
                       const std::function<void(const StoredProfile &)> &fn);
  Result<uint64_t> profile_count();

  // Feature-builder state, keyed by feature instance name and profile.
  Status put_feature_state(std::string_view instance, uint64_t profile_id, const void *data,
                           size_t len);
  Status delete_feature_state(std::string_view instance, uint64_t profile_id);
  Result<std::optional<std::string>> get_feature_state(std::string_view instance,
                                                       uint64_t profile_id);
  Status scan_feature_state(std::string_view instance,
                            const std::function<void(uint64_t, const void *, size_t)> &fn);

  // Dead letters, in insertion order.
  Status add_dead_letter(const DeadLetter &d);
  Result<uint64_t> dead_letter_count();
  Status scan_dead_letters(const std::function<void(const DeadLetter &)> &fn);
  // The dead letters `filter` selects, by id (filtered in SQL).
  Status scan_dead_letters(const DeadLetterFilter &filter,
                           const std::function<void(const DeadLetter &)> &fn);
  Result<std::optional<DeadLetter>> get_dead_letter(uint64_t id);
  // Replay (inside a transaction): a dead letter whose record landed is
  // deleted; one that failed again is updated in place (stage, reason,
  // message, raw, at_ms), keeping its id. An update that would duplicate
  // another dead letter's (source, stage, reason, raw) deletes that other
  // one, so the content stays unique.
  Status delete_dead_letter(uint64_t id);
  Status update_dead_letter(const DeadLetter &d);

  // Change log (profile_change.h). append_changes stores entries whose
  // sequences continue last_change_sequence() by one each, in order;
  // scan_changes returns up to `limit` entries after `after`, by sequence.
  Status append_changes(const std::vector<ProfileChange> &changes);
  Result<uint64_t> last_change_sequence();  // 0 when empty
  Status scan_changes(uint64_t after, size_t limit,
                      const std::function<void(const ProfileChange &)> &fn);
  // A change-log consumer's cursor: the last sequence it has fully
  // processed (nullopt when it never committed). Commit it in the transaction of
  // the outputs it describes.
  Result<std::optional<uint64_t>> consumer_position(std::string_view consumer);
  Status set_consumer_position(std::string_view consumer, uint64_t position);
  // Re-emit schedule: the time a profile's features change without a new
  // event (one entry per profile, the earliest). scan_due_reemits returns
  // the profiles due at or before `until_ms`, by due time then id.
  Status schedule_reemit(uint64_t profile_id, int64_t due_ms);
  Status cancel_reemit(uint64_t profile_id);
  Status scan_due_reemits(int64_t until_ms, const std::function<void(uint64_t)> &fn);

  // Rebuild support: deletes identifiers, merges, conflicts, profiles,
  // features, feature state, the change log, consumer cursors, the re-emit
  // schedule and meta "next_profile_id"; keeps the event log, source
  // cursors, dead letters and other meta.
  Status clear_derived();

  struct Impl;

 private:
  friend struct StoreAccess;  // store_impl.h
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace halo
