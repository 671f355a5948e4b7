// typed_migration_test.cpp -- migration 3: a version-2 store whose traits and
// features are JSON text opens as a typed store with the same values (exact
// number text included), `halo store check` decodes every row, and a row
// that has no typed form stops the migration at version 2, losing nothing.
#include "store/typed_migration.h"

#include <map>

#include "profile/typed_codec.h"
#include "store/migrations.h"
#include "store/store_check.h"
#include "temp_store.h"

namespace halo::testing {
namespace {

class TypedMigrationTest : public TempStoreTest {
 protected:
  // A store at schema version 2 holding `sql` (legacy JSON rows).
  void version_two_store(const std::string &sql) {
    std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
    sqlite3 *db = raw_db();
    ASSERT_TRUE(store::migrate(db, path_, store::halo_migrations().first(2)).ok());
    char *err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
    sqlite3_close(db);
  }
  int64_t version() {
    sqlite3 *db = raw_db();
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
    sqlite3_step(st);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
  }
};

const char *kLegacyRows = R"sql(
INSERT INTO meta(key, value) VALUES('next_profile_id', '3');
INSERT INTO profiles(id, traits_json, updated_at_ms) VALUES
  (1, '{"balance":{"v":19.90,"p":10,"t":1000,"s":7},"name":{"v":"Sara \"S\"","p":100,"t":900,"s":3},"tags":{"v":["a","b"],"p":100,"t":1,"s":1},"vip":{"v":true,"p":100,"t":1,"s":2},"x":{"v":null,"p":100,"t":1,"s":4}}', 1000),
  (2, '{}', 5);
INSERT INTO features(profile_id, features_json) VALUES
  (1, '{"order_count":3,"revenue":120.50,"last":"2026-01-02"}');
)sql";

TEST_F(TypedMigrationTest, LegacyJsonRowsBecomeTheSameTypedValues) {
  version_two_store(kLegacyRows);
  auto store = open_store();  // migrates
  ASSERT_TRUE(store);
  EXPECT_EQ(version(), static_cast<int64_t>(store::halo_migrations().size()));
  auto p = must(store->get_profile(1));
  ASSERT_TRUE(p.has_value());
  std::map<std::string, std::string> traits;
  std::map<std::string, TraitRecord> meta;
  ASSERT_TRUE(decode_traits(p->traits, [&](const TraitRecord &r) {
                std::string json;
                r.value->append_json(json);
                traits[std::string(r.name)] = json;
                meta[std::string(r.name)] = r;
              }).ok());
  EXPECT_EQ(traits, (std::map<std::string, std::string>{{"balance", "19.90"},
                                                        {"name", R"("Sara \"S\"")"},
                                                        {"tags", R"(["a","b"])"},
                                                        {"vip", "true"},
                                                        {"x", "null"}}));
  EXPECT_EQ(meta["balance"].priority, 10);
  EXPECT_EQ(meta["balance"].timestamp_ms, 1000);
  EXPECT_EQ(meta["balance"].sequence, 7u);
  EXPECT_EQ(meta["name"].source, "");  // legacy rows carry no source
  NamedValues features;
  ASSERT_TRUE(decode_features(p->features, &features).ok());
  EXPECT_EQ(json_object(features), R"({"order_count":3,"revenue":120.50,"last":"2026-01-02"})");
  EXPECT_EQ(features[0].value.kind(), TypedKind::kInteger);
  EXPECT_EQ(features[1].value.kind(), TypedKind::kDecimal);
  auto empty = must(store->get_profile(2));
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->traits, StoredProfile{}.traits);
  EXPECT_EQ(empty->features, StoredProfile{}.features);  // no features row
  store.reset();

  auto report = check_store(path_);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->problems.empty()) << report->problems[0].message;
  bool decoded = false;
  for (const std::string &line : report->passed) decoded |= line.find("typed traits") == 0;
  EXPECT_TRUE(decoded);
}

TEST_F(TypedMigrationTest, ARowWithoutTypedFormStopsAtVersionTwoLosingNothing) {
  version_two_store(
      R"sql(INSERT INTO profiles(id, traits_json, updated_at_ms) VALUES
        (1, '{"a":{"v":1,"p":1,"t":1,"s":1}}', 1),
        (4, '{"address":{"v":{"city":"Tehran"},"p":1,"t":1,"s":1}}', 1);)sql");
  auto store = SqliteStore::open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_NE(store.status().message().find("profile 4"), std::string::npos)
      << store.status().message();
  EXPECT_NE(store.status().message().find("address"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(version(), 2);
  // The rows are untouched JSON text, in the version-2 table.
  sqlite3 *db = raw_db();
  sqlite3_stmt *st = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db, "SELECT traits_json FROM profiles WHERE id = 1", -1, &st, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)),
               R"({"a":{"v":1,"p":1,"t":1,"s":1}})");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(TypedMigrationTest, StoreCheckNamesADamagedTypedRow) {
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->begin().ok());
    StoredProfile p;
    p.id = 1;
    ASSERT_TRUE(store->put_profile(p).ok());
    ASSERT_TRUE(store->put_features(1, std::string("\x01\x01\x01n\x01\x07", 6)).ok());
    ASSERT_TRUE(store->set_meta("next_profile_id", "2").ok());
    ASSERT_TRUE(store->commit().ok());
  }
  auto report = check_store(path_);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_EQ(report->problems[0].table, "features");
  EXPECT_TRUE(report->problems[0].rebuildable);
  EXPECT_NE(report->problems[0].message.find("profile 1"), std::string::npos)
      << report->problems[0].message;
}

}  // namespace
}  // namespace halo::testing
