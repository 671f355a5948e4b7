// store_profiles.cpp -- profiles (traits), their computed features and the
// per-profile state of feature builders.
//
// Invariants: traits and features are separate rows so that the trait writer
// (put_profile) and the feature writer (put_features) never overwrite each
// other; a profile without a features row reads as no features (x'0100',
// the typed encoding of an empty list). Both columns hold the typed binary form of
// profile/typed_codec.h, stored as BLOBs; the store does not decode them
// (store_check.cpp does).
#include <algorithm>

#include "store/store_impl.h"

namespace halo {

namespace {

constexpr Sql kPutProfile{"put_profile", "profiles",
                          "INSERT INTO profiles(id, traits, updated_at_ms) VALUES(?1, ?2, ?3) "
                          "ON CONFLICT(id) DO UPDATE SET traits = excluded.traits, "
                          "updated_at_ms = excluded.updated_at_ms"};
constexpr Sql kPutFeatures{"put_features", "features",
                           "INSERT INTO features(profile_id, features) VALUES(?1, ?2) "
                           "ON CONFLICT(profile_id) DO UPDATE SET features = excluded.features"};
constexpr Sql kDeleteProfile{"delete_profile", "profiles", "DELETE FROM profiles WHERE id = ?1"};
constexpr Sql kDeleteFeatures{"delete_profile", "features",
                              "DELETE FROM features WHERE profile_id = ?1"};
constexpr Sql kDeleteReemit{"delete_profile", "reemits",
                            "DELETE FROM reemits WHERE profile_id = ?1"};
constexpr Sql kDeleteSegmentCheck{"delete_profile", "segment_checks",
                                  "DELETE FROM segment_checks WHERE profile_id = ?1"};
constexpr Sql kGetFeatures{"get_features", "features",
                           "SELECT features FROM features WHERE profile_id = ?1", "t"};
constexpr Sql kFeaturesOfMany{"get_features", "features",
                              "SELECT profile_id, features FROM features WHERE profile_id IN "
                              "(SELECT value FROM json_each(?1)) ORDER BY profile_id",
                              "it"};
constexpr Sql kScanFeatures{
    "scan_features", "features",
    "SELECT profile_id, features FROM features WHERE profile_id BETWEEN ?1 AND ?2 "
    "ORDER BY profile_id",
    "it"};
// Every builder's state of a profile: the builders with any state are found
// by skipping from one instance name to the next (a seek each, SQLite's
// recursive-query idiom for a distinct scan), then each one's row is a seek.
constexpr Sql kDeleteAllState{
    "delete_profile", "feature_state",
    "WITH RECURSIVE i(name) AS (SELECT min(instance) FROM feature_state UNION ALL "
    "SELECT (SELECT min(instance) FROM feature_state WHERE instance > i.name) FROM i "
    "WHERE i.name IS NOT NULL) "
    "DELETE FROM feature_state WHERE profile_id = ?1 AND instance IN (SELECT name FROM i)"};
#define HALO_SELECT_PROFILE                                                \
  "SELECT p.id, p.traits, coalesce(f.features, x'0100'), p.updated_at_ms " \
  "FROM profiles p LEFT JOIN features f ON f.profile_id = p.id"
constexpr Sql kGetProfile{"get_profile", "profiles, features",
                          HALO_SELECT_PROFILE " WHERE p.id = ?1", "itti"};
constexpr Sql kScanProfiles{"scan_profiles", "profiles, features",
                            HALO_SELECT_PROFILE " ORDER BY p.id", "itti"};
constexpr Sql kScanProfilesAfter{"scan_profiles", "profiles, features",
                                 HALO_SELECT_PROFILE " WHERE p.id > ?1 ORDER BY p.id LIMIT ?2",
                                 "itti"};
constexpr Sql kGetProfiles{
    "get_profiles", "profiles, features",
    HALO_SELECT_PROFILE " WHERE p.id IN (SELECT value FROM json_each(?1)) ORDER BY p.id", "itti"};
#undef HALO_SELECT_PROFILE
constexpr Sql kProfileCount{"profile_count", "profiles", "SELECT count(*) FROM profiles", "i"};
constexpr Sql kPutState{"put_feature_state", "feature_state",
                        "INSERT INTO feature_state(instance, profile_id, data) VALUES(?1, ?2, ?3) "
                        "ON CONFLICT(instance, profile_id) DO UPDATE SET data = excluded.data"};
constexpr Sql kDeleteState{"delete_feature_state", "feature_state",
                           "DELETE FROM feature_state WHERE instance = ?1 AND profile_id = ?2"};
constexpr Sql kScanState{
    "scan_feature_state", "feature_state",
    "SELECT profile_id, data FROM feature_state WHERE instance = ?1 ORDER BY profile_id", "it"};
constexpr Sql kGetState{"get_feature_state", "feature_state",
                        "SELECT data FROM feature_state WHERE instance = ?1 AND profile_id = ?2",
                        "t"};
constexpr Sql kGetStates{"get_feature_states", "feature_state",
                         "SELECT profile_id, data FROM feature_state WHERE instance = ?1 AND "
                         "profile_id IN (SELECT value FROM json_each(?2)) ORDER BY profile_id",
                         "it"};
constexpr Sql kHasState{"has_feature_state", "feature_state",
                        "SELECT 1 FROM feature_state WHERE instance = ?1 LIMIT 1", "i"};

// Assigns into `p` so a scan reuses its string buffers row after row.
void read_profile(sqlite::Statement &st, StoredProfile &p) {
  p.id = from_sql(st.column_int(0));
  p.traits.assign(st.column_bytes(1));
  p.features.assign(st.column_bytes(2));
  p.updated_at_ms = st.column_int(3);
}

}  // namespace

Status SqliteStore::put_profile(const StoredProfile &p) {
  return impl_->write(kPutProfile, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(p.id));
    st.bind_blob(2, p.traits.data(), p.traits.size());
    st.bind_int(3, p.updated_at_ms);
  });
}

Status SqliteStore::put_features(uint64_t id, std::string_view features) {
  return impl_->write(kPutFeatures, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(id));
    st.bind_blob(2, features.data(), features.size());
  });
}

Status SqliteStore::delete_profile(uint64_t id) {
  for (const Sql *sql : {&kDeleteProfile, &kDeleteFeatures, &kDeleteAllState, &kDeleteReemit,
                         &kDeleteSegmentCheck}) {
    Status s = impl_->write(*sql, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(id)); });
    if (!s.ok()) return s;
  }
  return remove_memberships(id);
}

constexpr Sql kClearConflicts{
    "clear_profile", "conflicts",
    HALO_SQL_MERGE_TREE "DELETE FROM conflicts WHERE profile_id IN tree OR event_profile IN tree"};
constexpr Sql kClearMerges{"clear_profile", "merges",
                           HALO_SQL_MERGE_TREE "DELETE FROM merges WHERE into_profile IN tree"};
constexpr Sql kClearLinks{"clear_profile", "identifiers",
                          "DELETE FROM identifiers WHERE profile_id = ?1"};

Status SqliteStore::clear_profile(uint64_t id) {
  // Conflicts before merges: both find the merged profiles through merges.
  for (const Sql *sql : {&kClearConflicts, &kClearMerges, &kClearLinks, &kDeleteProfile,
                         &kDeleteFeatures, &kDeleteAllState, &kDeleteReemit}) {
    Status s = impl_->write(*sql, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(id)); });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Result<std::optional<std::string>> SqliteStore::get_features(uint64_t id) {
  std::optional<std::string> found;
  Status s = impl_->query(
      kGetFeatures, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(id)); },
      [&](sqlite::Statement &st) {
        found.emplace(st.column_bytes(0));
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return found;
}

Status SqliteStore::get_features(std::span<const uint64_t> ids,
                                 const std::function<void(uint64_t, std::string_view)> &fn) {
  return impl_->scan_ids(
      kFeaturesOfMany, ids, 1, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        fn(from_sql(st.column_int(0)), st.column_bytes(1));
        return Status::Ok();
      });
}

Status SqliteStore::scan_features(uint64_t first, uint64_t last,
                                  const std::function<void(uint64_t, std::string_view)> &fn) {
  return impl_->scan(
      kScanFeatures,
      [&](sqlite::Statement &st) {
        st.bind_int(1, to_sql(first));
        st.bind_int(2, to_sql(std::min<uint64_t>(last, INT64_MAX)));
      },
      [&](sqlite::Statement &st) {
        fn(from_sql(st.column_int(0)), st.column_bytes(1));
        return Status::Ok();
      });
}

Result<std::optional<StoredProfile>> SqliteStore::get_profile(uint64_t id) {
  std::optional<StoredProfile> found;
  Status s = impl_->query(
      kGetProfile, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(id)); },
      [&](sqlite::Statement &st) {
        read_profile(st, found.emplace());
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return found;
}

Status SqliteStore::get_profiles(std::span<const uint64_t> ids,
                                 const std::function<void(const StoredProfile &)> &fn) {
  StoredProfile p;
  return impl_->scan_ids(
      kGetProfiles, ids, 1, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        read_profile(st, p);
        fn(p);
        return Status::Ok();
      });
}

Status SqliteStore::scan_profiles(const std::function<void(const StoredProfile &)> &fn) {
  StoredProfile p;
  return impl_->scan(
      kScanProfiles, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        read_profile(st, p);
        fn(p);
        return Status::Ok();
      });
}

Status SqliteStore::scan_profiles(uint64_t after, size_t limit,
                                  const std::function<void(const StoredProfile &)> &fn) {
  StoredProfile p;
  return impl_->scan(
      kScanProfilesAfter,
      [&](sqlite::Statement &st) {
        st.bind_int(1, to_sql(std::min<uint64_t>(after, INT64_MAX)));
        st.bind_int(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
      },
      [&](sqlite::Statement &st) {
        read_profile(st, p);
        fn(p);
        return Status::Ok();
      });
}

Result<uint64_t> SqliteStore::profile_count() {
  return impl_->count(kProfileCount);
}

Status SqliteStore::put_feature_state(std::string_view instance, uint64_t profile_id,
                                      const void *data, size_t len) {
  return impl_->write(kPutState, [&](sqlite::Statement &st) {
    st.bind_text(1, instance);
    st.bind_int(2, to_sql(profile_id));
    st.bind_blob(3, data, len);
  });
}

Status SqliteStore::delete_feature_state(std::string_view instance, uint64_t profile_id) {
  return impl_->write(kDeleteState, [&](sqlite::Statement &st) {
    st.bind_text(1, instance);
    st.bind_int(2, to_sql(profile_id));
  });
}

Status SqliteStore::scan_feature_state(
    std::string_view instance, const std::function<void(uint64_t, const void *, size_t)> &fn) {
  return impl_->scan(
      kScanState, [&](sqlite::Statement &st) { st.bind_text(1, instance); },
      [&](sqlite::Statement &st) {
        std::string_view data = st.column_bytes(1);
        fn(from_sql(st.column_int(0)), data.data(), data.size());
        return Status::Ok();
      });
}

Result<std::optional<std::string>> SqliteStore::get_feature_state(std::string_view instance,
                                                                  uint64_t profile_id) {
  std::optional<std::string> found;
  Status s = impl_->query(
      kGetState,
      [&](sqlite::Statement &st) {
        st.bind_text(1, instance);
        st.bind_int(2, to_sql(profile_id));
      },
      [&](sqlite::Statement &st) {
        found.emplace(st.column_bytes(0));
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return found;
}

Status SqliteStore::get_feature_states(std::string_view instance, std::span<const uint64_t> ids,
                                       const std::function<void(uint64_t, std::string_view)> &fn) {
  return impl_->scan_ids(
      kGetStates, ids, 2, [&](sqlite::Statement &st) { st.bind_text(1, instance); },
      [&](sqlite::Statement &st) {
        fn(from_sql(st.column_int(0)), st.column_bytes(1));
        return Status::Ok();
      });
}

Result<bool> SqliteStore::has_feature_state(std::string_view instance) {
  bool found = false;
  Status s = impl_->query(
      kHasState, [&](sqlite::Statement &st) { st.bind_text(1, instance); },
      [&](sqlite::Statement &) {
        found = true;
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return found;
}

}  // namespace halo
