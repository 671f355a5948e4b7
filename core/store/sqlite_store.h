// sqlite_store.h -- the SQLite backend of the Store interface (store.h):
// every table in one embedded file, opened in WAL mode, one writer (the
// store_lock.h lock file) beside any number of snapshot readers. The
// contract is store.h's; what is SQLite's own is marked there with
// [SQLite: ...]. The methods are implemented across sqlite_store.cpp (open,
// transactions, meta, cursors), store_events.cpp, store_identity.cpp,
// store_profiles.cpp, store_dead_letters.cpp and store_changes.cpp, on the
// private state and query helpers of store_impl.h.
//
// Most code holds a Store and gets one from open_store(); SqliteStore is
// named only by code that needs the SQLite file itself (store_check.cpp's
// SQL-level checks through StoreAccess, tests that damage the file).
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace halo {

class SqliteStore final : public Store {
 public:
  // Opens or creates the SQLite file at `path` (creating parent directories)
  // and migrates it to the current schema; see StoreOpenOptions for a
  // read-only open. Errors name the path.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string &path,
                                                   const StoreOpenOptions &options = {});
  ~SqliteStore() override;

  // The Store interface; the contracts are in store.h.

  const std::string &path() const override;

  Status begin() override;
  Status commit() override;
  Status rollback() override;
  bool in_transaction() const override;
  void start_write_back() override;

  Result<std::optional<std::string>> get_meta(const std::string &key) override;
  Status set_meta(const std::string &key, const std::string &value) override;

  Result<uint64_t> next_profile_id() override;
  Status check_invariants() override;

  Result<std::optional<std::string>> cursor(const std::string &source) override;
  Status set_cursor(const std::string &source, std::string_view value) override;

  Status append_events(const std::vector<LoggedEvent> &events,
                       const std::vector<MessageKey> &keys) override;
  Result<uint64_t> last_sequence() override;
  Result<uint64_t> event_count() override;
  using Store::scan_events;
  Status scan_events(uint64_t first, uint64_t last,
                     const std::function<Status(const std::vector<LoggedEvent> &)> &fn) override;
  using Store::scan_message_keys;
  Status scan_message_keys(
      uint64_t after, size_t limit,
      const std::function<void(uint64_t, const MessageKey *, size_t)> &fn) override;

  Status put_identifier(std::string_view type, std::string_view value, uint64_t profile_id,
                        uint64_t sequence, int64_t at_ms) override;
  Status repoint_identifiers(uint64_t from, uint64_t into) override;
  Status set_link_time(std::string_view type, std::string_view value, int64_t at_ms) override;
  Status scan_identifiers(const std::function<void(std::string_view type, std::string_view value,
                                                   uint64_t profile, int64_t at_ms)> &fn) override;
  Status scan_identifiers_by_profile(
      uint64_t first, uint64_t last,
      const std::function<void(uint64_t profile, std::string_view type, std::string_view value)>
          &fn) override;
  Result<std::optional<uint64_t>> find_profile(std::string_view type,
                                               std::string_view value) override;
  Result<std::vector<StoredLink>> links_of(uint64_t profile_id) override;
  Status scan_links_of(std::span<const uint64_t> ids,
                       const std::function<void(uint64_t, std::string_view, std::string_view,
                                                int64_t)> &fn) override;
  Status add_merge(uint64_t from, uint64_t into, uint64_t sequence) override;
  Status add_conflict(uint64_t sequence, std::string_view type, std::string_view value,
                      uint64_t profile_id, std::string_view reason,
                      uint64_t event_profile) override;
  Result<std::vector<SharedIdentifier>> overshared_identifiers(uint64_t after_sequence) override;
  Status link_identifier(const LinkedIdentifier &link, int64_t at_ms) override;
  Status scan_linked_identifiers(const std::function<void(const LinkedIdentifier &)> &fn) override;
  Status add_link_review(const LinkReview &review) override;
  Status scan_link_reviews(const std::function<void(const LinkReview &)> &fn) override;
  Status decide_link_review(uint64_t id, LinkReview::Status status) override;
  Result<uint64_t> merge_count() override;
  Result<uint64_t> conflict_count() override;
  Status detach_identifier(std::string_view type, std::string_view value, int64_t at_ms,
                           std::string_view note) override;
  Status reattach_identifier(std::string_view type, std::string_view value) override;
  Status detach_record(std::string_view source, std::string_view message_id, int64_t at_ms,
                       std::string_view note) override;
  Status reattach_record(std::string_view source, std::string_view message_id) override;
  Status scan_detached_records(const std::function<void(std::string_view, std::string_view, int64_t,
                                                        std::string_view)> &fn) override;
  Status scan_detached_identifiers(
      const std::function<void(std::string_view, std::string_view, int64_t, std::string_view)> &fn)
      override;
  Result<IdentityHistory> identity_history(uint64_t profile_id) override;
  Result<bool> has_refused_links(uint64_t profile_id) override;
  Status scan_identity_decisions(
      const std::function<Status(const IdentityDecision &)> &fn) override;

  Status put_profile(const StoredProfile &p) override;
  Status put_features(uint64_t id, std::string_view features) override;
  Status delete_profile(uint64_t id) override;
  Status clear_profile(uint64_t id) override;
  Result<std::optional<std::string>> get_features(uint64_t id) override;
  Status get_features(std::span<const uint64_t> ids,
                      const std::function<void(uint64_t, std::string_view)> &fn) override;
  Status scan_features(uint64_t first, uint64_t last,
                       const std::function<void(uint64_t, std::string_view)> &fn) override;
  Result<std::optional<StoredProfile>> get_profile(uint64_t id) override;
  Status get_profiles(std::span<const uint64_t> ids,
                      const std::function<void(const StoredProfile &)> &fn) override;
  Status scan_profiles(const std::function<void(const StoredProfile &)> &fn) override;
  Status scan_profiles(uint64_t after, size_t limit,
                       const std::function<void(const StoredProfile &)> &fn) override;
  Result<uint64_t> profile_count() override;

  Status put_feature_state(std::string_view instance, uint64_t profile_id, const void *data,
                           size_t len) override;
  Status delete_feature_state(std::string_view instance, uint64_t profile_id) override;
  Result<std::optional<std::string>> get_feature_state(std::string_view instance,
                                                       uint64_t profile_id) override;
  Status get_feature_states(std::string_view instance, std::span<const uint64_t> ids,
                            const std::function<void(uint64_t, std::string_view)> &fn) override;
  Status scan_feature_state(std::string_view instance,
                            const std::function<void(uint64_t, const void *, size_t)> &fn) override;
  Result<bool> has_feature_state(std::string_view instance) override;

  Status add_dead_letter(const DeadLetter &d) override;
  Result<uint64_t> dead_letter_count() override;
  Status scan_dead_letters(const std::function<void(const DeadLetter &)> &fn) override;
  Status scan_dead_letters(const DeadLetterFilter &filter,
                           const std::function<void(const DeadLetter &)> &fn) override;
  Result<std::optional<DeadLetter>> get_dead_letter(uint64_t id) override;
  Status delete_dead_letter(uint64_t id) override;
  Status update_dead_letter(const DeadLetter &d) override;

  Status append_changes(const std::vector<ProfileChange> &changes) override;
  Result<uint64_t> last_change_sequence() override;
  Status scan_changes(uint64_t after, size_t limit,
                      const std::function<void(const ProfileChange &)> &fn) override;
  Result<std::optional<uint64_t>> consumer_position(std::string_view consumer) override;
  Status set_consumer_position(std::string_view consumer, uint64_t position) override;
  Status schedule_reemit(uint64_t profile_id, int64_t due_ms) override;
  Status cancel_reemit(uint64_t profile_id) override;
  Status scan_due_reemits(int64_t until_ms, const std::function<void(uint64_t)> &fn) override;

  Result<std::vector<SegmentDefinition>> segment_definitions() override;
  Status define_segment(std::string_view name, std::string_view expression, int64_t at_ms) override;
  Status drop_segment(std::string_view name) override;
  Status change_segments(const std::vector<SegmentChange> &changes) override;
  Status exit_all_segments(uint64_t profile_id, int64_t at_ms) override;
  Result<std::vector<std::string>> segments_of(uint64_t profile_id) override;
  Status scan_segments_of(std::span<const uint64_t> ids,
                          const std::function<void(uint64_t, std::string_view)> &fn) override;
  Status scan_segments_by_profile(
      uint64_t first, uint64_t last,
      const std::function<void(uint64_t, std::string_view)> &fn) override;
  Status scan_segment_members(std::string_view segment, uint64_t after, size_t limit,
                              const std::function<void(uint64_t)> &fn) override;
  Result<uint64_t> last_segment_change() override;
  Status set_segment_sizes(const std::vector<std::pair<std::string, uint64_t>> &sizes) override;
  Status scan_segment_changes(uint64_t after, size_t limit,
                              const std::function<void(const SegmentChange &)> &fn) override;
  Status add_trigger_timer(const TriggerTimer &timer) override;
  Status scan_due_trigger_timers(int64_t until_ms, size_t limit,
                                 const std::function<void(const TriggerTimer &)> &fn) override;
  Status delete_trigger_timer(uint64_t id) override;
  Result<bool> add_message(const OutboxMessage &message) override;
  Result<uint64_t> live_profile(uint64_t profile_id) override;
  Status scan_deliverable_messages(std::string_view destination, int64_t now_ms, uint64_t after,
                                   size_t limit,
                                   const std::function<void(const OutboxMessage &)> &fn) override;
  Status update_delivery(const OutboxMessage &message) override;
  Result<uint64_t> requeue_dead(std::string_view destination) override;
  Status scan_receipt_polls(std::string_view destination, int64_t now_ms, uint64_t after,
                            size_t limit,
                            const std::function<void(const OutboxMessage &)> &fn) override;
  Status set_receipt_poll(uint64_t id, int64_t polls, int64_t next_poll_ms) override;
  Result<std::optional<OutboxMessage>> message_by_id(uint64_t id) override;
  Result<bool> add_receipt(uint64_t id, const DeliveryReceipt &receipt) override;
  Result<uint64_t> count_channel_messages(std::string_view channel, uint64_t profile_id,
                                          int64_t since_ms) override;
  Status add_consent(const ConsentRecord &record) override;
  Result<std::optional<ConsentRecord>> latest_consent(std::string_view channel,
                                                      std::string_view address) override;
  Status scan_consent(std::string_view channel, std::string_view address,
                      const std::function<void(const ConsentRecord &)> &fn) override;
  Result<uint64_t> count_trigger_messages(std::string_view trigger, uint64_t profile_id,
                                          int64_t since_ms) override;
  Status scan_messages(std::string_view status, uint64_t after, size_t limit,
                       const std::function<void(const OutboxMessage &)> &fn) override;
  Status set_segment_checks(std::span<const SegmentCheck> checks) override;
  Status cancel_all_segment_checks() override;
  Status scan_due_segment_checks(int64_t until_ms,
                                 const std::function<void(uint64_t)> &fn) override;

  Status add_model_fit(const ModelFit &fit) override;
  Result<std::optional<ModelFit>> latest_model_fit(std::string_view instance) override;
  Status clear_derived() override;

  struct Impl;

 private:
  friend struct StoreAccess;  // store_impl.h
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  // delete_profile's part in store_segments.cpp: the profile's memberships
  // go (sizes follow), without a change.
  Status remove_memberships(uint64_t profile_id);
  // The automatic page cache: sized for the profile id counter at open
  // and after each commit (store_kind.h, auto_store_cache_bytes).
  void follow_store_size();
  std::unique_ptr<Impl> impl_;
};

}  // namespace halo
