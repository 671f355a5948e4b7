// store_profiles.cpp -- profiles (traits), their computed features and the
// per-profile state of feature builders.
//
// Invariants: traits and features are separate rows so that the trait writer
// (put_profile) and the feature writer (put_features) never overwrite each
// other; a profile without a features row reads as features "{}".
#include "store/store_impl.h"

namespace halo {

namespace {

constexpr std::string_view kPutProfile =
    "INSERT INTO profiles(id, traits_json, updated_at_ms) VALUES(?1, ?2, ?3) "
    "ON CONFLICT(id) DO UPDATE SET traits_json = excluded.traits_json, "
    "updated_at_ms = excluded.updated_at_ms";
constexpr std::string_view kPutFeatures =
    "INSERT INTO features(profile_id, features_json) VALUES(?1, ?2) "
    "ON CONFLICT(profile_id) DO UPDATE SET features_json = excluded.features_json";
constexpr std::string_view kDeleteProfile = "DELETE FROM profiles WHERE id = ?1";
constexpr std::string_view kDeleteFeatures = "DELETE FROM features WHERE profile_id = ?1";
constexpr std::string_view kDeleteAllState = "DELETE FROM feature_state WHERE profile_id = ?1";
constexpr std::string_view kSelectProfile =
    "SELECT p.id, p.traits_json, coalesce(f.features_json, '{}'), p.updated_at_ms "
    "FROM profiles p LEFT JOIN features f ON f.profile_id = p.id";
constexpr std::string_view kProfileCount = "SELECT count(*) FROM profiles";
constexpr std::string_view kPutState =
    "INSERT INTO feature_state(instance, profile_id, data) VALUES(?1, ?2, ?3) "
    "ON CONFLICT(instance, profile_id) DO UPDATE SET data = excluded.data";
constexpr std::string_view kDeleteState =
    "DELETE FROM feature_state WHERE instance = ?1 AND profile_id = ?2";
constexpr std::string_view kScanState =
    "SELECT profile_id, data FROM feature_state WHERE instance = ?1 ORDER BY profile_id";

const std::string &get_one_sql() {
  static const std::string sql = std::string(kSelectProfile) + " WHERE p.id = ?1";
  return sql;
}

const std::string &scan_sql() {
  static const std::string sql = std::string(kSelectProfile) + " ORDER BY p.id";
  return sql;
}

// Assigns into `p` so a scan reuses its string buffers row after row.
void read_profile(sqlite::Statement &st, StoredProfile &p) {
  p.id = from_sql(st.column_int(0));
  p.traits_json.assign(st.column_bytes(1));
  p.features_json.assign(st.column_bytes(2));
  p.updated_at_ms = st.column_int(3);
}

}  // namespace

Status Store::put_profile(const StoredProfile &p) {
  return impl_->write("put_profile", kPutProfile, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(p.id));
    st.bind_text(2, p.traits_json);
    st.bind_int(3, p.updated_at_ms);
  });
}

Status Store::put_features(uint64_t id, std::string_view features_json) {
  return impl_->write("put_features", kPutFeatures, [&](sqlite::Statement &st) {
    st.bind_int(1, to_sql(id));
    st.bind_text(2, features_json);
  });
}

Status Store::delete_profile(uint64_t id) {
  for (std::string_view sql : {kDeleteProfile, kDeleteFeatures, kDeleteAllState}) {
    Status s = impl_->write("delete_profile", sql,
                            [&](sqlite::Statement &st) { st.bind_int(1, to_sql(id)); });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

std::optional<StoredProfile> Store::get_profile(uint64_t id) {
  std::optional<StoredProfile> found;
  Status s = impl_->query(
      "get_profile", get_one_sql(), [&](sqlite::Statement &st) { st.bind_int(1, to_sql(id)); },
      [&](sqlite::Statement &st) {
        read_profile(st, found.emplace());
        return Status::Ok();
      });
  return s.ok() ? found : std::nullopt;
}

Status Store::scan_profiles(const std::function<void(const StoredProfile &)> &fn) {
  StoredProfile p;
  return impl_->scan(
      "scan_profiles", scan_sql(), [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        read_profile(st, p);
        fn(p);
        return Status::Ok();
      });
}

uint64_t Store::profile_count() {
  return impl_->count(kProfileCount);
}

Status Store::put_feature_state(std::string_view instance, uint64_t profile_id, const void *data,
                                size_t len) {
  return impl_->write("put_feature_state", kPutState, [&](sqlite::Statement &st) {
    st.bind_text(1, instance);
    st.bind_int(2, to_sql(profile_id));
    st.bind_blob(3, data, len);
  });
}

Status Store::delete_feature_state(std::string_view instance, uint64_t profile_id) {
  return impl_->write("delete_feature_state", kDeleteState, [&](sqlite::Statement &st) {
    st.bind_text(1, instance);
    st.bind_int(2, to_sql(profile_id));
  });
}

Status Store::scan_feature_state(std::string_view instance,
                                 const std::function<void(uint64_t, const void *, size_t)> &fn) {
  return impl_->scan(
      "scan_feature_state", kScanState, [&](sqlite::Statement &st) { st.bind_text(1, instance); },
      [&](sqlite::Statement &st) {
        std::string_view data = st.column_bytes(1);
        fn(from_sql(st.column_int(0)), data.data(), data.size());
        return Status::Ok();
      });
}

}  // namespace halo
