// store_test.cpp -- the SQLite backend's dead letters, clear_derived and
// persistence across reopen, and its write-back beside the caller's work.
// Transactions, metadata, cursors, rollback and
// snapshot readers are the interface's contract, tested for every backend
// in store_conformance_test.cpp.
#include <chrono>
#include <filesystem>
#include <thread>

#include "temp_store.h"

namespace halo::testing {
namespace {

class StoreTest : public TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    store_ = open_store();
    ASSERT_TRUE(store_);
  }
  void TearDown() override {
    store_.reset();
    TempStoreTest::TearDown();
  }
  void append(uint64_t first, size_t n) { append_batch(*store_, first, n); }
  void put_profile(uint64_t id, std::string traits) {
    put_test_profile(*store_, id, std::move(traits));
  }
  // Fills every table, committed.
  void fill_everything() {
    ASSERT_TRUE(store_->begin().ok());
    append(1, 10);
    ASSERT_TRUE(store_->set_cursor("shop", "page=3").ok());
    ASSERT_TRUE(store_->set_meta("next_profile_id", "3").ok());
    ASSERT_TRUE(store_->set_meta("format", "1").ok());
    ASSERT_TRUE(store_->put_identifier("email", "a@b.ir", 1, 0, 0).ok());
    ASSERT_TRUE(store_->add_merge(2, 1, 4).ok());
    ASSERT_TRUE(store_->add_conflict(5, "email", "a@b.ir", 1, "limit", 0).ok());
    put_profile(1, R"({"n":1})");
    ASSERT_TRUE(store_->put_features(1, R"({"f":2})").ok());
    ASSERT_TRUE(store_->put_feature_state("agg", 1, "st", 2).ok());
    DeadLetter d;
    d.stage = "parse";
    d.reason = "malformed_json";
    d.raw = "{bad";
    ASSERT_TRUE(store_->add_dead_letter(d).ok());
    ASSERT_TRUE(store_->commit().ok());
  }
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, DeadLettersKeepBinaryRawAndOrder) {
  const std::string raw("\xff\xfe\x00{\"bad\xc3\x28", 10);  // invalid UTF-8 and a NUL
  ASSERT_TRUE(store_->begin().ok());
  for (int i = 0; i < 3; ++i) {
    DeadLetter d;
    d.stage = i == 0 ? "parse" : "validate";
    d.reason = "malformed_json";
    d.message = "line " + std::to_string(i) + ": expected '}'";
    d.source = "shop";
    d.position = "orders.jsonl:" + std::to_string(i + 1);
    d.raw = i == 0 ? raw : "";
    d.at_ms = 1000 + i;
    ASSERT_TRUE(store_->add_dead_letter(d).ok());
  }
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_EQ(must(store_->dead_letter_count()), 3u);
  std::vector<DeadLetter> got;
  ASSERT_TRUE(store_->scan_dead_letters([&](const DeadLetter &d) { got.push_back(d); }).ok());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].raw, raw);
  EXPECT_EQ(got[0].stage, "parse");
  EXPECT_EQ(got[1].stage, "validate");
  EXPECT_EQ(got[1].raw, "");
  EXPECT_EQ(got[2].position, "orders.jsonl:3");
  EXPECT_EQ(got[2].message, "line 2: expected '}'");
  EXPECT_EQ(got[2].at_ms, 1002);
  EXPECT_EQ(got[2].source, "shop");
}

TEST_F(StoreTest, ClearDerivedKeepsEventsCursorsAndDeadLetters) {
  fill_everything();
  ASSERT_TRUE(store_->begin().ok());
  ASSERT_TRUE(store_->clear_derived().ok());
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_EQ(must(store_->event_count()), 10u);
  EXPECT_EQ(must(store_->cursor("shop")), "page=3");
  EXPECT_EQ(must(store_->dead_letter_count()), 1u);
  EXPECT_EQ(must(store_->get_meta("format")), "1");
  EXPECT_EQ(must(store_->get_meta("next_profile_id")), std::nullopt);
  EXPECT_EQ(must(store_->find_profile("email", "a@b.ir")), std::nullopt);
  EXPECT_EQ(must(store_->merge_count()), 0u);
  EXPECT_EQ(must(store_->conflict_count()), 0u);
  EXPECT_EQ(must(store_->profile_count()), 0u);
  int states = 0;
  ASSERT_TRUE(
      store_->scan_feature_state("agg", [&](uint64_t, const void *, size_t) { ++states; }).ok());
  EXPECT_EQ(states, 0);
  // Features are gone too: a rebuilt profile 1 starts from "{}".
  ASSERT_TRUE(store_->begin().ok());
  put_profile(1, "{}");
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_EQ(must(store_->get_profile(1))->features, StoredProfile{}.features);  // no features row
  EXPECT_EQ(store_->clear_derived().code(), StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, ReopenPersistsEverything) {
  fill_everything();
  store_.reset();
  store_ = open_store();
  ASSERT_TRUE(store_);
  EXPECT_EQ(must(store_->last_sequence()), 10u);
  EXPECT_EQ(must(store_->event_count()), 10u);
  EXPECT_EQ(must(store_->cursor("shop")), "page=3");
  EXPECT_EQ(must(store_->get_meta("next_profile_id")), "3");
  EXPECT_EQ(must(store_->find_profile("email", "a@b.ir")), 1u);
  EXPECT_EQ(must(store_->merge_count()), 1u);
  EXPECT_EQ(must(store_->conflict_count()), 1u);
  auto p = must(store_->get_profile(1));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->traits, R"({"n":1})");
  EXPECT_EQ(p->features, R"({"f":2})");
  std::string state;
  ASSERT_TRUE(store_
                  ->scan_feature_state("agg",
                                       [&](uint64_t, const void *d, size_t n) {
                                         state.assign(static_cast<const char *>(d), n);
                                       })
                  .ok());
  EXPECT_EQ(state, "st");
  EXPECT_EQ(must(store_->dead_letter_count()), 1u);
  // The log continues after reopen.
  ASSERT_TRUE(store_->begin().ok());
  append(11, 1);
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_EQ(must(store_->last_sequence()), 11u);
}

TEST_F(StoreTest, WriteBackMovesTheCommittedLogIntoTheFileWhileTheStoreWorks) {
  fill_everything();
  ASSERT_TRUE(store_->begin().ok());
  for (uint64_t id = 10; id < 3000; ++id) put_profile(id, R"({"name":"someone with a long name"})");
  ASSERT_TRUE(store_->set_meta("next_profile_id", "3001").ok());
  ASSERT_TRUE(store_->commit().ok());
  // Committed pages sit in the WAL until a checkpoint copies them into the
  // file: the file does not grow by itself (the automatic checkpoint is far).
  const auto before = std::filesystem::file_size(path_);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(std::filesystem::file_size(path_), before);
  store_->start_write_back();
  store_->start_write_back();  // one runs at a time: a no-op
  auto grown = [&] { return std::filesystem::file_size(path_) > before; };
  for (int i = 0; i < 500 && !grown(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(grown());
  // The store goes on reading and writing, and a write-back started just
  // before it closes is waited for.
  EXPECT_EQ(must(store_->get_profile(2999))->traits, R"({"name":"someone with a long name"})");
  ASSERT_TRUE(store_->begin().ok());
  put_profile(3000, R"({"n":3})");
  ASSERT_TRUE(store_->commit().ok());
  store_->start_write_back();
  store_.reset();
  store_ = open_store();
  ASSERT_TRUE(store_);
  EXPECT_EQ(must(store_->get_profile(3000))->traits, R"({"n":3})");
  EXPECT_EQ(must(store_->profile_count()), 2992u);  // 1, 10..2999, 3000
}

}  // namespace
}  // namespace halo::testing
