// store_identity.cpp -- the persisted identity graph: identifier -> profile
// links, the merge history and identifier conflicts.
//
// Invariant: an identifier (type, value) belongs to at most one profile (it
// is the primary key); put_identifier moves it, repoint moves all of a
// profile's identifiers at once when two profiles merge.
#include <cmath>

#include "store/store_impl.h"

namespace halo {

namespace {

constexpr Sql kPutIdentifier{"put_identifier", "identifiers",
                             "INSERT INTO identifiers(type, value, profile_id, sequence, at_ms) "
                             "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(type, value) DO UPDATE SET "
                             "profile_id = excluded.profile_id, sequence = excluded.sequence, "
                             "at_ms = excluded.at_ms"};
constexpr Sql kSetLinkTime{"set_link_time", "identifiers",
                           "UPDATE identifiers SET at_ms = ?3 WHERE type = ?1 AND value = ?2"};
constexpr Sql kRepoint{"repoint_identifiers", "identifiers",
                       "UPDATE identifiers SET profile_id = ?2 WHERE profile_id = ?1"};
constexpr Sql kScanIdentifiers{
    "scan_identifiers", "identifiers",
    "SELECT type, value, profile_id, at_ms FROM identifiers ORDER BY type, value", "ttii"};
// Served by the covering index identifiers_by_profile (the table is WITHOUT
// ROWID, so the index holds profile_id, type, value): no sort.
constexpr Sql kScanIdentifiersByProfile{
    "scan_identifiers_by_profile", "identifiers",
    "SELECT profile_id, type, value FROM identifiers WHERE profile_id BETWEEN ?1 AND ?2 "
    "ORDER BY profile_id, type, value",
    "itt"};
constexpr Sql kFindProfile{"find_profile", "identifiers",
                           "SELECT profile_id FROM identifiers WHERE type = ?1 AND value = ?2",
                           "i"};
constexpr Sql kLinksOf{
    "links_of", "identifiers",
    "SELECT type, value, at_ms FROM identifiers WHERE profile_id = ?1 ORDER BY type, value", "tti"};
constexpr Sql kLinksOfMany{"scan_links_of", "identifiers",
                           "SELECT profile_id, type, value, at_ms FROM identifiers "
                           "WHERE profile_id IN (SELECT value FROM json_each(?1)) "
                           "ORDER BY profile_id, type, value",
                           "itti"};
constexpr Sql kAddMerge{
    "add_merge", "merges",
    "INSERT INTO merges(from_profile, into_profile, sequence) VALUES(?1, ?2, ?3)"};
constexpr Sql kAddConflict{"add_conflict", "conflicts",
                           "INSERT INTO conflicts(sequence, type, value, profile_id, reason, "
                           "event_profile) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"};
// For each value refused a link after `?1`: how many distinct profiles it
// would link -- the profiles it was refused to, those of the events it was
// refused on, and the one it is linked to.
constexpr Sql kOvershared{
    "overshared_identifiers", "conflicts",
    "WITH fresh AS (SELECT DISTINCT type, value FROM conflicts WHERE sequence > ?1) "
    "SELECT f.type, f.value, (SELECT count(*) FROM ("
    "SELECT c.profile_id FROM conflicts c WHERE c.type = f.type AND c.value = f.value UNION "
    "SELECT c.event_profile FROM conflicts c WHERE c.type = f.type AND c.value = f.value "
    "AND c.event_profile <> 0 UNION "
    "SELECT i.profile_id FROM identifiers i WHERE i.type = f.type AND i.value = f.value)) "
    "FROM fresh f ORDER BY f.type, f.value",
    "tti"};
// The history queries walk the merge tree: the profile and every profile
// merged into it, at any depth ("tree").
constexpr Sql kHistoryLinks{
    "identity_history", "identifiers",
    "SELECT type, value, sequence FROM identifiers WHERE profile_id = ?1 ORDER BY type, value",
    "tti"};
// Merges and refused links in one row shape (decision_of): kind (0 merge,
// 1 refused link), sequence, from, into or profile, type, value, reason.
constexpr Sql kHistoryMerges{"identity_history", "merges",
                             HALO_SQL_MERGE_TREE
                             "SELECT 0, sequence, from_profile, into_profile, '', '', '' "
                             "FROM merges WHERE into_profile IN tree ORDER BY sequence, id",
                             "iiiittt"};
constexpr Sql kHistoryRefused{"identity_history", "conflicts",
                              HALO_SQL_MERGE_TREE
                              "SELECT 1, sequence, 0, profile_id, type, value, reason FROM "
                              "conflicts WHERE profile_id IN tree ORDER BY sequence, id",
                              "iiiittt"};
constexpr Sql kHasRefused{"has_refused_links", "conflicts",
                          HALO_SQL_MERGE_TREE
                          "SELECT EXISTS(SELECT 1 FROM conflicts WHERE profile_id IN "
                          "tree OR event_profile IN tree)",
                          "i"};
constexpr Sql kScanDecisions{
    "scan_identity_decisions", "merges, conflicts",
    "SELECT 0, sequence, from_profile, into_profile, '', '', '', id FROM merges UNION ALL "
    "SELECT 1, sequence, 0, profile_id, type, value, reason, id FROM conflicts "
    "ORDER BY 2, 1, 8",
    "iiiittti"};
constexpr Sql kDetach{"detach_identifier", "detached_identifiers",
                      "INSERT INTO detached_identifiers(type, value, at_ms, note) "
                      "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(type, value) DO UPDATE SET "
                      "at_ms = excluded.at_ms, note = excluded.note"};
constexpr Sql kReattach{"reattach_identifier", "detached_identifiers",
                        "DELETE FROM detached_identifiers WHERE type = ?1 AND value = ?2"};
constexpr Sql kScanDetached{
    "scan_detached_identifiers", "detached_identifiers",
    "SELECT type, value, at_ms, note FROM detached_identifiers ORDER BY type, value", "ttit"};
constexpr Sql kDetachRecord{"detach_record", "detached_records",
                            "INSERT INTO detached_records(source, message_id, at_ms, note) "
                            "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(source, message_id) DO UPDATE SET "
                            "at_ms = excluded.at_ms, note = excluded.note"};
constexpr Sql kReattachRecord{"reattach_record", "detached_records",
                              "DELETE FROM detached_records WHERE source = ?1 AND message_id = ?2"};
constexpr Sql kScanDetachedRecords{"scan_detached_records", "detached_records",
                                   "SELECT source, message_id, at_ms, note FROM detached_records "
                                   "ORDER BY source, message_id",
                                   "ttit"};
constexpr Sql kLinkIdentifier{
    "link_identifier", "linked_identifiers",
    "INSERT INTO linked_identifiers(type, value, link_key, probability_ppm, at_ms, evidence) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(type, value) DO UPDATE SET "
    "link_key = excluded.link_key, probability_ppm = excluded.probability_ppm, "
    "at_ms = excluded.at_ms, evidence = excluded.evidence"};
constexpr Sql kScanLinked{"scan_linked_identifiers", "linked_identifiers",
                          "SELECT type, value, link_key, probability_ppm, evidence "
                          "FROM linked_identifiers ORDER BY type, value",
                          "tttit"};
constexpr Sql kAddReview{
    "add_link_review", "link_reviews",
    "INSERT INTO link_reviews(a_type, a_value, b_type, b_value, probability_ppm, status, at_ms) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING"};
constexpr Sql kScanReviews{"scan_link_reviews", "link_reviews",
                           "SELECT id, a_type, a_value, b_type, b_value, probability_ppm, status, "
                           "at_ms FROM link_reviews ORDER BY id",
                           "ittttiti"};
constexpr Sql kDecideReview{
    "decide_link_review", "link_reviews",
    "UPDATE link_reviews SET status = ?2 WHERE id = ?1 AND status = 'open'"};
constexpr Sql kMergeCount{"merge_count", "merges", "SELECT count(*) FROM merges", "i"};
constexpr Sql kConflictCount{"conflict_count", "conflicts", "SELECT count(*) FROM conflicts", "i"};

}  // namespace

Status SqliteStore::put_identifier(std::string_view type, std::string_view value,
                                   uint64_t profile_id, uint64_t sequence, int64_t at_ms) {
  return impl_->write(kPutIdentifier, [&](sqlite::Statement &st) {
    st.bind_text(1, type);
    st.bind_text(2, value);
    st.bind_int(3, to_sql(profile_id));
    st.bind_int(4, to_sql(sequence));
    st.bind_int(5, at_ms);
  });
}

Status SqliteStore::set_link_time(std::string_view type, std::string_view value, int64_t at_ms) {
  return impl_->write(kSetLinkTime, [&](sqlite::Statement &st) {
    st.bind_text(1, type);
    st.bind_text(2, value);
    st.bind_int(3, at_ms);
  });
}

Status SqliteStore::repoint_identifiers(uint64_t from, uint64_t into) {
  return impl_->write(kRepoint, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(from));
    st.bind_int(2, to_sql(into));
  });
}

Status SqliteStore::scan_identifiers(
    const std::function<void(std::string_view, std::string_view, uint64_t, int64_t)> &fn) {
  return impl_->scan(
      kScanIdentifiers, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        fn(st.column_bytes(0), st.column_bytes(1), from_sql(st.column_int(2)), st.column_int(3));
        return Status::Ok();
      });
}

Status SqliteStore::scan_identifiers_by_profile(
    uint64_t first, uint64_t last,
    const std::function<void(uint64_t, std::string_view, std::string_view)> &fn) {
  return impl_->scan(
      kScanIdentifiersByProfile,
      [&](sqlite::Statement &st) {
        st.bind_int(1, to_sql(first));
        st.bind_int(2, to_sql(std::min<uint64_t>(last, INT64_MAX)));
      },
      [&](sqlite::Statement &st) {
        fn(from_sql(st.column_int(0)), st.column_bytes(1), st.column_bytes(2));
        return Status::Ok();
      });
}

Result<std::optional<uint64_t>> SqliteStore::find_profile(std::string_view type,
                                                          std::string_view value) {
  std::optional<uint64_t> found;
  Status s = impl_->query(
      kFindProfile,
      [&](sqlite::Statement &st) {
        st.bind_text(1, type);
        st.bind_text(2, value);
      },
      [&](sqlite::Statement &st) {
        found = from_sql(st.column_int(0));
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return found;
}

Result<std::vector<StoredLink>> SqliteStore::links_of(uint64_t profile_id) {
  std::vector<StoredLink> out;
  Status s = impl_->query(
      kLinksOf, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(profile_id)); },
      [&](sqlite::Statement &st) {
        out.push_back(
            {std::string(st.column_bytes(0)), std::string(st.column_bytes(1)), st.column_int(2)});
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return out;
}

Status SqliteStore::scan_links_of(
    std::span<const uint64_t> ids,
    const std::function<void(uint64_t, std::string_view, std::string_view, int64_t)> &fn) {
  return impl_->scan_ids(
      kLinksOfMany, ids, 1, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        fn(from_sql(st.column_int(0)), st.column_bytes(1), st.column_bytes(2), st.column_int(3));
        return Status::Ok();
      });
}

Status SqliteStore::add_merge(uint64_t from, uint64_t into, uint64_t sequence) {
  return impl_->write(kAddMerge, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(from));
    st.bind_int(2, to_sql(into));
    st.bind_int(3, to_sql(sequence));
  });
}

Status SqliteStore::add_conflict(uint64_t sequence, std::string_view type, std::string_view value,
                                 uint64_t profile_id, std::string_view reason,
                                 uint64_t event_profile) {
  return impl_->write(kAddConflict, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(sequence));
    st.bind_text(2, type);
    st.bind_text(3, value);
    st.bind_int(4, to_sql(profile_id));
    st.bind_text(5, reason);
    st.bind_int(6, to_sql(event_profile));
  });
}

Result<std::vector<SharedIdentifier>> SqliteStore::overshared_identifiers(uint64_t after_sequence) {
  std::vector<SharedIdentifier> out;
  Status s = impl_->query(
      kOvershared, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(after_sequence)); },
      [&](sqlite::Statement &st) {
        out.push_back({std::string(st.column_bytes(0)), std::string(st.column_bytes(1)),
                       from_sql(st.column_int(2))});
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return out;
}

Result<uint64_t> SqliteStore::merge_count() {
  return impl_->count(kMergeCount);
}
Result<uint64_t> SqliteStore::conflict_count() {
  return impl_->count(kConflictCount);
}

namespace {

IdentityDecision decision_of(sqlite::Statement &st) {
  IdentityDecision d;
  d.kind =
      st.column_int(0) == 0 ? IdentityDecision::Kind::kMerge : IdentityDecision::Kind::kRefusedLink;
  d.sequence = from_sql(st.column_int(1));
  if (d.kind == IdentityDecision::Kind::kMerge) {
    d.from = from_sql(st.column_int(2));
    d.into = from_sql(st.column_int(3));
  } else {
    d.profile = from_sql(st.column_int(3));
  }
  d.type = st.column_bytes(4);
  d.value = st.column_bytes(5);
  d.reason = st.column_bytes(6);
  return d;
}

}  // namespace

Result<bool> SqliteStore::has_refused_links(uint64_t profile_id) {
  bool any = false;
  Status s = impl_->query(
      kHasRefused, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(profile_id)); },
      [&](sqlite::Statement &st) {
        any = st.column_int(0) != 0;
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return any;
}

Result<IdentityHistory> SqliteStore::identity_history(uint64_t profile_id) {
  IdentityHistory h;
  auto bind = [&](sqlite::Statement &st) { st.bind_int(1, to_sql(profile_id)); };
  Status s = impl_->query(kHistoryLinks, bind, [&](sqlite::Statement &st) {
    h.links.push_back({std::string(st.column_bytes(0)), std::string(st.column_bytes(1)),
                       from_sql(st.column_int(2))});
    return Status::Ok();
  });
  if (s.ok()) {
    s = impl_->query(kHistoryMerges, bind, [&](sqlite::Statement &st) {
      h.merges.push_back(decision_of(st));
      return Status::Ok();
    });
  }
  if (s.ok()) {
    s = impl_->query(kHistoryRefused, bind, [&](sqlite::Statement &st) {
      h.refused.push_back(decision_of(st));
      return Status::Ok();
    });
  }
  if (!s.ok()) return s;
  return h;
}

Status SqliteStore::scan_identity_decisions(
    const std::function<Status(const IdentityDecision &)> &fn) {
  return impl_->scan(
      kScanDecisions, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) { return fn(decision_of(st)); });
}

namespace {
// The operator decisions keyed by a pair of texts (an identifier's type and
// value, a record's source and message id) share their statements' shape.
Status write_detached(SqliteStore::Impl &impl, const Sql &sql, std::string_view a,
                      std::string_view b, int64_t at_ms, std::string_view note) {
  return impl.write(sql, [&](sqlite::Statement &st) {
    st.bind_text(1, a);
    st.bind_text(2, b);
    st.bind_int(3, at_ms);
    st.bind_text(4, note);
  });
}

Status delete_detached(SqliteStore::Impl &impl, const Sql &sql, std::string_view a,
                       std::string_view b, const std::string &what) {
  Status s = impl.write(sql, [&](sqlite::Statement &st) {
    st.bind_text(1, a);
    st.bind_text(2, b);
  });
  if (!s.ok()) return s;
  if (sqlite3_changes(impl.db.get()) == 0) return Status::NotFound(what + " is not detached");
  return Status::Ok();
}

Status scan_detached(
    SqliteStore::Impl &impl, const Sql &sql,
    const std::function<void(std::string_view, std::string_view, int64_t, std::string_view)> &fn) {
  return impl.scan(
      sql, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        fn(st.column_bytes(0), st.column_bytes(1), st.column_int(2), st.column_bytes(3));
        return Status::Ok();
      });
}
}  // namespace

Status SqliteStore::detach_identifier(std::string_view type, std::string_view value, int64_t at_ms,
                                      std::string_view note) {
  return write_detached(*impl_, kDetach, type, value, at_ms, note);
}

Status SqliteStore::reattach_identifier(std::string_view type, std::string_view value) {
  return delete_detached(*impl_, kReattach, type, value,
                         std::string(type) + " '" + std::string(value) + "'");
}

Status SqliteStore::scan_detached_identifiers(
    const std::function<void(std::string_view, std::string_view, int64_t, std::string_view)> &fn) {
  return scan_detached(*impl_, kScanDetached, fn);
}

Status SqliteStore::detach_record(std::string_view source, std::string_view message_id,
                                  int64_t at_ms, std::string_view note) {
  return write_detached(*impl_, kDetachRecord, source, message_id, at_ms, note);
}

Status SqliteStore::reattach_record(std::string_view source, std::string_view message_id) {
  return delete_detached(
      *impl_, kReattachRecord, source, message_id,
      "record '" + std::string(message_id) + "' of source '" + std::string(source) + "'");
}

Status SqliteStore::scan_detached_records(
    const std::function<void(std::string_view, std::string_view, int64_t, std::string_view)> &fn) {
  return scan_detached(*impl_, kScanDetachedRecords, fn);
}

Status SqliteStore::link_identifier(const LinkedIdentifier &link, int64_t at_ms) {
  return impl_->write(kLinkIdentifier, [&](sqlite::Statement &st) {
    st.bind_text(1, link.type);
    st.bind_text(2, link.value);
    st.bind_text(3, link.key);
    st.bind_int(4, std::llround(link.probability * 1e6));  // stored in parts per million
    st.bind_int(5, at_ms);
    st.bind_text(6, link.evidence);
  });
}

Status SqliteStore::scan_linked_identifiers(
    const std::function<void(const LinkedIdentifier &)> &fn) {
  return impl_->scan(
      kScanLinked, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        fn({std::string(st.column_bytes(0)), std::string(st.column_bytes(1)),
            std::string(st.column_bytes(2)), static_cast<double>(st.column_int(3)) / 1e6,
            std::string(st.column_bytes(4))});
        return Status::Ok();
      });
}

const char *link_review_status_name(LinkReview::Status status) {
  switch (status) {
    case LinkReview::Status::kAccepted:
      return "accepted";
    case LinkReview::Status::kRejected:
      return "rejected";
    case LinkReview::Status::kOpen:
      break;
  }
  return "open";
}

namespace {

LinkReview::Status review_status_of(std::string_view text) {
  return text == "accepted"   ? LinkReview::Status::kAccepted
         : text == "rejected" ? LinkReview::Status::kRejected
                              : LinkReview::Status::kOpen;
}

}  // namespace

Status SqliteStore::add_link_review(const LinkReview &r) {
  return impl_->write(kAddReview, [&](sqlite::Statement &st) {
    st.bind_text(1, r.a_type);
    st.bind_text(2, r.a_value);
    st.bind_text(3, r.b_type);
    st.bind_text(4, r.b_value);
    st.bind_int(5, std::llround(r.probability * 1e6));
    st.bind_text(6, link_review_status_name(r.status));
    st.bind_int(7, r.at_ms);
  });
}

Status SqliteStore::scan_link_reviews(const std::function<void(const LinkReview &)> &fn) {
  return impl_->scan(
      kScanReviews, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        LinkReview r;
        r.id = from_sql(st.column_int(0));
        r.a_type = st.column_bytes(1);
        r.a_value = st.column_bytes(2);
        r.b_type = st.column_bytes(3);
        r.b_value = st.column_bytes(4);
        r.probability = static_cast<double>(st.column_int(5)) / 1e6;
        r.status = review_status_of(st.column_bytes(6));
        r.at_ms = st.column_int(7);
        fn(r);
        return Status::Ok();
      });
}

Status SqliteStore::decide_link_review(uint64_t id, LinkReview::Status status) {
  Status s = impl_->write(kDecideReview, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(id));
    st.bind_text(2, link_review_status_name(status));
  });
  if (!s.ok()) return s;
  if (sqlite3_changes(impl_->db.get()) == 0) {
    return Status::NotFound("no open review " + std::to_string(id));
  }
  return Status::Ok();
}

}  // namespace halo
