// store_events.cpp -- the event log: one zstd-compressed row per appended
// batch (payload layout in event_codec.h, table in schema.cpp).
//
// Invariants: rows hold consecutive, non-overlapping sequence ranges starting
// at 1; first_seq is the row key, so replay in key order is replay in log
// order. Scans hold one decompressed batch in memory at a time.
#include <string>

#include "store/event_codec.h"
#include "store/store_impl.h"

namespace halo {

namespace {

constexpr int64_t kCodecZstdV1 = 1;

constexpr Sql kInsertBatch{
    "append_events", "event_batches",
    "INSERT INTO event_batches(first_seq, last_seq, count, codec, data_size, keys, data) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"};
constexpr Sql kLastSequence{"last_sequence", "event_batches",
                            "SELECT last_seq FROM event_batches ORDER BY first_seq DESC LIMIT 1",
                            "i"};
constexpr Sql kEventCount{"event_count", "event_batches",
                          "SELECT coalesce(sum(count), 0) FROM event_batches", "i"};
// Rows holding any sequence of [?1, ?2]: served by the primary key
// (first_seq), from the last row starting at or before ?1.
constexpr Sql kScanBatches{
    "scan_events", "event_batches",
    "SELECT first_seq, last_seq, count, codec, data_size, data "
    "FROM event_batches WHERE first_seq <= ?2 AND last_seq >= ?1 AND first_seq >= "
    "coalesce((SELECT max(first_seq) FROM event_batches WHERE first_seq "
    "<= ?1), 0) ORDER BY first_seq",
    "iiiiit"};
constexpr Sql kScanKeys{
    "scan_message_keys", "event_batches",
    "SELECT first_seq, count, keys FROM event_batches WHERE first_seq > ?1 ORDER BY first_seq "
    "LIMIT ?2",
    "iit"};

Status damaged_row(const std::string &path, int64_t first_seq, const std::string &detail) {
  return Status::Corruption("sqlite store " + path +
                            ": event log batch row first_seq=" + std::to_string(first_seq) +
                            " is damaged: " + detail + "; restore the store from a backup");
}

Status check_sequences(const std::vector<LoggedEvent> &events, uint64_t next) {
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].sequence != next + i) {
      return Status::Invalid("append_events: event " + std::to_string(i) + " has sequence " +
                             std::to_string(events[i].sequence) + " but the log continues at " +
                             std::to_string(next + i) + "; sequences must be consecutive");
    }
  }
  return Status::Ok();
}

// The decoded batch must match the row's own bookkeeping columns.
std::string check_row(const std::vector<LoggedEvent> &events, int64_t first, int64_t last,
                      int64_t count) {
  if (static_cast<int64_t>(events.size()) != count) {
    return "payload holds " + std::to_string(events.size()) + " events, row says " +
           std::to_string(count);
  }
  if (count <= 0 || last != first + count - 1) return "sequence range does not match count";
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].sequence != from_sql(first) + i) {
      return "event " + std::to_string(i) + " has sequence " + std::to_string(events[i].sequence) +
             ", expected " + std::to_string(from_sql(first) + i);
    }
  }
  return {};
}

Result<uint64_t> read_last_sequence(SqliteStore::Impl &impl) {
  uint64_t last = 0;
  Status s = impl.query(
      kLastSequence, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        last = from_sql(st.column_int(0));
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return last;
}

}  // namespace

Status SqliteStore::append_events(const std::vector<LoggedEvent> &events,
                                  const std::vector<MessageKey> &keys) {
  if (Status s = impl_->require_transaction("append_events"); !s.ok()) return s;
  if (events.size() != keys.size()) {
    return Status::Invalid("append_events: " + std::to_string(events.size()) + " events but " +
                           std::to_string(keys.size()) + " message keys; pass one key per event");
  }
  if (events.empty()) return Status::Ok();
  auto last = read_last_sequence(*impl_);
  if (!last.ok()) return last.status();
  if (Status s = check_sequences(events, *last + 1); !s.ok()) return s;

  Impl &m = *impl_;
  if (Status s = store::encode_batch(events, m.payload); !s.ok()) return s;
  if (Status s = m.zstd.compress(m.payload, m.compressed); !s.ok()) return s;
  store::encode_keys(keys, m.key_bytes);
  return m.write(kInsertBatch, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(events.front().sequence));
    st.bind_int(2, to_sql(events.back().sequence));
    st.bind_int(3, static_cast<int64_t>(events.size()));
    st.bind_int(4, kCodecZstdV1);
    st.bind_int(5, static_cast<int64_t>(m.payload.size()));
    st.bind_blob(6, m.key_bytes.data(), m.key_bytes.size());
    st.bind_blob(7, m.compressed.data(), m.compressed.size());
  });
}

Result<uint64_t> SqliteStore::last_sequence() {
  return read_last_sequence(*impl_);
}

Result<uint64_t> SqliteStore::event_count() {
  return impl_->count(kEventCount);
}

Status SqliteStore::scan_events(uint64_t first_wanted, uint64_t last_wanted,
                                const std::function<Status(const std::vector<LoggedEvent> &)> &fn) {
  // Local buffers, not impl_'s: the callback may append while we scan.
  std::string payload;
  std::vector<LoggedEvent> events;
  return impl_->scan(
      kScanBatches,
      [&](sqlite::Statement &st) {
        st.bind_int(1, to_sql(std::min<uint64_t>(first_wanted, INT64_MAX)));
        st.bind_int(2, to_sql(std::min<uint64_t>(last_wanted, INT64_MAX)));
      },
      [&](sqlite::Statement &st) -> Status {
        const int64_t first = st.column_int(0);
        if (st.column_int(3) != kCodecZstdV1) {
          return damaged_row(
              impl_->path, first,
              "unknown codec " + std::to_string(st.column_int(3)) + " (written by a newer halo?)");
        }
        const int64_t size = st.column_int(4);
        if (size < 0) return damaged_row(impl_->path, first, "negative data_size");
        Status s = impl_->zstd.decompress(st.column_bytes(5), static_cast<size_t>(size), payload);
        if (s.ok()) s = store::decode_batch(payload, events);
        if (!s.ok()) return damaged_row(impl_->path, first, s.message());
        std::string bad = check_row(events, first, st.column_int(1), st.column_int(2));
        if (!bad.empty()) return damaged_row(impl_->path, first, bad);
        return fn(events);
      });
}

Status SqliteStore::scan_message_keys(
    uint64_t after, size_t limit,
    const std::function<void(uint64_t, const MessageKey *, size_t)> &fn) {
  std::vector<MessageKey> keys;
  return impl_->scan(
      kScanKeys,
      [&](sqlite::Statement &st) {
        st.bind_int(1, static_cast<int64_t>(std::min<uint64_t>(after, INT64_MAX)));
        st.bind_int(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
      },
      [&](sqlite::Statement &st) -> Status {
        const int64_t first = st.column_int(0);
        Status s = store::decode_keys(st.column_bytes(2), keys);
        if (!s.ok()) return damaged_row(impl_->path, first, s.message());
        if (static_cast<int64_t>(keys.size()) != st.column_int(1)) {
          return damaged_row(impl_->path, first,
                             "message-key column holds " + std::to_string(keys.size()) +
                                 " keys, row says " + std::to_string(st.column_int(1)));
        }
        fn(static_cast<uint64_t>(first), keys.data(), keys.size());
        return Status::Ok();
      });
}

}  // namespace halo
