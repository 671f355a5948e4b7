// store_changes.cpp -- the change log, its consumers' cursors and the
// re-emit schedule (contracts in store.h and profile_change.h).
#include "store/store_impl.h"

namespace halo {

namespace {

// The sequence is the table's rowid, given by SQLite as the largest one
// plus one: what append_changes checked each change's to be. A rowid SQLite
// picks is appended at the end of the table; one given is sought from the
// root first (a B-tree descent per row). OR IGNORE: no row can conflict,
// and write_rows checks that each is written.
constexpr auto kAppendChangesText =
    rows_texts<4>("INSERT OR IGNORE INTO changes(profile_id, kinds, merged_into, at_ms) VALUES");
constexpr RowsSql kAppendChanges = rows_sql("append_changes", "changes", kAppendChangesText);
constexpr Sql kLastChange{"last_change_sequence", "changes",
                          "SELECT coalesce(max(sequence), 0) FROM changes", "i"};
constexpr Sql kScanChanges{"scan_changes", "changes",
                           "SELECT sequence, profile_id, kinds, merged_into, at_ms FROM changes "
                           "WHERE sequence > ?1 ORDER BY sequence LIMIT ?2",
                           "iiiii"};
constexpr Sql kGetConsumer{"consumer_position", "consumers",
                           "SELECT position FROM consumers WHERE name = ?1", "i"};
constexpr Sql kSetConsumer{"set_consumer_position", "consumers",
                           "INSERT INTO consumers(name, position) VALUES(?1, ?2) "
                           "ON CONFLICT(name) DO UPDATE SET position = excluded.position"};
constexpr Sql kScheduleReemit{"schedule_reemit", "reemits",
                              "INSERT INTO reemits(profile_id, due_ms) VALUES(?1, ?2) "
                              "ON CONFLICT(profile_id) DO UPDATE SET due_ms = excluded.due_ms"};
constexpr Sql kCancelReemit{"cancel_reemit", "reemits",
                            "DELETE FROM reemits WHERE profile_id = ?1"};
constexpr Sql kDueReemits{"scan_due_reemits", "reemits",
                          "SELECT profile_id FROM reemits WHERE due_ms <= ?1 "
                          "ORDER BY due_ms, profile_id",
                          "i"};

}  // namespace

Status SqliteStore::append_changes(const std::vector<ProfileChange> &changes) {
  if (changes.empty()) return Status::Ok();
  auto last = last_change_sequence();
  if (!last.ok()) return last.status();
  uint64_t expected = *last + 1;
  for (const ProfileChange &c : changes) {
    if (c.sequence != expected++) {
      return Status::Internal("append_changes: change " + std::to_string(c.sequence) +
                              " does not continue the change log at " +
                              std::to_string(expected - 1));
    }
  }
  return impl_->write_rows(kAppendChanges, changes.size(),
                           [&](sqlite::Statement &st, int at, size_t i) {
                             const ProfileChange &c = changes[i];
                             st.bind_int(at, to_sql(c.profile_id));
                             st.bind_int(at + 1, c.kinds);
                             st.bind_int(at + 2, to_sql(c.merged_into));
                             st.bind_int(at + 3, c.at_ms);
                           });
}

Result<uint64_t> SqliteStore::last_change_sequence() {
  return impl_->count(kLastChange);
}

Status SqliteStore::scan_changes(uint64_t after, size_t limit,
                                 const std::function<void(const ProfileChange &)> &fn) {
  return impl_->scan(
      kScanChanges,
      [&](sqlite::Statement &st) {
        st.bind_int(1, to_sql(after));
        st.bind_int(2, static_cast<int64_t>(limit));
      },
      [&](sqlite::Statement &st) {
        ProfileChange c;
        c.sequence = from_sql(st.column_int(0));
        c.profile_id = from_sql(st.column_int(1));
        int64_t kinds = st.column_int(2);
        if (kinds <= 0 || (kinds & ~static_cast<int64_t>(kChangeKindsKnown)) != 0) {
          return Status::Corruption("sqlite store " + impl_->path + ": table changes: entry " +
                                    std::to_string(c.sequence) + " has unknown kinds " +
                                    std::to_string(kinds) + std::string(kStoreErrorHint));
        }
        c.kinds = static_cast<uint32_t>(kinds);
        c.merged_into = from_sql(st.column_int(3));
        c.at_ms = st.column_int(4);
        fn(c);
        return Status::Ok();
      });
}

Result<std::optional<uint64_t>> SqliteStore::consumer_position(std::string_view consumer) {
  std::optional<uint64_t> position;
  Status s = impl_->query(
      kGetConsumer, [&](sqlite::Statement &st) { st.bind_text(1, consumer); },
      [&](sqlite::Statement &st) {
        position = from_sql(st.column_int(0));
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return position;
}

Status SqliteStore::set_consumer_position(std::string_view consumer, uint64_t position) {
  return impl_->write(kSetConsumer, [&](sqlite::Statement &st) {
    st.bind_text(1, consumer);
    st.bind_int(2, to_sql(position));
  });
}

Status SqliteStore::schedule_reemit(uint64_t profile_id, int64_t due_ms) {
  return impl_->write(kScheduleReemit, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(profile_id));
    st.bind_int(2, due_ms);
  });
}

Status SqliteStore::cancel_reemit(uint64_t profile_id) {
  return impl_->write(kCancelReemit,
                      [&](sqlite::Statement &st) { st.bind_int(1, to_sql(profile_id)); });
}

Status SqliteStore::scan_due_reemits(int64_t until_ms, const std::function<void(uint64_t)> &fn) {
  return impl_->scan(
      kDueReemits, [&](sqlite::Statement &st) { st.bind_int(1, until_ms); },
      [&](sqlite::Statement &st) {
        fn(from_sql(st.column_int(0)));
        return Status::Ok();
      });
}

}  // namespace halo
