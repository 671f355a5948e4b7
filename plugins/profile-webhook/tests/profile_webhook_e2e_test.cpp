// profile_webhook_e2e_test.cpp -- the real `halo` binary delivers profiles
// to a Standard Webhooks receiver (tests/contract/webhook_server.py) that
// checks every signature: the first run sends every profile in batches and
// closes the delivery; the next run sends only the changed profiles and
// the one a merge removed; a run with nothing new sends nothing; a receiver
// failing a request fails the delivery, and the next run delivers again.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <string>

#include "contract_process.h"
#include "e2e_support.h"

namespace halo::e2e {
namespace {

using contract::ContractProcess;

const char *kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

struct Request {
  std::string id, type, mode, delivery;
  std::set<std::string> users;        // user_ids of the profiles it carries
  std::set<std::string> removed;      // profile ids it removes
  int64_t profiles = -1, count = -1;  // delivery.completed: its counts
};

class ProfileWebhookE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start(source_dir() + "/tests/contract/webhook_server.py",
                  {"--secret", kSecret, "--log", dir_ / "received.jsonl"});
    pipeline_ = shop_pipeline(
        dir_, "  - name: crm\n    plugin: profile-webhook\n    config: { url: \"" +
                  server_.base_url() + "/hooks\", secret: \"" + kSecret + "\", batch_size: 4 }\n");
  }

  // The requests received since the last call, in order.
  std::vector<Request> received() {
    std::vector<Request> out;
    simdjson::dom::parser parser;
    const std::vector<std::string> lines = read_lines(dir_ / "received.jsonl");
    for (size_t i = seen_; i < lines.size(); ++i) {
      simdjson::dom::element line = parser.parse(lines[i]);
      EXPECT_FALSE(bool(line["duplicate"]));
      simdjson::dom::element body = line["body"];
      Request r;
      r.id = std::string(std::string_view(line["id"]));
      r.type = std::string(std::string_view(body["type"]));
      r.mode = std::string(std::string_view(body["mode"]));
      r.delivery = std::string(std::string_view(body["delivery"]));
      simdjson::dom::array profiles;
      if (!body["profiles"].get_array().get(profiles)) {
        for (simdjson::dom::element p : profiles) {
          simdjson::dom::array users;
          if (p["identifiers"]["user_id"].get_array().get(users)) continue;
          for (simdjson::dom::element u : users) r.users.insert(std::string(std::string_view(u)));
        }
      }
      simdjson::dom::array removed;
      if (!body["profile_ids"].get_array().get(removed)) {
        for (simdjson::dom::element id : removed) {
          r.removed.insert(std::string(std::string_view(id)));
        }
      }
      int64_t n = 0;
      if (!body["profiles"].get_int64().get(n)) r.profiles = n;
      if (!body["removed"].get_int64().get(n)) r.count = n;
      out.push_back(std::move(r));
    }
    seen_ = lines.size();
    return out;
  }

  std::string pipeline() const { return pipeline_; }

  TempDir dir_;
  ContractProcess server_;
  std::string pipeline_;
  size_t seen_ = 0;
};

TEST_F(ProfileWebhookE2E, FullThenChangesThenNothing) {
  write_file(dir_ / "events.jsonl", shop_events(10));  // c0..c9 and an anonymous visitor
  RunOutcome r = run_pipeline(pipeline());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<Request> first = received();
  ASSERT_EQ(first.size(), 4u);  // 11 profiles by 4, then the close
  std::set<std::string> users;
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(first[i].type, "profiles");
    EXPECT_EQ(first[i].mode, "full");
    EXPECT_EQ(first[i].id, first[0].delivery + ":" + std::to_string(i + 1));
    users.insert(first[i].users.begin(), first[i].users.end());
  }
  EXPECT_EQ(users.size(), 10u);
  EXPECT_EQ(first[3].type, "delivery.completed");
  EXPECT_EQ(first[3].profiles, 11);
  EXPECT_EQ(first[3].count, 0);

  // c3 orders again; c5 signs in on the visitor's device: the two merge.
  write_file(dir_ / "events.jsonl", shop_events(10) + shop_changes());
  r = run_pipeline(pipeline());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<Request> second = received();
  ASSERT_GE(second.size(), 3u);
  EXPECT_NE(second.front().delivery, first.front().delivery);
  std::set<std::string> changed, removed;
  for (const Request &q : second) {
    EXPECT_EQ(q.mode, "changes");
    changed.insert(q.users.begin(), q.users.end());
    removed.insert(q.removed.begin(), q.removed.end());
  }
  EXPECT_EQ(changed, (std::set<std::string>{"c3", "c5"}));
  EXPECT_EQ(removed.size(), 1u);
  EXPECT_EQ(second.back().type, "delivery.completed");
  EXPECT_EQ(second.back().profiles, 2);
  EXPECT_EQ(second.back().count, 1);

  r = run_pipeline(pipeline());  // nothing new
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(received().empty());
}

TEST_F(ProfileWebhookE2E, AFailedRequestFailsTheDeliveryAndTheNextRunDeliversAgain) {
  write_file(dir_ / "events.jsonl", shop_events(6));
  server_.inject(R"({"kind":"400","count":1})");  // the host retries 5xx itself
  RunOutcome r = run_pipeline(pipeline());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("HTTP 400"), std::string::npos) << r.err;
  EXPECT_TRUE(received().empty());  // the failed request was not taken

  r = run_pipeline(pipeline());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<Request> again = received();
  ASSERT_EQ(again.size(), 3u);  // 7 profiles by 4, then the close
  EXPECT_EQ(again.back().type, "delivery.completed");
  EXPECT_EQ(again.back().profiles, 7);
  EXPECT_EQ(again.front().mode, "full");
}

}  // namespace
}  // namespace halo::e2e
