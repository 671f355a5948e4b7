// change_log_test.cpp -- the change log in the SQLite backend: a damaged
// kinds column is Corruption, clear_derived empties the log, consumer
// cursors and re-emit schedule for rebuilds. The contract every backend keeps
// (continuity of sequences, scans after a cursor, consumer positions, re-emit
// order) is tested in store_conformance_test.cpp.
#include <vector>

#include "temp_store.h"

namespace halo::testing {
namespace {

class ChangeLogTest : public TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    store_ = open_store();
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->begin().ok());
  }
  void TearDown() override {
    store_.reset();
    TempStoreTest::TearDown();
  }
  static ProfileChange change(uint64_t seq, uint64_t profile, uint32_t kinds, uint64_t into = 0) {
    return {seq, profile, kinds, into, 1000 + static_cast<int64_t>(seq)};
  }
  std::vector<ProfileChange> scan(uint64_t after, size_t limit) {
    std::vector<ProfileChange> out;
    EXPECT_TRUE(
        store_->scan_changes(after, limit, [&](const ProfileChange &c) { out.push_back(c); }).ok());
    return out;
  }
  std::vector<uint64_t> due(int64_t until) {
    std::vector<uint64_t> out;
    EXPECT_TRUE(store_->scan_due_reemits(until, [&](uint64_t id) { out.push_back(id); }).ok());
    return out;
  }
  std::unique_ptr<Store> store_;
};

TEST_F(ChangeLogTest, UnknownKindsInTheFileAreCorruptionNotSkipped) {
  ASSERT_TRUE(store_->append_changes({change(1, 1, kChangeTraits)}).ok());
  ASSERT_TRUE(store_->commit().ok());
  raw_exec("UPDATE changes SET kinds = 4096 WHERE sequence = 1");
  Status s = store_->scan_changes(0, 10, [](const ProfileChange &) {});
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.message();
  ASSERT_TRUE(store_->begin().ok());
}

// Changes go in by INSERT OR IGNORE, many rows a statement (no statement
// journal); a row a constraint leaves out all the same is an error that
// names it, never a change silently lost.
TEST_F(ChangeLogTest, ARowTheLogCouldNotTakeIsAnErrorNotALoss) {
  ASSERT_TRUE(store_->commit().ok());
  raw_exec("CREATE UNIQUE INDEX one_change_a_profile ON changes(profile_id)");
  ASSERT_TRUE(store_->begin().ok());
  std::vector<ProfileChange> first, second;
  for (uint64_t i = 1; i <= 130; ++i) first.push_back(change(i, i, kChangeTraits));
  ASSERT_TRUE(store_->append_changes(first).ok());
  // 145 rows: a statement of 128, one of 16 and one of 1; profile 3 (in
  // the first statement) is already in the log under the index.
  for (uint64_t i = 131; i <= 275; ++i)
    second.push_back(change(i, i == 140 ? 3 : i, kChangeTraits));
  Status s = store_->append_changes(second);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("wrote 127 of 128 rows"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("append_changes"), std::string::npos) << s.message();
}

TEST_F(ChangeLogTest, ClearDerivedEmptiesTheLogCursorsAndSchedule) {
  ASSERT_TRUE(store_->append_changes({change(1, 1, kChangeTraits)}).ok());
  ASSERT_TRUE(store_->set_consumer_position("features@1", 1).ok());
  ASSERT_TRUE(store_->schedule_reemit(1, 5).ok());
  ASSERT_TRUE(store_->set_cursor("events", "42").ok());
  ASSERT_TRUE(store_->clear_derived().ok());
  EXPECT_EQ(must(store_->last_change_sequence()), 0u);
  EXPECT_FALSE(must(store_->consumer_position("features@1")).has_value());
  EXPECT_TRUE(due(10).empty());
  EXPECT_EQ(must(store_->cursor("events")), std::optional<std::string>("42"));
}

}  // namespace
}  // namespace halo::testing
