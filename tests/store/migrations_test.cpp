// migrations_test.cpp -- schema versioning: fresh and existing databases, the
// ordered migration runner, refusal of newer or foreign databases.
#include "store/migrations.h"

#include <fstream>
#include <vector>

#include "temp_store.h"

namespace halo::testing {
namespace {

int64_t pragma_int(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

std::string pragma_text(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
  std::string v = reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return v;
}

class MigrationsTest : public TempStoreTest {
 protected:
  // A raw connection for driving store::migrate with a custom list.
  sqlite3 *open_raw_in_dir() {
    std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
    return raw_db();
  }
};

TEST_F(MigrationsTest, FreshDatabaseIsMigratedToLatestInWalMode) {
  auto store = open_store();
  ASSERT_TRUE(store);
  EXPECT_TRUE(std::filesystem::exists(path_));  // parent dirs were created
  sqlite3 *db = raw_db();
  EXPECT_EQ(pragma_int(db, "PRAGMA user_version"),
            static_cast<int64_t>(store::halo_migrations().size()));
  EXPECT_EQ(pragma_int(db, "PRAGMA application_id"), store::kHaloApplicationId);
  EXPECT_EQ(pragma_text(db, "PRAGMA journal_mode"), "wal");
  sqlite3_close(db);
}

TEST_F(MigrationsTest, ReopeningAnExistingStoreKeepsItsData) {
  {
    auto store = open_store();
    ASSERT_TRUE(store->begin().ok());
    ASSERT_TRUE(store->set_meta("k", "v").ok());
    ASSERT_TRUE(store->commit().ok());
  }
  auto store = open_store();
  ASSERT_TRUE(store);
  EXPECT_EQ(must(store->get_meta("k")), "v");
}

TEST_F(MigrationsTest, RunnerAppliesOnlyMissingMigrationsInOrder) {
  // v1 has no IF NOT EXISTS: running it twice would fail.
  const store::Migration v1{1, "create t",
                            "PRAGMA application_id = 1212238927;"
                            "CREATE TABLE t(a INTEGER);"};
  const store::Migration v2{2, "add column b", "ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x';"};
  sqlite3 *db = open_raw_in_dir();
  const store::Migration first[] = {v1};
  ASSERT_TRUE(store::migrate(db, path_, first).ok());
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO t(a) VALUES(42)", nullptr, nullptr, nullptr), SQLITE_OK);
  const store::Migration both[] = {v1, v2};
  Status s = store::migrate(db, path_, both);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(pragma_int(db, "PRAGMA user_version"), 2);
  EXPECT_EQ(pragma_text(db, "SELECT a || b FROM t"), "42x");
  ASSERT_TRUE(store::migrate(db, path_, both).ok());  // idempotent at latest
  sqlite3_close(db);
}

// Schema 9 gave probabilistic links their evidence; links stored before
// read back with none, everything else unchanged.
TEST_F(MigrationsTest, LinksStoredBeforeSchemaNineReadBackWithoutEvidence) {
  sqlite3 *db = open_raw_in_dir();
  ASSERT_TRUE(store::migrate(db, path_, store::halo_migrations().first(8)).ok());
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO linked_identifiers(type, value, link_key, probability_ppm, "
                         "at_ms) VALUES('email', 'a@b.ir', 'email:a@b.ir', 990000, 1)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = open_store();
  ASSERT_TRUE(store);
  std::vector<LinkedIdentifier> links;
  ASSERT_TRUE(
      store->scan_linked_identifiers([&](const LinkedIdentifier &l) { links.push_back(l); }).ok());
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].key, "email:a@b.ir");
  EXPECT_DOUBLE_EQ(links[0].probability, 0.99);
  EXPECT_EQ(links[0].evidence, "");
}

// The pending migrations apply together: one that fails leaves the store
// at the version it had (here: empty), never half-way.
TEST_F(MigrationsTest, FailingMigrationLeavesTheVersionItHad) {
  const store::Migration list[] = {
      {1, "create t", "PRAGMA application_id = 1212238927; CREATE TABLE t(a);"},
      {2, "broken", "CREATE TABLE u(a); INSERT INTO missing_table VALUES(1);"},
  };
  sqlite3 *db = open_raw_in_dir();
  Status s = store::migrate(db, path_, list);
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_NE(s.message().find("migration 2 (broken)"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("missing_table"), std::string::npos) << s.message();
  EXPECT_EQ(pragma_int(db, "PRAGMA user_version"), 0);
  EXPECT_EQ(pragma_int(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('t', 'u')"), 0);
  sqlite3_close(db);
}

TEST_F(MigrationsTest, OutOfOrderListIsAnInternalError) {
  const store::Migration list[] = {{2, "two", "SELECT 1;"}, {1, "one", "SELECT 1;"}};
  sqlite3 *db = open_raw_in_dir();
  Status s = store::migrate(db, path_, list);
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_NE(s.message().find("out of order"), std::string::npos) << s.message();
  EXPECT_EQ(pragma_int(db, "PRAGMA user_version"), 0);
  sqlite3_close(db);
}

TEST_F(MigrationsTest, NewerSchemaIsRefusedWithPathAndVersions) {
  { ASSERT_TRUE(open_store()); }
  raw_exec("PRAGMA user_version = 99");
  auto store = SqliteStore::open(path_);
  ASSERT_FALSE(store.ok());
  const std::string &msg = store.status().message();
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(msg.find(path_), std::string::npos) << msg;
  EXPECT_NE(msg.find("schema version 99"), std::string::npos) << msg;
  EXPECT_NE(msg.find("newer halo"), std::string::npos) << msg;
  sqlite3 *db = raw_db();
  EXPECT_EQ(pragma_int(db, "PRAGMA user_version"), 99);  // untouched
  sqlite3_close(db);
}

TEST_F(MigrationsTest, ForeignSqliteDatabaseIsRefused) {
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
  raw_exec("CREATE TABLE customers(id INTEGER)");
  auto store = SqliteStore::open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("not a Halo store"), std::string::npos)
      << store.status().message();
}

TEST_F(MigrationsTest, NonDatabaseFileIsRefusedNamingThePath) {
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
  std::ofstream(path_) << std::string(8192, 'x');
  auto store = SqliteStore::open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find(path_), std::string::npos) << store.status().message();
}

TEST_F(MigrationsTest, UncreatableParentDirectoryIsAnIoErrorNamingThePath) {
  std::ofstream(dir_ / "file") << "x";
  std::string bad = (dir_ / "file" / "sub" / "halo.db").string();
  auto store = SqliteStore::open(bad);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIo);
  EXPECT_NE(store.status().message().find(bad), std::string::npos) << store.status().message();
}

}  // namespace
}  // namespace halo::testing
