// dead_letter_query_test.cpp -- the dead-letter queries and edits behind
// `halo deadletters` and `halo deadletters replay`: filters in SQL (each
// condition, combined, since, limit by id), stable ids, get by id, delete,
// and update in place keeping the id (also when the new content equals
// another dead letter's, which the unique index then replaces).
#include "temp_store.h"

namespace halo::testing {
namespace {

DeadLetter letter(std::string source, std::string stage, std::string reason, int64_t at_ms,
                  std::string raw) {
  DeadLetter d;
  d.stage = std::move(stage);
  d.reason = std::move(reason);
  d.message = "why";
  d.source = std::move(source);
  d.position = "pos";
  d.raw = std::move(raw);
  d.at_ms = at_ms;
  return d;
}

class DeadLetterQueryTest : public TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    store_ = open_store();
    ASSERT_TRUE(store_->begin().ok());
    for (const DeadLetter &d : {letter("web", "validate", "malformed_json", 1000, "a"),
                                letter("web", "resolve", "unassigned", 2000, "b"),
                                letter("shop", "validate", "malformed_json", 3000, "c"),
                                letter("shop", "feature", "not_numeric", 4000, "d")}) {
      ASSERT_TRUE(store_->add_dead_letter(d).ok());
    }
    ASSERT_TRUE(store_->commit().ok());
  }
  std::vector<DeadLetter> scan(const DeadLetterFilter &f) {
    std::vector<DeadLetter> out;
    EXPECT_TRUE(store_->scan_dead_letters(f, [&](const DeadLetter &d) { out.push_back(d); }).ok());
    return out;
  }
  std::vector<std::string> raws(const DeadLetterFilter &f) {
    std::vector<std::string> out;
    for (const DeadLetter &d : scan(f)) out.push_back(d.raw);
    return out;
  }
  std::unique_ptr<Store> store_;
};

using Raws = std::vector<std::string>;

// A filter; "" = any.
DeadLetterFilter by(std::string source, std::string stage = "", std::string reason = "",
                    std::optional<int64_t> since_ms = std::nullopt, uint64_t limit = 0) {
  DeadLetterFilter f;
  f.source = std::move(source);
  f.stage = std::move(stage);
  f.reason = std::move(reason);
  f.since_ms = since_ms;
  f.limit = limit;
  return f;
}

TEST_F(DeadLetterQueryTest, FiltersSelectInIdOrder) {
  EXPECT_EQ(raws(by("")), (Raws{"a", "b", "c", "d"}));
  EXPECT_EQ(raws(by("web")), (Raws{"a", "b"}));
  EXPECT_EQ(raws(by("", "", "malformed_json")), (Raws{"a", "c"}));
  EXPECT_EQ(raws(by("", "feature")), (Raws{"d"}));
  EXPECT_EQ(raws(by("shop", "", "malformed_json")), (Raws{"c"}));
  EXPECT_EQ(raws(by("shop", "resolve")), Raws{});
  EXPECT_EQ(raws(by("", "", "", 2000)), (Raws{"b", "c", "d"}));
  EXPECT_EQ(raws(by("", "", "", 4001)), Raws{});
  EXPECT_EQ(raws(by("", "", "", std::nullopt, 2)), (Raws{"a", "b"}));
  EXPECT_EQ(raws(by("shop", "", "", std::nullopt, 1)), (Raws{"c"}));
}

TEST_F(DeadLetterQueryTest, IdsAreSetAndGetFindsThem) {
  std::vector<DeadLetter> all = scan(by(""));
  ASSERT_EQ(all.size(), 4u);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_GT(all[i].id, all[i - 1].id);
  std::optional<DeadLetter> got = must(store_->get_dead_letter(all[2].id));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->raw, "c");
  EXPECT_EQ(got->id, all[2].id);
  EXPECT_FALSE(must(store_->get_dead_letter(all[3].id + 100)).has_value());
}

TEST_F(DeadLetterQueryTest, EditsNeedATransaction) {
  EXPECT_FALSE(store_->delete_dead_letter(scan(by(""))[0].id).ok());
  EXPECT_FALSE(store_->update_dead_letter(scan(by(""))[0]).ok());
  EXPECT_EQ(scan(by("")).size(), 4u);
}

TEST_F(DeadLetterQueryTest, DeleteAndUpdateInPlace) {
  std::vector<DeadLetter> all = scan(by(""));
  DeadLetter changed = all[0];
  changed.stage = "resolve";
  changed.reason = "unassigned";
  changed.raw = "a fixed";
  changed.at_ms = 9000;
  ASSERT_TRUE(store_->begin().ok());
  ASSERT_TRUE(store_->delete_dead_letter(all[1].id).ok());
  ASSERT_TRUE(store_->update_dead_letter(changed).ok());
  ASSERT_TRUE(store_->commit().ok());
  std::vector<DeadLetter> after = scan(by(""));
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[0].id, all[0].id);
  EXPECT_EQ(after[0].reason, "unassigned");
  EXPECT_EQ(after[0].raw, "a fixed");
  EXPECT_EQ(after[0].at_ms, 9000);
  EXPECT_EQ(after[0].position, "pos");  // where it came from does not change
  EXPECT_EQ(after[1].raw, "c");
  // The updated content is keyed: adding it again is a no-op.
  ASSERT_TRUE(store_->begin().ok());
  ASSERT_TRUE(store_->add_dead_letter(changed).ok());
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_EQ(scan(by("")).size(), 3u);
}

TEST_F(DeadLetterQueryTest, UpdateToAnotherDeadLettersContentKeepsOne) {
  std::vector<DeadLetter> all = scan(by("shop"));
  ASSERT_EQ(all.size(), 2u);
  DeadLetter same = all[1];  // becomes equal to all[0] in stage, reason, raw
  same.stage = all[0].stage;
  same.reason = all[0].reason;
  same.raw = all[0].raw;
  ASSERT_TRUE(store_->begin().ok());
  ASSERT_TRUE(store_->update_dead_letter(same).ok());
  ASSERT_TRUE(store_->commit().ok());
  std::vector<DeadLetter> after = scan(by("shop"));
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].id, all[1].id);
}

}  // namespace
}  // namespace halo::testing
