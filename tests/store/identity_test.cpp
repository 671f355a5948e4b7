// identity_test.cpp -- identifiers (upsert, repoint, find, scan), merges and
// conflicts.
#include <map>

#include "temp_store.h"

namespace halo::testing {
namespace {

class IdentityTest : public TempStoreTest {
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
  std::unique_ptr<Store> store_;
};

TEST_F(IdentityTest, PutFindAndUpsertMovesTheIdentifier) {
  ASSERT_TRUE(store_->put_identifier("email", "a@b.ir", 1).ok());
  ASSERT_TRUE(store_->put_identifier("phone", "+989121234567", 1).ok());
  ASSERT_TRUE(store_->put_identifier("email", "c@d.ir", 2).ok());
  EXPECT_EQ(must(store_->find_profile("email", "a@b.ir")), 1u);
  EXPECT_EQ(must(store_->find_profile("email", "c@d.ir")), 2u);
  EXPECT_EQ(must(store_->find_profile("phone", "a@b.ir")), std::nullopt);  // type matters
  EXPECT_EQ(must(store_->find_profile("email", "missing")), std::nullopt);

  ASSERT_TRUE(store_->put_identifier("email", "a@b.ir", 7).ok());
  EXPECT_EQ(must(store_->find_profile("email", "a@b.ir")), 7u);
  using Ids = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(must(store_->identifiers_of(1)), (Ids{{"phone", "+989121234567"}}));
  EXPECT_EQ(must(store_->identifiers_of(7)), (Ids{{"email", "a@b.ir"}}));
}

TEST_F(IdentityTest, IdentifiersOfIsSortedByTypeThenValue) {
  ASSERT_TRUE(store_->put_identifier("phone", "+98912", 3).ok());
  ASSERT_TRUE(store_->put_identifier("email", "z@x.ir", 3).ok());
  ASSERT_TRUE(store_->put_identifier("email", "a@x.ir", 3).ok());
  ASSERT_TRUE(store_->put_identifier("anonymous_id", "anon-1", 3).ok());
  using Ids = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(must(store_->identifiers_of(3)), (Ids{{"anonymous_id", "anon-1"},
                                                  {"email", "a@x.ir"},
                                                  {"email", "z@x.ir"},
                                                  {"phone", "+98912"}}));
  EXPECT_TRUE(must(store_->identifiers_of(99)).empty());
}

TEST_F(IdentityTest, RepointMovesAllIdentifiersOfOneProfile) {
  ASSERT_TRUE(store_->put_identifier("email", "a@b.ir", 1).ok());
  ASSERT_TRUE(store_->put_identifier("anonymous_id", "x", 1).ok());
  ASSERT_TRUE(store_->put_identifier("email", "other@b.ir", 2).ok());
  ASSERT_TRUE(store_->put_identifier("email", "third@b.ir", 3).ok());
  ASSERT_TRUE(store_->repoint_identifiers(1, 2).ok());
  EXPECT_TRUE(must(store_->identifiers_of(1)).empty());
  EXPECT_EQ(must(store_->identifiers_of(2)).size(), 3u);
  EXPECT_EQ(must(store_->find_profile("anonymous_id", "x")), 2u);
  EXPECT_EQ(must(store_->find_profile("email", "third@b.ir")), 3u);
}

TEST_F(IdentityTest, ScanVisitsEveryIdentifierWithItsProfile) {
  std::map<std::pair<std::string, std::string>, uint64_t> expected;
  for (uint64_t i = 1; i <= 50; ++i) {
    std::string value = "user" + std::to_string(i) + "@example.ir";
    ASSERT_TRUE(store_->put_identifier("email", value, i % 7 + 1).ok());
    expected[{"email", value}] = i % 7 + 1;
  }
  // Non-ASCII values (Persian) survive as bytes.
  ASSERT_TRUE(store_->put_identifier("name", "علی", 4).ok());
  expected[{"name", "علی"}] = 4;
  std::map<std::pair<std::string, std::string>, uint64_t> seen;
  ASSERT_TRUE(store_
                  ->scan_identifiers([&](std::string_view t, std::string_view v, uint64_t p) {
                    seen[{std::string(t), std::string(v)}] = p;
                  })
                  .ok());
  EXPECT_EQ(seen, expected);
}

TEST_F(IdentityTest, MergesAndConflictsAreCounted) {
  EXPECT_EQ(must(store_->merge_count()), 0u);
  EXPECT_EQ(must(store_->conflict_count()), 0u);
  ASSERT_TRUE(store_->add_merge(2, 1, 17).ok());
  ASSERT_TRUE(store_->add_merge(3, 1, 18).ok());
  ASSERT_TRUE(store_->add_conflict(19, "email", "a@b.ir", 1, "max_per_profile").ok());
  EXPECT_EQ(must(store_->merge_count()), 2u);
  EXPECT_EQ(must(store_->conflict_count()), 1u);
}

}  // namespace
}  // namespace halo::testing
