// twilio_e2e_test.cpp -- the real `halo` binary delivers outbox SMS to the
// Twilio contract server (tests/contract/twilio_server.py): through 500s
// and a 429 every intended number gets one SMS with its segment count and
// a status callback naming the outbox message; a recipient who replied
// STOP (21610) is suppressed with Twilio's code; a wrong Auth Token stops the
// destination without losing a message and never appears in a stored
// attempt.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>

#include "contract_process.h"
#include "e2e_support.h"

namespace halo::e2e {
namespace {

using contract::ContractProcess;

const char *kSid = "AC0123456789abcdef";
const char *kToken = "tok_5f4dcc3b5aa765d6";

// n customers with a UK mobile who start a checkout; customer 0 replied
// STOP to the shop's number at Twilio.
std::string customers(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    const std::string u = "u" + std::to_string(i);
    char phone[32];
    std::snprintf(phone, sizeof phone, "+4477009%05d", i);
    const std::string traits = R"("first_name":"Sam","phone":")" + std::string(phone) + "\"";
    out += R"({"type":"identify","userId":")" + u + R"(","messageId":"i-)" + u +
           R"(","timestamp":"2026-01-05T09:00:00Z","traits":{)" + traits + "}}\n";
    out += R"({"type":"track","event":"Checkout Started","userId":")" + u + R"(","messageId":"c-)" +
           u + R"(","timestamp":"2026-01-05T10:00:00Z"})" + "\n";
  }
  return out;
}

class TwilioE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start(source_dir() + "/tests/contract/twilio_server.py",
                  {"--account-sid", kSid, "--auth-token", kToken, "--numbers", "+15550002222",
                   "--opted-out", "+447700900000", "--log", dir_ / "sent.jsonl"});
  }

  std::string pipeline(const std::string &token) {
    const std::string path = dir_ / "pipeline.yaml";
    write_file(path, R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: "2026-01-05T12:00:00Z" }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: phone, priority: 2, max_per_profile: 3, default_region: GB, paths: [traits.phone] }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
destinations:
  - name: sms
    plugin: twilio
    retry: { max_attempts: 6, backoff: 0s }
    config:
      account_sid: )" + std::string(kSid) +
                         R"(
      auth_token: ")" + token +
                         R"("
      from: "+15550002222"
      status_callback: "https://cdp.example/twilio/status"
      base_url: ")" + server_.base_url() +
                         R"("
triggers:
  - name: cart
    on: { event: Checkout Started }
    wait: 1h
    send: { channel: sms, destination: sms, template: cart, variables: { first_name: traits.first_name } }
templates:
  - name: cart
    text: "{{first_name}}, your cart is still waiting for you. Finish your order today and get 20% off with code CART20 at https://shop.example/cart - reply STOP to opt out of these messages."
)");
    return path;
  }

  TempDir dir_;
  ContractProcess server_;
};

TEST_F(TwilioE2E, EveryNumberGetsOneSmsThroughFaults) {
  constexpr int kCustomers = 20;
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  const std::string p = pipeline(kToken);
  server_.inject(R"([{"kind":"500","count":2},{"kind":"429","count":1,"retry_after":0}])");
  run_until_delivered(p, 5);
  EXPECT_EQ(server_.stat("faults_pending"), 0);

  std::map<std::string, int> got;
  simdjson::dom::parser parser;
  for (const std::string &line : read_lines(dir_ / "sent.jsonl")) {
    simdjson::dom::element e = parser.parse(line);
    ++got[std::string(std::string_view(e["to"]))];
    const std::string_view callback = e["status_callback"];
    EXPECT_TRUE(callback.starts_with("https://cdp.example/twilio/status?m=")) << callback;
  }
  EXPECT_EQ(got.size(), static_cast<size_t>(kCustomers - 1));  // all but the STOP one
  for (const auto &[to, n] : got) EXPECT_EQ(n, 1) << to;

  size_t sent = 0, stopped = 0;
  for (const auto &[key, s] : message_statuses(p, true)) {
    if (s.starts_with("sent|")) {
      ++sent;
      EXPECT_NE(s.find("; 2 segments\"}]"), std::string::npos) << s;  // 161+ GSM-7 characters
    }
    if (s.starts_with("suppressed|opted out at the receiver: Twilio 21610")) ++stopped;
    EXPECT_EQ(s.find(kToken), std::string::npos) << s;
  }
  EXPECT_EQ(sent, static_cast<size_t>(kCustomers - 1));
  EXPECT_EQ(stopped, 1u);
}

TEST_F(TwilioE2E, AWrongTokenStopsTheDestinationAndLosesNothing) {
  constexpr int kCustomers = 4;
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  RunOutcome wrong = run_pipeline(pipeline("wrong-token-123"));
  ASSERT_EQ(wrong.exit_code, 0) << wrong.err;
  EXPECT_EQ(summary_count(wrong.summary, "messages_sent"), 0);
  EXPECT_EQ(summary_count(wrong.summary, "messages_dead"), 0);
  EXPECT_NE(wrong.err.find("Twilio 20003"), std::string::npos) << wrong.err;
  EXPECT_EQ(server_.stat("requests"), 1);  // stopped after the first refusal

  RunOutcome right = run_pipeline(pipeline(kToken));
  ASSERT_EQ(right.exit_code, 0) << right.err;
  EXPECT_EQ(summary_count(right.summary, "messages_sent"), kCustomers - 1);
}

}  // namespace
}  // namespace halo::e2e
