// unsubscribe_desk_test.cpp -- the unsubscribe route's answers
// (consent/unsubscribe_desk.h) against a real SQLite store beside a
// writer: a GET only asks, a POST records one opt-out, wrong and unknown
// links get the same 403, and a busy store is a 503 that records nothing.
#include <gtest/gtest.h>

#include "consent/unsubscribe_desk.h"
#include "consent/unsubscribe_link.h"
#include "outbox_store.h"

namespace halo::consent {
namespace {

const UnsubscribeConfig kUnsubscribeConfig{"https://shop.example/u", "/u",
                                           "0123456789abcdef-secret"};

class UnsubscribeDeskTest : public testing::OutboxStoreTest {
 protected:
  void SetUp() override {
    OutboxStoreTest::SetUp();
    add_message("cart:1:1", "sara@example.com");  // id 1
    add_message("cart:2:1", "");                  // id 2: not handed over yet
    desk_ = std::make_unique<UnsubscribeDesk>(kUnsubscribeConfig, beside_writer());
  }
  void TearDown() override {
    desk_.reset();
    OutboxStoreTest::TearDown();
  }
  ServerResponse request(const std::string &method, uint64_t id, const std::string &channel,
                         const std::string &address, std::string body = "") {
    const std::string link = unsubscribe_link(kUnsubscribeConfig, id, channel, address);
    ServerRequest r;
    r.method = method;
    r.path = "/u";
    r.query = link.substr(link.find('?') + 1);
    r.body = std::move(body);
    return desk_->handle(r);
  }
  std::unique_ptr<UnsubscribeDesk> desk_;
};

TEST_F(UnsubscribeDeskTest, AGetAsksAndRecordsNothing) {
  const ServerResponse page = request("GET", 1, "email", "sara@example.com");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("s***@example.com"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("sara@"), std::string::npos) << "the page shows the whole address";
  EXPECT_NE(page.body.find("<form method=\"post\" action=\"/u?m=1&amp;t="), std::string::npos)
      << page.body;
  EXPECT_TRUE(records().empty());
}

TEST_F(UnsubscribeDeskTest, APostRecordsOneOptOutOfTheMessagesAddress) {
  const ServerResponse done =
      request("POST", 1, "email", "sara@example.com", "List-Unsubscribe=One-Click");
  EXPECT_EQ(done.status, 200) << done.body;
  std::vector<ConsentRecord> r = records();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].channel, "email");
  EXPECT_EQ(r[0].address, "sara@example.com");
  EXPECT_FALSE(r[0].opted_in);
  EXPECT_EQ(r[0].reason, "unsubscribe_link");
  EXPECT_EQ(r[0].source, "halo serve (one-click unsubscribe)");
  EXPECT_EQ(r[0].proof, "message 1 (cart:1:1)");
  // Again, from the page's button: nothing new.
  EXPECT_EQ(request("POST", 1, "email", "sara@example.com").status, 200);
  EXPECT_EQ(records().size(), 1u);
}

TEST_F(UnsubscribeDeskTest, WrongAndUnknownLinksGetTheSame403) {
  const ServerResponse wrong_address = request("POST", 1, "email", "sam@example.com");
  const ServerResponse unknown = request("POST", 99, "email", "sara@example.com");
  const ServerResponse not_sent = request("POST", 2, "email", "");
  EXPECT_EQ(wrong_address.status, 403);
  EXPECT_EQ(unknown.status, 403);
  EXPECT_EQ(not_sent.status, 403);
  EXPECT_EQ(wrong_address.body, unknown.body);
  ServerRequest garbage;
  garbage.method = "POST";
  garbage.path = "/u";
  garbage.query = "m=1";
  EXPECT_EQ(desk_->handle(garbage).status, 403);
  EXPECT_TRUE(records().empty());
}

TEST_F(UnsubscribeDeskTest, ABusyStoreIsA503ThatRecordsNothing) {
  ASSERT_TRUE(writer_->begin().ok());  // holds SQLite's write lock
  const ServerResponse busy = request("POST", 1, "email", "sara@example.com");
  ASSERT_TRUE(writer_->commit().ok());
  EXPECT_EQ(busy.status, 503);
  bool retry_after = false;
  for (const auto &[name, value] : busy.headers) retry_after |= name == "Retry-After";
  EXPECT_TRUE(retry_after);
  EXPECT_TRUE(records().empty());
  EXPECT_EQ(request("POST", 1, "email", "sara@example.com").status, 200);  // later it works
  EXPECT_EQ(records().size(), 1u);
}

TEST(MaskedAddress, ShowsEnoughForItsOwner) {
  EXPECT_EQ(masked_address("email", "sara@example.com"), "s***@example.com");
  EXPECT_EQ(masked_address("email", "s@example.com"), "s@example.com");
  EXPECT_EQ(masked_address("sms", "+989121234567"), "+98*******567");
  EXPECT_EQ(masked_address("email", "no-at-sign"), "**********");
}

}  // namespace
}  // namespace halo::consent
