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
