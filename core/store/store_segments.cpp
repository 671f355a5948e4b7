// store_segments.cpp -- live segment membership: the segments kept, their
// members, every entry and exit, and the re-check schedule (contracts in
// store.h; tables in schema.cpp).
#include "store/store_impl.h"

namespace halo {

namespace {

constexpr Sql kDefinitions{"segment_definitions", "segment_definitions",
                           "SELECT name, expression, size, changed_at_ms FROM segment_definitions "
                           "ORDER BY name",
                           "ttii"};
constexpr Sql kDefine{"define_segment", "segment_definitions",
                      "INSERT INTO segment_definitions(name, expression, size, changed_at_ms) "
                      "VALUES(?1, ?2, 0, ?3) ON CONFLICT(name) DO UPDATE SET "
                      "expression = excluded.expression"};
constexpr Sql kDropDefinition{"drop_segment", "segment_definitions",
                              "DELETE FROM segment_definitions WHERE name = ?1"};
constexpr Sql kDropMembers{"drop_segment", "segment_members",
                           "DELETE FROM segment_members WHERE segment = ?1"};
constexpr Sql kResize{"enter_segment", "segment_definitions",
                      "UPDATE segment_definitions SET size = size + ?2, changed_at_ms = ?3 "
                      "WHERE name = ?1"};
constexpr Sql kAddMember{"enter_segment", "segment_members",
                         "INSERT OR IGNORE INTO segment_members(segment, profile_id, "
                         "entered_at_ms) VALUES(?1, ?2, ?3)"};
constexpr Sql kRemoveMember{"exit_segment", "segment_members",
                            "DELETE FROM segment_members WHERE segment = ?1 AND profile_id = ?2"};
constexpr Sql kAddEvent{"enter_segment", "segment_events",
                        "INSERT INTO segment_events(segment, profile_id, entered, at_ms) "
                        "VALUES(?1, ?2, ?3, ?4)"};
constexpr Sql kExitAllEvents{"exit_all_segments", "segment_events",
                             "INSERT INTO segment_events(segment, profile_id, entered, at_ms) "
                             "SELECT segment, profile_id, 0, ?2 FROM segment_members "
                             "WHERE profile_id = ?1 ORDER BY segment"};
constexpr Sql kExitAllSizes{"exit_all_segments", "segment_definitions",
                            "UPDATE segment_definitions SET size = size - 1, changed_at_ms = ?2 "
                            "WHERE name IN (SELECT segment FROM segment_members "
                            "WHERE profile_id = ?1)"};
constexpr Sql kExitAllMembers{"exit_all_segments", "segment_members",
                              "DELETE FROM segment_members WHERE profile_id = ?1"};
constexpr Sql kSegmentsOf{"segments_of", "segment_members",
                          "SELECT segment FROM segment_members WHERE profile_id = ?1 "
                          "ORDER BY segment",
                          "t"};
constexpr Sql kSegmentsByProfile{"scan_segments_by_profile", "segment_members",
                                 "SELECT profile_id, segment FROM segment_members "
                                 "WHERE profile_id BETWEEN ?1 AND ?2 ORDER BY profile_id, segment",
                                 "it"};
constexpr Sql kMembers{"scan_segment_members", "segment_members",
                       "SELECT profile_id, entered_at_ms FROM segment_members "
                       "WHERE segment = ?1 AND profile_id > ?2 ORDER BY profile_id LIMIT ?3",
                       "ii"};
constexpr Sql kEvents{"scan_segment_events", "segment_events",
                      "SELECT id, segment, profile_id, entered, at_ms FROM segment_events "
                      "WHERE id > ?1 ORDER BY id LIMIT ?2",
                      "itiii"};
constexpr Sql kScheduleCheck{"schedule_segment_check", "segment_checks",
                             "INSERT INTO segment_checks(profile_id, due_ms) VALUES(?1, ?2) "
                             "ON CONFLICT(profile_id) DO UPDATE SET due_ms = excluded.due_ms"};
constexpr Sql kCancelCheck{"cancel_segment_check", "segment_checks",
                           "DELETE FROM segment_checks WHERE profile_id = ?1"};
constexpr Sql kDueChecks{"scan_due_segment_checks", "segment_checks",
                         "SELECT profile_id FROM segment_checks WHERE due_ms <= ?1 "
                         "ORDER BY due_ms, profile_id",
                         "i"};

// One membership change: the member row (which must change), the
// segment's size and the event.
Status change_membership(SqliteStore::Impl &impl, std::string_view segment, uint64_t profile_id,
                         int64_t at_ms, bool entered) {
  const char *what = entered ? "enter_segment" : "exit_segment";
  auto refused = [&](const std::string &why) {
    return Status::Invalid("sqlite store " + impl.path + ": Store::" + what + "('" +
                           std::string(segment) + "', " + std::to_string(profile_id) + "): " + why);
  };
  Status s = impl.write(kResize, [&](sqlite::Statement &st) {
    st.bind_text(1, segment);
    st.bind_int(2, entered ? 1 : -1);
    st.bind_int(3, at_ms);
  });
  if (!s.ok()) return s;
  if (sqlite3_changes(impl.db.get()) == 0) return refused("no such segment");
  const Sql &member = entered ? kAddMember : kRemoveMember;
  s = impl.write(member, [&](sqlite::Statement &st) {
    st.bind_text(1, segment);
    st.bind_int(2, to_sql(profile_id));
    if (entered) st.bind_int(3, at_ms);
  });
  if (!s.ok()) return s;
  if (sqlite3_changes(impl.db.get()) == 0) {
    return refused(entered ? "the profile is a member already" : "the profile is not a member");
  }
  return impl.write(kAddEvent, [&](sqlite::Statement &st) {
    st.bind_text(1, segment);
    st.bind_int(2, to_sql(profile_id));
    st.bind_int(3, entered ? 1 : 0);
    st.bind_int(4, at_ms);
  });
}

}  // namespace

Result<std::vector<SegmentDefinition>> SqliteStore::segment_definitions() {
  std::vector<SegmentDefinition> out;
  Status s = impl_->query(
      kDefinitions, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        SegmentDefinition &d = out.emplace_back();
        d.name = st.column_bytes(0);
        d.expression = st.column_bytes(1);
        d.size = from_sql(st.column_int(2));
        d.changed_at_ms = st.column_int(3);
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return out;
}

Status SqliteStore::define_segment(std::string_view name, std::string_view expression,
                                   int64_t at_ms) {
  return impl_->write(kDefine, [&](sqlite::Statement &st) {
    st.bind_text(1, name);
    st.bind_text(2, expression);
    st.bind_int(3, at_ms);
  });
}

Status SqliteStore::drop_segment(std::string_view name) {
  for (const Sql *sql : {&kDropMembers, &kDropDefinition}) {
    Status s = impl_->write(*sql, [&](sqlite::Statement &st) { st.bind_text(1, name); });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status SqliteStore::enter_segment(std::string_view segment, uint64_t profile_id, int64_t at_ms) {
  return change_membership(*impl_, segment, profile_id, at_ms, true);
}

Status SqliteStore::exit_segment(std::string_view segment, uint64_t profile_id, int64_t at_ms) {
  return change_membership(*impl_, segment, profile_id, at_ms, false);
}

Status SqliteStore::exit_all_segments(uint64_t profile_id, int64_t at_ms) {
  for (const Sql *sql : {&kExitAllEvents, &kExitAllSizes, &kExitAllMembers}) {
    Status s = impl_->write(*sql, [&](sqlite::Statement &st) {
      st.bind_int(1, to_sql(profile_id));
      if (sql != &kExitAllMembers) st.bind_int(2, at_ms);
    });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteStore::segments_of(uint64_t profile_id) {
  std::vector<std::string> out;
  Status s = impl_->query(
      kSegmentsOf, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(profile_id)); },
      [&](sqlite::Statement &st) {
        out.emplace_back(st.column_bytes(0));
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return out;
}

Status SqliteStore::scan_segments_by_profile(
    uint64_t first, uint64_t last, const std::function<void(uint64_t, std::string_view)> &fn) {
  return impl_->scan(
      kSegmentsByProfile,
      [&](sqlite::Statement &st) {
        st.bind_int(1, to_sql(first));
        st.bind_int(2, to_sql(last));
      },
      [&](sqlite::Statement &st) {
        fn(from_sql(st.column_int(0)), st.column_bytes(1));
        return Status::Ok();
      });
}

Status SqliteStore::scan_segment_members(std::string_view segment, uint64_t after, size_t limit,
                                         const std::function<void(uint64_t, int64_t)> &fn) {
  return impl_->scan(
      kMembers,
      [&](sqlite::Statement &st) {
        st.bind_text(1, segment);
        st.bind_int(2, to_sql(after));
        st.bind_int(3, static_cast<int64_t>(limit));
      },
      [&](sqlite::Statement &st) {
        fn(from_sql(st.column_int(0)), st.column_int(1));
        return Status::Ok();
      });
}

Status SqliteStore::scan_segment_events(uint64_t after, size_t limit,
                                        const std::function<void(const SegmentEvent &)> &fn) {
  return impl_->scan(
      kEvents,
      [&](sqlite::Statement &st) {
        st.bind_int(1, to_sql(after));
        st.bind_int(2, static_cast<int64_t>(limit));
      },
      [&](sqlite::Statement &st) {
        SegmentEvent e;
        e.id = from_sql(st.column_int(0));
        e.segment = st.column_bytes(1);
        e.profile_id = from_sql(st.column_int(2));
        e.entered = st.column_int(3) != 0;
        e.at_ms = st.column_int(4);
        fn(e);
        return Status::Ok();
      });
}

Status SqliteStore::schedule_segment_check(uint64_t profile_id, int64_t due_ms) {
  return impl_->write(kScheduleCheck, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(profile_id));
    st.bind_int(2, due_ms);
  });
}

Status SqliteStore::cancel_segment_check(uint64_t profile_id) {
  return impl_->write(kCancelCheck,
                      [&](sqlite::Statement &st) { st.bind_int(1, to_sql(profile_id)); });
}

Status SqliteStore::scan_due_segment_checks(int64_t until_ms,
                                            const std::function<void(uint64_t)> &fn) {
  return impl_->scan(
      kDueChecks, [&](sqlite::Statement &st) { st.bind_int(1, until_ms); },
      [&](sqlite::Statement &st) {
        fn(from_sql(st.column_int(0)));
        return Status::Ok();
      });
}

}  // namespace halo
