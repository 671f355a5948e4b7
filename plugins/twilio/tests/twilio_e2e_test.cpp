// twilio_e2e_test.cpp -- the real `halo` binary delivers outbox SMS to the
// Twilio contract server (tests/contract/twilio_server.py): through 500s
// and a 429 every intended number gets one SMS with its segment count and
// a status callback naming the outbox message; a recipient who replied
// STOP (21610) is suppressed with Twilio's code; a wrong Auth Token stops the
// destination without losing a message and never appears in a stored
// attempt. On `halo serve`, Twilio's signed status callbacks become each
// message's delivery report (a 30005 a bounce in the consent ledger) and
// STOP / لغو replies become opt-outs; forged ones change nothing.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "contract_process.h"
#include "e2e_support.h"
#include "loopback_port.h"

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
    out += checkout_customer(u, traits);
  }
  return out;
}

class TwilioE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start(source_dir() + "/tests/contract/twilio_server.py",
                  {"--account-sid", kSid, "--auth-token", kToken, "--numbers", "+15550002222",
                   "--opted-out", "+447700900000", "--undeliverable", "+447700900001",
                   "--unknown-handsets", "+447700900002", "--log", dir_ / "sent.jsonl"});
  }

  // An incoming SMS from `from` posted to halo's inbound URL by the
  // contract server; its JSON answer {"status", "body"}.
  // kJson: the fields as a JSON body (bodySHA256 in the URL); kTampered:
  // a JSON body other than the one hashed.
  enum class Wire { kForm, kJson, kTampered };
  std::string reply(const std::string &url, const std::string &from, const std::string &body,
                    bool forge = false, Wire wire = Wire::kForm) {
    auto flag = [](bool on) { return on ? "true" : "false"; };
    return server_.control("POST", "/__control/reply",
                           R"({"url":")" + url + R"(","from":")" + from +
                               R"(","to":"+15550002222","body":")" + body + R"(","forge":)" +
                               flag(forge) + R"(,"json":)" + flag(wire != Wire::kForm) +
                               R"(,"tamper":)" + flag(wire == Wire::kTampered) + "}");
  }

  // `receiver`: the base URL halo serve answers Twilio's webhooks on; ""
  // for the default test's public-looking callback URL.
  std::string pipeline(const std::string &token, const std::string &receiver = "") {
    const std::string path = dir_ / "pipeline.yaml";
    const std::string status_url =
        receiver.empty() ? "https://cdp.example/twilio/status" : receiver + "/twilio/status";
    // Without a receiver, the contract server's own address, taken: `halo
    // run` only checks a destination's routes (it must not listen, or the
    // destination could not start); `halo serve` listens on the receiver.
    const std::string listen =
        (receiver.empty() ? server_.base_url() : receiver).substr(std::string("http://").size());
    const std::string inbound =
        receiver.empty() ? "" : "\n      inbound_url: \"" + receiver + "/twilio/inbound\"";
    write_file(path, R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: "2026-01-05T12:00:00Z" }
http: { listen: ")" + listen +
                         R"(" }
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
      status_callback: ")" +
                         status_url + "\"" + inbound + R"(
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

TEST_F(TwilioE2E, StatusCallbacksAndRepliesOnServeReachTheOutboxAndTheLedger) {
  write_file(dir_ / "events.jsonl", customers(6));
  const std::string receiver = "http://127.0.0.1:" + std::to_string(test::unused_loopback_port());
  const std::string p = pipeline(kToken, receiver);
  run_until_delivered(p, 3);

  ServeProcess serve(p, dir_ / "serve.err");
  const std::string inbound = receiver + "/twilio/inbound";
  // A reply that is no keyword, until serve answers (it is starting).
  std::string hello;
  for (int i = 0; i < 200 && hello.find(R"("status": 200)") == std::string::npos; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    hello = reply(inbound, "+447700900005", "hello, is my order on its way?");
  }
  ASSERT_NE(hello.find("<Response></Response>"), std::string::npos)
      << hello << read_file(dir_ / "serve.err");
  // Two more customers while serve runs, one delivery each: the second
  // goes out through a destination instance made afresh, which adds its
  // routes again on the same address.
  for (size_t customers_now : {7u, 8u}) {
    write_file(dir_ / "events.jsonl", customers(static_cast<int>(customers_now)));
    for (int i = 0; i < 300 && read_lines(dir_ / "sent.jsonl").size() < customers_now - 1; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_EQ(read_lines(dir_ / "sent.jsonl").size(), customers_now - 1)
        << read_file(dir_ / "serve.err");
  }
  // Customers 1..7 were sent a message; each gets "sent", then its final status.
  const std::string callbacks = server_.control("POST", "/__control/send-callbacks");
  EXPECT_EQ(std::count(callbacks.begin(), callbacks.end(), '['), 1 + 7) << callbacks;
  for (size_t at = 0; (at = callbacks.find(R"("answers": )", at)) != std::string::npos; ++at) {
    EXPECT_EQ(callbacks.substr(at + 11, 10), "[200, 200]") << callbacks;
  }
  EXPECT_NE(reply(inbound, "+447700900003", " stop ").find(R"("status": 200)"), std::string::npos);
  EXPECT_NE(reply(inbound, "+447700900004", "STOP", /*forge=*/true).find(R"("status": 403)"),
            std::string::npos);
  EXPECT_NE(reply(inbound, "+447700900005", "لغو").find(R"("status": 200)"), std::string::npos);
  // JSON-bodied webhooks: signed by the URL with the body's hash in it.
  EXPECT_NE(reply(inbound, "+447700900006", "STOP", false, Wire::kJson).find(R"("status": 200)"),
            std::string::npos);
  EXPECT_NE(
      reply(inbound, "+447700900007", "hello", false, Wire::kTampered).find(R"("status": 403)"),
      std::string::npos);
  EXPECT_EQ(serve.stop(), 0) << read_file(dir_ / "serve.err");

  std::map<std::string, std::string> receipts = message_receipts(p);
  ASSERT_EQ(receipts.size(), 8u);
  EXPECT_EQ(receipts["+447700900000"], "suppressed");  // STOP at Twilio before (21610)
  EXPECT_TRUE(receipts["+447700900001"].starts_with("undelivered: SM"))
      << receipts["+447700900001"];
  EXPECT_TRUE(receipts["+447700900001"].ends_with(": undelivered, error 30003"));
  EXPECT_TRUE(receipts["+447700900002"].ends_with(": failed, error 30005"));
  EXPECT_TRUE(receipts["+447700900002"].starts_with("bounced: SM"));
  for (const char *to :
       {"+447700900003", "+447700900004", "+447700900005", "+447700900006", "+447700900007"}) {
    EXPECT_TRUE(receipts[to].starts_with("delivered: SM")) << to << " " << receipts[to];
  }
  CommandResult stats = run({halo_bin(), "deliveries", "stats", p, "--format", "json"});
  EXPECT_NE(
      stats.out.find(R"("receipts":{"delivered":5,"undelivered":1,"bounced":1,"complained":0})"),
      std::string::npos)
      << stats.out << stats.err;

  // The bounce and the two replies are in the ledger; the forged STOP is not.
  const std::string bounced = consent_show(p, "phone", "+447700900002");
  EXPECT_NE(bounced.find(R"("reason":"bounce")"), std::string::npos) << bounced;
  const std::string stop = consent_show(p, "phone", "+447700900003");
  EXPECT_NE(stop.find(R"("reason":"sms_reply")"), std::string::npos) << stop;
  EXPECT_NE(stop.find(":  stop \""), std::string::npos) << stop;  // the reply as sent
  EXPECT_NE(stop.find(R"("state":{"sms":"opted_out"})"), std::string::npos) << stop;
  EXPECT_NE(consent_show(p, "phone", "+447700900005").find(R"("state":{"sms":"opted_out"})"),
            std::string::npos);
  EXPECT_NE(consent_show(p, "phone", "+447700900006").find(R"("state":{"sms":"opted_out"})"),
            std::string::npos);
  EXPECT_EQ(consent_show(p, "phone", "+447700900004").find("opted_out"), std::string::npos);
  EXPECT_EQ(consent_show(p, "phone", "+447700900007").find("opted_out"), std::string::npos);
  EXPECT_EQ(consent_show(p, "phone", "+447700900001").find("opted_out"), std::string::npos);
}

}  // namespace
}  // namespace halo::e2e
