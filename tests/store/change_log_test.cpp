// change_log_test.cpp -- the change log, consumer cursors and the re-emit
// schedule: continuity of sequences, scans after a cursor, cursors that
// survive a reopen, rollback with the batch, clear_derived for rebuilds.
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

TEST_F(ChangeLogTest, EntriesContinueTheLogAndScanAfterACursor) {
  EXPECT_EQ(must(store_->last_change_sequence()), 0u);
  ASSERT_TRUE(store_
                  ->append_changes({change(1, 7, kChangeCreated | kChangeTraits),
                                    change(2, 8, kChangeMerged, 7)})
                  .ok());
  ASSERT_TRUE(store_->append_changes({change(3, 7, kChangeFeatures)}).ok());
  EXPECT_EQ(must(store_->last_change_sequence()), 3u);
  std::vector<ProfileChange> all = scan(0, 100);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].profile_id, 7u);
  EXPECT_EQ(all[0].kinds, kChangeCreated | kChangeTraits);
  EXPECT_EQ(all[1].merged_into, 7u);
  EXPECT_EQ(all[1].at_ms, 1002);
  std::vector<ProfileChange> after = scan(1, 1);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].sequence, 2u);
}

TEST_F(ChangeLogTest, AGapOrARepeatedSequenceIsRefusedWholly) {
  ASSERT_TRUE(store_->append_changes({change(1, 1, kChangeTraits)}).ok());
  Status gap = store_->append_changes({change(3, 1, kChangeTraits)});
  EXPECT_FALSE(gap.ok());
  EXPECT_NE(gap.message().find("does not continue"), std::string::npos) << gap.message();
  EXPECT_FALSE(store_->append_changes({change(1, 1, kChangeTraits)}).ok());
  EXPECT_EQ(must(store_->last_change_sequence()), 1u);
}

TEST_F(ChangeLogTest, UnknownKindsInTheFileAreCorruptionNotSkipped) {
  ASSERT_TRUE(store_->append_changes({change(1, 1, kChangeTraits)}).ok());
  ASSERT_TRUE(store_->commit().ok());
  raw_exec("UPDATE changes SET kinds = 4096 WHERE sequence = 1");
  Status s = store_->scan_changes(0, 10, [](const ProfileChange &) {});
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.message();
  ASSERT_TRUE(store_->begin().ok());
}

TEST_F(ChangeLogTest, ConsumerCursorsCommitWithTheTransactionAndSurviveReopen) {
  EXPECT_FALSE(must(store_->consumer_position("features@1")).has_value());
  ASSERT_TRUE(store_->set_consumer_position("features@1", 5).ok());
  ASSERT_TRUE(store_->commit().ok());
  ASSERT_TRUE(store_->begin().ok());
  ASSERT_TRUE(store_->set_consumer_position("features@1", 9).ok());
  ASSERT_TRUE(store_->rollback().ok());
  store_.reset();
  store_ = open_store();
  ASSERT_TRUE(store_);
  EXPECT_EQ(must(store_->consumer_position("features@1")), std::optional<uint64_t>(5));
  EXPECT_FALSE(must(store_->consumer_position("destination:x@1")).has_value());
  ASSERT_TRUE(store_->begin().ok());
}

TEST_F(ChangeLogTest, ReemitsAreDueByTimeOneEntryPerProfile) {
  ASSERT_TRUE(store_->schedule_reemit(3, 500).ok());
  ASSERT_TRUE(store_->schedule_reemit(1, 900).ok());
  ASSERT_TRUE(store_->schedule_reemit(2, 100).ok());
  ASSERT_TRUE(store_->schedule_reemit(1, 200).ok());  // replaces 900
  EXPECT_EQ(due(99), std::vector<uint64_t>{});
  EXPECT_EQ(due(200), (std::vector<uint64_t>{2, 1}));
  EXPECT_EQ(due(1000), (std::vector<uint64_t>{2, 1, 3}));
  ASSERT_TRUE(store_->cancel_reemit(2).ok());
  StoredProfile p;
  p.id = 3;
  ASSERT_TRUE(store_->put_profile(p).ok());
  ASSERT_TRUE(store_->delete_profile(3).ok());  // a merged-away profile
  EXPECT_EQ(due(1000), std::vector<uint64_t>{1});
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
