// dead_letter_dedup_test.cpp -- migration 2: a dead letter is stored once
// per (source, stage, reason, raw), so a re-read file does not dead-letter
// the same bad record again; message-only dead letters are all kept; a
// version-1 store upgrades with its dead letters intact.
#include "store/migrations.h"

#include "temp_store.h"

namespace halo::testing {
namespace {

DeadLetter bad_row(std::string source, std::string reason, std::string raw) {
  DeadLetter d;
  d.stage = "parse";
  d.reason = std::move(reason);
  d.message = "row has 4 columns, header has 3";
  d.source = std::move(source);
  d.position = "crm.csv:3";
  d.raw = std::move(raw);
  d.at_ms = 1000;
  return d;
}

class DeadLetterDedupTest : public TempStoreTest {};

TEST_F(DeadLetterDedupTest, SameBadRecordOfOneSourceIsStoredOnce) {
  auto store = open_store();
  ASSERT_TRUE(store->begin().ok());
  ASSERT_TRUE(store->add_dead_letter(bad_row("crm", "wrong_shape", "c2,b,1,extra")).ok());
  DeadLetter again = bad_row("crm", "wrong_shape", "c2,b,1,extra");
  again.position = "crm.csv:4";  // a row inserted above it: same content
  ASSERT_TRUE(store->add_dead_letter(again).ok());
  ASSERT_TRUE(store->add_dead_letter(bad_row("shop", "wrong_shape", "c2,b,1,extra")).ok());
  ASSERT_TRUE(store->add_dead_letter(bad_row("crm", "malformed", "c2,b,1,extra")).ok());
  ASSERT_TRUE(store->add_dead_letter(bad_row("crm", "wrong_shape", "c2,b,1,other")).ok());
  ASSERT_TRUE(store->commit().ok());
  EXPECT_EQ(must(store->dead_letter_count()), 4u);
  std::vector<DeadLetter> got;
  ASSERT_TRUE(store->scan_dead_letters([&](const DeadLetter &d) { got.push_back(d); }).ok());
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].position, "crm.csv:3");  // the first one is kept
}

TEST_F(DeadLetterDedupTest, DeadLettersWithoutRawBytesAreNeverMerged) {
  auto store = open_store();
  ASSERT_TRUE(store->begin().ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store->add_dead_letter(bad_row("crm", "unreadable", "")).ok());
  }
  ASSERT_TRUE(store->add_dead_letter(bad_row("crm", "wrong_shape", "x")).ok());
  ASSERT_TRUE(store->add_dead_letter(bad_row("crm", "unreadable", "")).ok());
  ASSERT_TRUE(store->commit().ok());
  EXPECT_EQ(must(store->dead_letter_count()), 5u);
}

TEST_F(DeadLetterDedupTest, VersionOneStoreUpgradesKeepingItsDeadLetters) {
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
  sqlite3 *db = raw_db();
  ASSERT_TRUE(store::migrate(db, path_, store::halo_migrations().first(1)).ok());
  char *err = nullptr;
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO dead_letters(at_ms, stage, reason, message, source, "
                         "position, raw) VALUES(1, 'parse', 'wrong_shape', 'm', 'crm', 'p', "
                         "x'632c62')",
                         nullptr, nullptr, &err),
            SQLITE_OK)
      << (err ? err : "");
  sqlite3_close(db);
  auto store = open_store();
  ASSERT_TRUE(store);
  EXPECT_EQ(must(store->dead_letter_count()), 1u);
  ASSERT_TRUE(store->begin().ok());
  ASSERT_TRUE(store->add_dead_letter(bad_row("crm", "wrong_shape", "c,b")).ok());
  ASSERT_TRUE(store->add_dead_letter(bad_row("crm", "wrong_shape", "c,b")).ok());
  ASSERT_TRUE(store->commit().ok());
  EXPECT_EQ(must(store->dead_letter_count()), 2u);  // the old row had no key; one new
}

}  // namespace
}  // namespace halo::testing
