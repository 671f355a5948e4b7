// consent_ledger_test.cpp -- the consent ledger and the outbox recipient in
// a real SQLite store (store.h): the latest record decides, by time then
// order; scans filter by channel and address; records survive
// clear_derived (a rebuild); a store opened beside the writer writes while
// the writer holds the lock.
#include <gtest/gtest.h>

#include <filesystem>

#include "temp_store.h"

namespace halo {
namespace {

class ConsentLedgerTest : public testing::TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    store_ = open_store();
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    TempStoreTest::TearDown();
  }
  void add(const ConsentRecord &r) {
    ASSERT_TRUE(store_->begin().ok());
    ASSERT_TRUE(store_->add_consent(r).ok());
    ASSERT_TRUE(store_->commit().ok());
  }
  static ConsentRecord record(std::string channel, std::string address, bool in, int64_t at,
                              std::string reason = "operator") {
    ConsentRecord r;
    r.channel = std::move(channel);
    r.address = std::move(address);
    r.opted_in = in;
    r.reason = std::move(reason);
    r.source = "test";
    r.proof = "note";
    r.at_ms = at;
    return r;
  }
  std::unique_ptr<Store> store_;
};

TEST_F(ConsentLedgerTest, TheLatestRecordDecidesByTimeThenOrder) {
  EXPECT_FALSE(store_->latest_consent("email", "sara@example.com")->has_value());
  add(record("email", "sara@example.com", false, 2000, "unsubscribe_link"));
  add(record("email", "sara@example.com", true, 1000));  // older, recorded later
  auto latest = store_->latest_consent("email", "sara@example.com");
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_FALSE((*latest)->opted_in);
  EXPECT_EQ((*latest)->reason, "unsubscribe_link");
  EXPECT_EQ((*latest)->at_ms, 2000);
  add(record("email", "sara@example.com", true, 2000));  // same time: the later record
  EXPECT_TRUE((*store_->latest_consent("email", "sara@example.com"))->opted_in);
  // Another channel and another address are untouched.
  EXPECT_FALSE(store_->latest_consent("sms", "sara@example.com")->has_value());
  EXPECT_FALSE(store_->latest_consent("email", "sam@example.com")->has_value());
}

TEST_F(ConsentLedgerTest, ScansFilterAndKeepTheOrderOfTime) {
  add(record("email", "a@example.com", false, 30));
  add(record("sms", "+989121234567", false, 10, "opted_out_at_receiver"));
  add(record("email", "a@example.com", true, 20));
  add(record("sms", "a@example.com", false, 40));
  std::vector<int64_t> times;
  auto collect = [&](const ConsentRecord &r) { times.push_back(r.at_ms); };
  ASSERT_TRUE(store_->scan_consent("", "", collect).ok());
  EXPECT_EQ(times, (std::vector<int64_t>{10, 20, 30, 40}));
  times.clear();
  ASSERT_TRUE(store_->scan_consent("", "a@example.com", collect).ok());
  EXPECT_EQ(times, (std::vector<int64_t>{20, 30, 40}));
  times.clear();
  ASSERT_TRUE(store_->scan_consent("sms", "", collect).ok());
  EXPECT_EQ(times, (std::vector<int64_t>{10, 40}));
  std::vector<ConsentRecord> all;
  ASSERT_TRUE(
      store_
          ->scan_consent("sms", "+989121234567", [&](const ConsentRecord &r) { all.push_back(r); })
          .ok());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].reason, "opted_out_at_receiver");
  EXPECT_EQ(all[0].source, "test");
  EXPECT_EQ(all[0].proof, "note");
  EXPECT_GT(all[0].id, 0u);
}

TEST_F(ConsentLedgerTest, ARebuildKeepsTheLedgerAndMessagesKeepTheirRecipient) {
  add(record("email", "a@example.com", false, 30));
  OutboxMessage m;
  m.idempotency_key = "t:1:1";
  m.trigger = "t";
  m.profile_id = 1;
  m.channel = "email";
  m.destination = "mail";
  m.template_name = "x";
  m.variables = "{}";
  m.status = "pending";
  ASSERT_TRUE(store_->begin().ok());
  ASSERT_TRUE(store_->add_message(m).ok());
  ASSERT_TRUE(store_->commit().ok());
  auto stored = store_->message_by_id(1);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->recipient, "");
  OutboxMessage sent = **stored;
  sent.status = "sent";
  sent.recipient = "a@example.com";
  ASSERT_TRUE(store_->begin().ok());
  ASSERT_TRUE(store_->update_delivery(sent).ok());
  ASSERT_TRUE(store_->clear_derived().ok());
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_EQ((*store_->message_by_id(1))->recipient, "a@example.com");
  EXPECT_FALSE(store_->message_by_id(2)->has_value());
  EXPECT_TRUE(store_->latest_consent("email", "a@example.com")->has_value());
}

TEST_F(ConsentLedgerTest, AStoreBesideTheWriterWritesWhileTheLockIsHeld) {
  const std::string path = path_;
  // A second writer of its own is refused: the lock is held.
  EXPECT_FALSE(halo::open_store("sqlite", path).ok());
  auto beside =
      halo::open_store("sqlite", path, {.beside_writer = true, .check_invariants = false});
  ASSERT_TRUE(beside.ok()) << beside.status().message();
  ASSERT_TRUE(beside.value()->begin().ok());
  ASSERT_TRUE(beside.value()->add_consent(record("email", "b@example.com", false, 5)).ok());
  ASSERT_TRUE(beside.value()->commit().ok());
  EXPECT_TRUE(store_->latest_consent("email", "b@example.com")->has_value());
  // Beside a store that does not exist there is nothing to write to.
  EXPECT_EQ(halo::open_store("sqlite", (dir_ / "none.db").string(), {.beside_writer = true})
                .status()
                .code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace halo
