// store_integrity_test.cpp -- a damaged or inconsistent store is an error
// naming the table, never "no rows": really damaged B-tree pages, values
// of the wrong type, a stale or garbage profile id counter, read-only
// opening, and the full check behind `halo store check`.
#include <fstream>

#include "profile/typed_codec.h"
#include "store/store_check.h"
#include "temp_store.h"

namespace halo::testing {
namespace {

bool has(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

class StoreIntegrityTest : public TempStoreTest {
 protected:
  // A committed store: profiles 1..n, each with two identifiers, counter n+1.
  void fill(int n) {
    auto store = open_store();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->begin().ok());
    for (int i = 1; i <= n; ++i) {
      std::string id = std::to_string(i);
      ASSERT_TRUE(store->put_identifier("email", "p" + id + "@example.ir", i, 0, 0).ok());
      ASSERT_TRUE(store->put_identifier("phone", "+98912" + id, i, 0, 0).ok());
      StoredProfile p;
      p.id = static_cast<uint64_t>(i);
      TypedValue name = TypedValue::string("person " + id);
      TraitEncoder traits(1);
      traits.add({"name", "crm", 100, 0, static_cast<uint64_t>(i), &name, {}});
      p.traits = traits.take();
      ASSERT_TRUE(store->put_profile(p).ok());
    }
    ASSERT_TRUE(store->set_meta("next_profile_id", std::to_string(n + 1)).ok());
    DeadLetter d;
    d.stage = "parse";
    d.reason = "malformed_json";
    d.raw = "{bad";
    ASSERT_TRUE(store->add_dead_letter(d).ok());
    ASSERT_TRUE(store->commit().ok());
  }

  // Overwrites the root page of B-tree `name` (a table or index) with 0xff
  // bytes, after moving every page from the WAL into the main file.
  void damage_btree(const std::string &name) {
    raw_exec("PRAGMA wal_checkpoint(TRUNCATE)");
    sqlite3 *db = raw_db();
    int64_t root = 0, page_size = 0;
    sqlite3_stmt *st = nullptr;
    std::string sql =
        "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM "
        "sqlite_schema WHERE name = '" +
        name + "'";
    ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    root = sqlite3_column_int64(st, 0);
    page_size = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    ASSERT_GT(root, 1);
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * page_size);
    std::string junk(static_cast<size_t>(page_size), '\xff');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    ASSERT_TRUE(f.good());
  }

  std::unique_ptr<Store> open_unchecked() {
    auto store = SqliteStore::open(path_, {.read_only = false, .check_invariants = false});
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }
};

TEST_F(StoreIntegrityTest, DamagedIndexPageIsAnErrorNamingTheTableNotNoIdentifiers) {
  fill(400);
  damage_btree("identifiers_by_profile");
  auto store = open_unchecked();
  ASSERT_TRUE(store);
  // Before the fix this returned an empty list: a profile with no identifiers.
  auto ids = store->identifiers_of(7);
  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(has(ids.status().message(), "table identifiers")) << ids.status().message();
  EXPECT_TRUE(has(ids.status().message(), "halo store check")) << ids.status().message();
  EXPECT_TRUE(has(ids.status().message(), path_)) << ids.status().message();
  // The default open checks the invariants through the same index.
  store.reset();  // one writer at a time (the store lock)
  auto checked = SqliteStore::open(path_);
  ASSERT_FALSE(checked.ok());
  EXPECT_TRUE(has(checked.status().message(), "table identifiers")) << checked.status().message();
}

TEST_F(StoreIntegrityTest, DamagedTablePageFailsEveryReadOfThatTable) {
  fill(400);
  damage_btree("profiles");
  auto store = open_unchecked();
  ASSERT_TRUE(store);
  auto one = store->get_profile(3);
  ASSERT_FALSE(one.ok());
  EXPECT_TRUE(has(one.status().message(), "table profiles")) << one.status().message();
  auto count = store->profile_count();
  ASSERT_FALSE(count.ok());
  EXPECT_TRUE(has(count.status().message(), "table profiles")) << count.status().message();
  Status scan = store->scan_profiles([](const StoredProfile &) {});
  EXPECT_FALSE(scan.ok());
  EXPECT_TRUE(has(scan.message(), "table profiles")) << scan.message();
}

TEST_F(StoreIntegrityTest, DamagedDeadLetterTableIsAnErrorNotAnEmptyList) {
  fill(5);
  damage_btree("dead_letters");
  auto store = open_store();  // the invariants do not touch dead_letters
  ASSERT_TRUE(store);
  int seen = 0;
  Status s = store->scan_dead_letters([&](const DeadLetter &) { ++seen; });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(seen, 0);
  EXPECT_TRUE(has(s.message(), "table dead_letters")) << s.message();
  EXPECT_FALSE(store->dead_letter_count().ok());
}

TEST_F(StoreIntegrityTest, ValueOfTheWrongTypeIsCorruptionNotZero) {
  fill(3);
  raw_exec("UPDATE identifiers SET profile_id = 'two' WHERE value = '+989122'");
  auto store = open_unchecked();
  ASSERT_TRUE(store);
  auto found = store->find_profile("phone", "+989122");
  ASSERT_FALSE(found.ok());  // before: profile 0
  EXPECT_EQ(found.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(has(found.status().message(), "column profile_id holds text"))
      << found.status().message();
  store.reset();  // one writer at a time (the store lock)
  auto checked = SqliteStore::open(path_);
  ASSERT_FALSE(checked.ok());
  EXPECT_TRUE(has(checked.status().message(), "not an integer")) << checked.status().message();
}

TEST_F(StoreIntegrityTest, WrongTypeInAPayloadColumnFailsTheScanAndTheCheck) {
  fill(3);
  raw_exec("UPDATE profiles SET updated_at_ms = 'soon' WHERE id = 2");
  auto store = open_store();  // the cheap checks look at ids only
  ASSERT_TRUE(store);
  Status scan = store->scan_profiles([](const StoredProfile &) {});
  ASSERT_FALSE(scan.ok());
  EXPECT_TRUE(has(scan.message(), "column updated_at_ms holds text")) << scan.message();
  store.reset();
  auto report = check_store(path_);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_EQ(report->problems[0].table, "profiles");
  EXPECT_TRUE(report->problems[0].rebuildable);
}

// Segment sizes and members are checked against the tables they count.
TEST_F(StoreIntegrityTest, SegmentMembershipThatDisagreesIsARebuildableProblem) {
  fill(3);
  raw_exec(
      "INSERT INTO segment_definitions VALUES('vip', 'traits.vip', 1, 0);"
      "INSERT INTO segment_members VALUES(2, 'vip');");
  auto clean = check_store(path_);
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->problems.empty());
  raw_exec(
      "UPDATE segment_definitions SET size = 2;"
      "INSERT INTO segment_members VALUES(3, 'gone');");
  auto report = check_store(path_);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 2u);
  EXPECT_EQ(report->problems[0].table, "segment_members");
  EXPECT_TRUE(has(report->problems[0].message, "segment that is not defined"))
      << report->problems[0].message;
  EXPECT_EQ(report->problems[1].table, "segment_definitions");
  EXPECT_TRUE(report->problems[1].rebuildable);
}

TEST_F(StoreIntegrityTest, StaleCounterIsRefusedAtOpenNamingKeyAndTable) {
  fill(10);
  raw_exec("UPDATE meta SET value = '4' WHERE key = 'next_profile_id'");
  auto store = SqliteStore::open(path_);
  ASSERT_FALSE(store.ok());
  const std::string &msg = store.status().message();
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(has(msg, "next_profile_id = 4")) << msg;
  EXPECT_TRUE(has(msg, "profile id 10")) << msg;
  EXPECT_TRUE(has(msg, "table profiles")) << msg;
  EXPECT_TRUE(has(msg, "halo rebuild")) << msg;
  // A missing counter with stored profiles is just as stale.
  raw_exec("DELETE FROM meta WHERE key = 'next_profile_id'");
  EXPECT_FALSE(SqliteStore::open(path_).ok());
  // The rebuild opens without the check and resets the derived data.
  auto rebuild = open_unchecked();
  ASSERT_TRUE(rebuild);
  ASSERT_TRUE(rebuild->begin().ok());
  ASSERT_TRUE(rebuild->clear_derived().ok());
  ASSERT_TRUE(rebuild->commit().ok());
  rebuild.reset();
  EXPECT_TRUE(SqliteStore::open(path_).ok());
}

TEST_F(StoreIntegrityTest, IdentifierAboveCounterIsRefusedToo) {
  fill(3);
  raw_exec(
      "INSERT INTO identifiers(type, value, profile_id) VALUES('email', 'late@example.ir', 9)");
  auto store = SqliteStore::open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(has(store.status().message(), "table identifiers")) << store.status().message();
  EXPECT_TRUE(has(store.status().message(), "profile id 9")) << store.status().message();
}

TEST_F(StoreIntegrityTest, NonPositiveProfileIdIsRefused) {
  fill(3);
  raw_exec("INSERT INTO profiles(id, traits, updated_at_ms) VALUES(-2, x'0100', 0)");
  auto store = SqliteStore::open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(has(store.status().message(), "profile id -2")) << store.status().message();
}

TEST_F(StoreIntegrityTest, GarbageCounterIsAnErrorNamingTheKeyNeverAnException) {
  fill(2);
  for (const char *garbage : {"abc", "12abc", " 12", "-1", "0", "+5", "", "99999999999999999999",
                              "9223372036854775808"}) {
    raw_exec(std::string("UPDATE meta SET value = '") + garbage +
             "' WHERE key = 'next_profile_id'");
    auto store = SqliteStore::open(path_);
    ASSERT_FALSE(store.ok()) << garbage;
    EXPECT_EQ(store.status().code(), StatusCode::kCorruption) << garbage;
    EXPECT_TRUE(
        has(store.status().message(), "key next_profile_id holds '" + std::string(garbage) + "'"))
        << store.status().message();
    auto unchecked = open_unchecked();
    ASSERT_TRUE(unchecked);
    EXPECT_FALSE(unchecked->next_profile_id().ok()) << garbage;
  }
  raw_exec("UPDATE meta SET value = '9223372036854775807' WHERE key = 'next_profile_id'");
  auto max = open_unchecked();
  ASSERT_TRUE(max);
  EXPECT_EQ(must(max->next_profile_id()), 9223372036854775807ull);
}

TEST_F(StoreIntegrityTest, ReadOnlyOpenNeverCreatesAStore) {
  auto missing = SqliteStore::open(path_, {.read_only = true, .check_invariants = true});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(path_));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(path_).parent_path()));
  fill(2);
  auto store = SqliteStore::open(path_, {.read_only = true, .check_invariants = true});
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ(must(store.value()->find_profile("email", "p2@example.ir")), 2u);
  EXPECT_EQ(store.value()->begin().code(), StatusCode::kInvalidArgument);  // a reader
  EXPECT_FALSE(store.value()->set_meta("k", "v").ok());  // the file is not written
  EXPECT_EQ(store.value()->commit().code(), StatusCode::kInvalidArgument);
}

TEST_F(StoreIntegrityTest, ReadOnlyOpenRefusesAnEmptyOrNewerStore) {
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
  { std::ofstream touch(path_ + ".empty"); }
  auto empty = SqliteStore::open(path_ + ".empty", {.read_only = true, .check_invariants = true});
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(has(empty.status().message(), "is empty")) << empty.status().message();
  EXPECT_EQ(empty.status().code(), StatusCode::kNotFound);  // like a missing store: exit 3
  // `halo store check` says "no store yet" (exit 3), not "restore a backup".
  auto report = check_store(path_ + ".empty");
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
  fill(1);
  raw_exec("PRAGMA user_version = 42");
  auto newer = SqliteStore::open(path_, {.read_only = true, .check_invariants = true});
  ASSERT_FALSE(newer.ok());
  EXPECT_TRUE(has(newer.status().message(), "schema version 42")) << newer.status().message();
}

TEST_F(StoreIntegrityTest, FullCheckPassesOnASoundStore) {
  fill(50);
  auto report = check_store(path_);
  ASSERT_TRUE(report.ok()) << report.status().message();
  for (const StoreProblem &p : report->problems) ADD_FAILURE() << p.table << ": " << p.message;
  EXPECT_GE(report->passed.size(), 5u);
}

TEST_F(StoreIntegrityTest, FullCheckNamesDamagedTableAndSaysItIsNotRebuildable) {
  fill(400);
  damage_btree("identifiers_by_profile");
  auto report = check_store(path_);
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_FALSE(report->ok());
  bool integrity_names_table = false;
  for (const StoreProblem &p : report->problems) {
    EXPECT_FALSE(p.rebuildable) << p.message;
    if (p.table == "identifiers" && has(p.message, "SQLite integrity check")) {
      integrity_names_table = true;
    }
  }
  std::string all;
  for (const StoreProblem &p : report->problems) all += p.table + ": " + p.message + "\n";
  EXPECT_TRUE(integrity_names_table) << all;
}

TEST_F(StoreIntegrityTest, FullCheckFindsStaleCounterAndOrphansAsRebuildable) {
  fill(10);
  raw_exec("UPDATE meta SET value = '3' WHERE key = 'next_profile_id'");
  raw_exec("DELETE FROM profiles WHERE id = 2");
  auto report = check_store(path_);
  ASSERT_TRUE(report.ok());
  std::string all;
  for (const StoreProblem &p : report->problems) {
    EXPECT_TRUE(p.rebuildable) << p.message;
    all += p.table + ": " + p.message + "\n";
  }
  EXPECT_TRUE(has(all, "profiles: profile id 10")) << all;
  EXPECT_TRUE(has(all, "identifiers: 2 identifier(s) linked to a profile")) << all;
}

TEST_F(StoreIntegrityTest, FullCheckFindsAGapInTheChangeLogAndACursorPastItsEnd) {
  fill(3);
  {
    auto store = open_store();
    ASSERT_TRUE(store->begin().ok());
    ASSERT_TRUE(store
                    ->append_changes({{1, 1, kChangeCreated, 0, 5},
                                      {2, 2, kChangeCreated, 0, 5},
                                      {3, 3, kChangeCreated, 0, 5}})
                    .ok());
    ASSERT_TRUE(store->set_consumer_position("features@0", 3).ok());
    ASSERT_TRUE(store->commit().ok());
  }
  auto sound = check_store(path_);
  ASSERT_TRUE(sound.ok());
  EXPECT_TRUE(sound->ok());
  raw_exec("DELETE FROM changes WHERE sequence = 2");
  raw_exec("UPDATE consumers SET position = 9");
  auto report = check_store(path_);
  ASSERT_TRUE(report.ok());
  std::string all;
  for (const StoreProblem &p : report->problems) {
    EXPECT_TRUE(p.rebuildable) << p.message;
    all += p.table + ": " + p.message + "\n";
  }
  EXPECT_TRUE(has(all, "changes: the change log has 2 entries but its last sequence is 3")) << all;
  EXPECT_TRUE(has(all, "consumers: 1 consumer cursor(s) beyond the end")) << all;
}

TEST_F(StoreIntegrityTest, FullCheckFindsBrokenEventLog) {
  {
    auto store = open_store();
    ASSERT_TRUE(store->begin().ok());
    OwnedBatch a = make_batch(1, 5), b = make_batch(6, 5);
    ASSERT_TRUE(store->append_events(a.view(), a.keys).ok());
    ASSERT_TRUE(store->append_events(b.view(), b.keys).ok());
    ASSERT_TRUE(store->commit().ok());
  }
  raw_exec("UPDATE event_batches SET first_seq = 7, last_seq = 11 WHERE first_seq = 6");
  raw_exec("UPDATE event_batches SET data = x'00ff' WHERE first_seq = 1");
  auto report = check_store(path_);
  ASSERT_TRUE(report.ok());
  std::string all;
  for (const StoreProblem &p : report->problems) {
    EXPECT_EQ(p.table, "event_batches");
    EXPECT_FALSE(p.rebuildable);
    all += p.message + "\n";
  }
  EXPECT_TRUE(has(all, "first_seq=7")) << all;
  EXPECT_TRUE(has(all, "first_seq=1 is damaged")) << all;
}

TEST_F(StoreIntegrityTest, FullCheckOfMissingStoreIsNotFoundAndCreatesNothing) {
  auto report = check_store(path_);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(path_));
}

}  // namespace
}  // namespace halo::testing
