// store_outbox.cpp -- trigger timers and the message outbox (contracts in
// store.h; tables in schema.cpp).
#include "store/store_impl.h"

namespace halo {

namespace {

constexpr Sql kAddTimer{"add_trigger_timer", "trigger_timers",
                        "INSERT INTO trigger_timers(trigger, profile_id, occurrence, due_ms, "
                        "started_at_ms) VALUES(?1, ?2, ?3, ?4, ?5)"};
constexpr Sql kDueTimers{"scan_due_trigger_timers", "trigger_timers",
                         "SELECT id, trigger, profile_id, occurrence, due_ms, started_at_ms "
                         "FROM trigger_timers WHERE due_ms <= ?1 ORDER BY due_ms, id LIMIT ?2",
                         "itiiii"};
constexpr Sql kDeleteTimer{"delete_trigger_timer", "trigger_timers",
                           "DELETE FROM trigger_timers WHERE id = ?1"};
constexpr Sql kAddMessage{
    "add_message", "outbox",
    "INSERT OR IGNORE INTO outbox(idempotency_key, trigger, profile_id, channel, destination, "
    "template, variables, status, created_at_ms, updated_at_ms, attempts, fired_at_ms, reason) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"};
#define HALO_MESSAGE_COLUMNS                                                            \
  "SELECT id, idempotency_key, trigger, profile_id, channel, destination, template, "   \
  "variables, status, created_at_ms, updated_at_ms, attempts, fired_at_ms, reason, "    \
  "attempt_count, next_attempt_ms, recipient, receipt, receipt_detail, receipt_at_ms, " \
  "provider_id, sent_at_ms, polls, next_poll_ms FROM outbox "
constexpr std::string_view kMessageColumnTypes = "ittitttttiititiitttitiii";
constexpr Sql kMessages{"scan_messages", "outbox",
                        HALO_MESSAGE_COLUMNS
                        "WHERE id > ?1 AND (?2 = '' OR status = ?2) ORDER BY id LIMIT ?3",
                        kMessageColumnTypes};
// Both statuses through the index on (destination, status, id).
constexpr Sql kDeliverable{"scan_deliverable_messages", "outbox",
                           HALO_MESSAGE_COLUMNS
                           "WHERE destination = ?1 AND id > ?3 AND (status = 'pending' OR "
                           "status = 'failed') AND next_attempt_ms <= ?2 ORDER BY id LIMIT ?4",
                           kMessageColumnTypes};
// Through the partial index on (destination, id) of messages still polled.
constexpr Sql kReceiptPolls{"scan_receipt_polls", "outbox",
                            HALO_MESSAGE_COLUMNS
                            "WHERE destination = ?1 AND next_poll_ms > 0 AND id > ?3 AND "
                            "next_poll_ms <= ?2 AND status = 'sent' AND receipt = '' "
                            "ORDER BY id LIMIT ?4",
                            kMessageColumnTypes};
constexpr Sql kMessageById{"message_by_id", "outbox", HALO_MESSAGE_COLUMNS "WHERE id = ?1",
                           kMessageColumnTypes};
#undef HALO_MESSAGE_COLUMNS
constexpr Sql kUpdateDelivery{
    "update_delivery", "outbox",
    "UPDATE outbox SET status = ?2, reason = ?3, attempts = ?4, attempt_count = ?5, "
    "next_attempt_ms = ?6, updated_at_ms = ?7, recipient = ?8, provider_id = ?9, "
    "sent_at_ms = ?10, polls = ?11, next_poll_ms = ?12 WHERE id = ?1"};
constexpr Sql kSetReceiptPoll{
    "set_receipt_poll", "outbox",
    "UPDATE outbox SET polls = ?2, next_poll_ms = CASE WHEN receipt = '' THEN ?3 ELSE 0 END "
    "WHERE id = ?1"};
// A report replaces one of lower weight only (DeliveryReceipt).
#define HALO_RECEIPT_WEIGHT(x)                                         \
  "CASE " x                                                            \
  " WHEN 'delivered' THEN 1 WHEN 'undelivered' THEN 2 WHEN 'bounced' " \
  "THEN 3 WHEN 'complained' THEN 4 ELSE 0 END"
constexpr Sql kAddReceipt{
    "add_receipt", "outbox",
    "UPDATE outbox SET receipt = ?2, receipt_detail = ?3, receipt_at_ms = ?4, next_poll_ms = 0 "
    "WHERE id = ?1 AND " HALO_RECEIPT_WEIGHT("receipt") " < " HALO_RECEIPT_WEIGHT("?2")};
#undef HALO_RECEIPT_WEIGHT
// Through the index on (profile_id, channel, fired_at_ms).
constexpr Sql kCountChannelMessages{
    "count_channel_messages", "outbox",
    "SELECT count(*) FROM outbox WHERE channel = ?1 AND profile_id = ?2 AND fired_at_ms >= ?3 "
    "AND status != 'suppressed' AND status != 'held_out'",
    "i"};
constexpr Sql kRequeueDead{
    "requeue_dead", "outbox",
    "UPDATE outbox SET status = 'pending', reason = '', next_attempt_ms = 0, "
    "attempt_count = 0 WHERE status = 'dead' AND (?1 = '' OR destination = ?1)"};
constexpr Sql kCountTriggerMessages{
    "count_trigger_messages", "outbox",
    "SELECT count(*) FROM outbox WHERE trigger = ?1 AND profile_id = ?2 AND fired_at_ms >= ?3 "
    "AND status != 'suppressed'",
    "i"};
// A profile is merged away once, into one that still existed then.
constexpr Sql kMergedInto{"live_profile", "merges",
                          "SELECT into_profile FROM merges WHERE from_profile = ?1 LIMIT 1", "i"};

OutboxMessage read_message(sqlite::Statement &st) {
  OutboxMessage m;
  m.id = from_sql(st.column_int(0));
  m.idempotency_key = st.column_bytes(1);
  m.trigger = st.column_bytes(2);
  m.profile_id = from_sql(st.column_int(3));
  m.channel = st.column_bytes(4);
  m.destination = st.column_bytes(5);
  m.template_name = st.column_bytes(6);
  m.variables = st.column_bytes(7);
  m.status = st.column_bytes(8);
  m.created_at_ms = st.column_int(9);
  m.updated_at_ms = st.column_int(10);
  m.attempts = st.column_bytes(11);
  m.fired_at_ms = st.column_int(12);
  m.reason = st.column_bytes(13);
  m.attempt_count = st.column_int(14);
  m.next_attempt_ms = st.column_int(15);
  m.recipient = st.column_bytes(16);
  m.receipt = st.column_bytes(17);
  m.receipt_detail = st.column_bytes(18);
  m.receipt_at_ms = st.column_int(19);
  m.provider_id = st.column_bytes(20);
  m.sent_at_ms = st.column_int(21);
  m.polls = st.column_int(22);
  m.next_poll_ms = st.column_int(23);
  return m;
}

// `scan` takes (destination, now, after id, limit) and selects messages.
Status scan_destination(SqliteStore::Impl &impl, const Sql &scan, std::string_view destination,
                        int64_t now_ms, uint64_t after, size_t limit,
                        const std::function<void(const OutboxMessage &)> &fn) {
  return impl.scan(
      scan,
      [&](sqlite::Statement &st) {
        st.bind_text(1, destination);
        st.bind_int(2, now_ms);
        st.bind_int(3, to_sql(after));
        st.bind_int(4, static_cast<int64_t>(limit));
      },
      [&](sqlite::Statement &st) {
        fn(read_message(st));
        return Status::Ok();
      });
}

// `count` is a count(*) query taking (key, profile, since).
Result<uint64_t> count_messages(SqliteStore::Impl &impl, const Sql &count, std::string_view key,
                                uint64_t profile_id, int64_t since_ms) {
  uint64_t n = 0;
  Status s = impl.query(
      count,
      [&](sqlite::Statement &st) {
        st.bind_text(1, key);
        st.bind_int(2, to_sql(profile_id));
        st.bind_int(3, since_ms);
      },
      [&](sqlite::Statement &st) {
        n = static_cast<uint64_t>(st.column_int(0));
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return n;
}

}  // namespace

Status SqliteStore::add_trigger_timer(const TriggerTimer &timer) {
  return impl_->write(kAddTimer, [&](sqlite::Statement &st) {
    st.bind_text(1, timer.trigger);
    st.bind_int(2, to_sql(timer.profile_id));
    st.bind_int(3, to_sql(timer.occurrence));
    st.bind_int(4, timer.due_ms);
    st.bind_int(5, timer.started_at_ms);
  });
}

Status SqliteStore::scan_due_trigger_timers(int64_t until_ms, size_t limit,
                                            const std::function<void(const TriggerTimer &)> &fn) {
  return impl_->scan(
      kDueTimers,
      [&](sqlite::Statement &st) {
        st.bind_int(1, until_ms);
        st.bind_int(2, static_cast<int64_t>(limit));
      },
      [&](sqlite::Statement &st) {
        TriggerTimer t;
        t.id = from_sql(st.column_int(0));
        t.trigger = st.column_bytes(1);
        t.profile_id = from_sql(st.column_int(2));
        t.occurrence = from_sql(st.column_int(3));
        t.due_ms = st.column_int(4);
        t.started_at_ms = st.column_int(5);
        fn(t);
        return Status::Ok();
      });
}

Status SqliteStore::delete_trigger_timer(uint64_t id) {
  return impl_->write(kDeleteTimer, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(id)); });
}

Result<bool> SqliteStore::add_message(const OutboxMessage &m) {
  Status s = impl_->write(kAddMessage, [&](sqlite::Statement &st) {
    st.bind_text(1, m.idempotency_key);
    st.bind_text(2, m.trigger);
    st.bind_int(3, to_sql(m.profile_id));
    st.bind_text(4, m.channel);
    st.bind_text(5, m.destination);
    st.bind_text(6, m.template_name);
    st.bind_text(7, m.variables);
    st.bind_text(8, m.status);
    st.bind_int(9, m.created_at_ms);
    st.bind_int(10, m.updated_at_ms);
    st.bind_text(11, m.attempts);
    st.bind_int(12, m.fired_at_ms);
    st.bind_text(13, m.reason);
  });
  if (!s.ok()) return s;
  return sqlite3_changes(impl_->db.get()) == 1;
}

Result<uint64_t> SqliteStore::live_profile(uint64_t profile_id) {
  const uint64_t start = profile_id;
  for (int depth = 0;; ++depth) {
    if (depth == 10'000) {  // a damaged store could hold a cycle
      return Status::Corruption("store " + impl_->path + ": merges from profile " +
                                std::to_string(start) + " never end; run `halo store check`");
    }
    uint64_t into = 0;
    Status s = impl_->query(
        kMergedInto, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(profile_id)); },
        [&](sqlite::Statement &st) {
          into = from_sql(st.column_int(0));
          return Status::Ok();
        });
    if (!s.ok()) return s;
    if (into == 0 || into == profile_id) return profile_id;
    profile_id = into;
  }
}

Result<uint64_t> SqliteStore::count_trigger_messages(std::string_view trigger, uint64_t profile_id,
                                                     int64_t since_ms) {
  return count_messages(*impl_, kCountTriggerMessages, trigger, profile_id, since_ms);
}

Result<uint64_t> SqliteStore::count_channel_messages(std::string_view channel, uint64_t profile_id,
                                                     int64_t since_ms) {
  return count_messages(*impl_, kCountChannelMessages, channel, profile_id, since_ms);
}

Status SqliteStore::scan_messages(std::string_view status, uint64_t after, size_t limit,
                                  const std::function<void(const OutboxMessage &)> &fn) {
  return impl_->scan(
      kMessages,
      [&](sqlite::Statement &st) {
        st.bind_int(1, to_sql(after));
        st.bind_text(2, status);
        st.bind_int(3, static_cast<int64_t>(limit));
      },
      [&](sqlite::Statement &st) {
        fn(read_message(st));
        return Status::Ok();
      });
}

Status SqliteStore::scan_deliverable_messages(
    std::string_view destination, int64_t now_ms, uint64_t after, size_t limit,
    const std::function<void(const OutboxMessage &)> &fn) {
  return scan_destination(*impl_, kDeliverable, destination, now_ms, after, limit, fn);
}

Status SqliteStore::update_delivery(const OutboxMessage &m) {
  return impl_->write(kUpdateDelivery, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(m.id));
    st.bind_text(2, m.status);
    st.bind_text(3, m.reason);
    st.bind_text(4, m.attempts);
    st.bind_int(5, m.attempt_count);
    st.bind_int(6, m.next_attempt_ms);
    st.bind_int(7, m.updated_at_ms);
    st.bind_text(8, m.recipient);
    st.bind_text(9, m.provider_id);
    st.bind_int(10, m.sent_at_ms);
    st.bind_int(11, m.polls);
    st.bind_int(12, m.next_poll_ms);
  });
}

Status SqliteStore::scan_receipt_polls(std::string_view destination, int64_t now_ms, uint64_t after,
                                       size_t limit,
                                       const std::function<void(const OutboxMessage &)> &fn) {
  return scan_destination(*impl_, kReceiptPolls, destination, now_ms, after, limit, fn);
}

Status SqliteStore::set_receipt_poll(uint64_t id, int64_t polls, int64_t next_poll_ms) {
  return impl_->write(kSetReceiptPoll, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(id));
    st.bind_int(2, polls);
    st.bind_int(3, next_poll_ms);
  });
}

Result<std::optional<OutboxMessage>> SqliteStore::message_by_id(uint64_t id) {
  std::optional<OutboxMessage> found;
  Status s = impl_->query(
      kMessageById, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(id)); },
      [&](sqlite::Statement &st) {
        found = read_message(st);
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return found;
}

Result<bool> SqliteStore::add_receipt(uint64_t id, const DeliveryReceipt &r) {
  Status s = impl_->write(kAddReceipt, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(id));
    st.bind_text(2, r.status);
    st.bind_text(3, r.detail);
    st.bind_int(4, r.at_ms);
  });
  if (!s.ok()) return s;
  return sqlite3_changes(impl_->db.get()) > 0;
}

Result<uint64_t> SqliteStore::requeue_dead(std::string_view destination) {
  Status s =
      impl_->write(kRequeueDead, [&](sqlite::Statement &st) { st.bind_text(1, destination); });
  if (!s.ok()) return s;
  return static_cast<uint64_t>(sqlite3_changes(impl_->db.get()));
}

}  // namespace halo
