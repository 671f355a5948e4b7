// kavenegar_e2e_test.cpp -- the real `halo` binary delivers outbox SMS to
// the Kavenegar contract server (tests/contract/kavenegar_server.py):
// through 500s, a 429, a reset connection and sends whose answer came too
// late, every intended receptor gets exactly one SMS -- the late answers
// are found by localid, never sent twice -- with its segment count; a
// landline the API refuses (411) is dead; opted-out and phone-less
// profiles get nothing and say why; a wrong key stops the destination
// without losing a message; delivery reports are polled with
// sms/status.json until each message has its final one.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "contract_process.h"
#include "e2e_support.h"

namespace halo::e2e {
namespace {

using contract::ContractProcess;

const char *kKey = "4F2B5A7C6D";

// Customers first .. n-1 with an Iranian mobile who start a checkout; 0
// opted out of sms, 1 has no phone, 2 has a Tehran landline (refused by
// the API), 3 a UK mobile.
std::string customers(int n, int first = 0) {
  std::string out;
  for (int i = first; i < n; ++i) {
    const std::string u = "u" + std::to_string(i);
    std::string traits = R"("first_name":"سارا")";
    char phone[32];
    std::snprintf(phone, sizeof phone, "0912%07d", 1000 + i);
    if (i == 2)
      traits += R"(,"phone":"02188776655")";
    else if (i == 3)
      traits += R"(,"phone":"+447700900123")";
    else if (i != 1)
      traits += R"(,"phone":")" + std::string(phone) + "\"";
    if (i == 0) traits += R"(,"sms_opt_out":true)";
    out += checkout_customer(u, traits);
  }
  return out;
}

class KavenegarE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start(source_dir() + "/tests/contract/kavenegar_server.py",
                  {"--api-key", kKey, "--lines", "10004346", "--log", dir_ / "sent.jsonl",
                   "--status-log", dir_ / "status.jsonl", "--in-transit", "1", "--undelivered",
                   "09120001005", "--filtered", "09120001006"});
  }

  // `polling`: the destination's receipt_polling value, none when empty.
  std::string pipeline(const std::string &key, const std::string &polling = "") {
    return write_pipeline("pipeline.yaml", key, R"(sender: "10004346")", polling,
                          R"(triggers:
  - name: cart
    on: { event: Checkout Started }
    wait: 1h
    send: { channel: sms, destination: sms, template: cart, variables: { first_name: traits.first_name } }
templates:
  - name: cart
    text: "{{first_name}} عزیز، سبد خرید شما هنوز منتظر است. تا امشب ۲۰٪ تخفیف دارید: https://shop.example/c"
)");
  }

  // A pipeline delivering to the server through destination `sms` with
  // `options` beside api_key, timeout and base_url, then `rest` (the
  // triggers and templates).
  std::string write_pipeline(const std::string &file, const std::string &key,
                             const std::string &options, const std::string &polling,
                             const std::string &rest) {
    const std::string path = dir_ / file;
    write_file(path, R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: "2026-01-05T12:00:00Z" }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: phone, priority: 2, max_per_profile: 3, default_region: IR, paths: [traits.phone] }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
destinations:
  - name: sms
    plugin: kavenegar
    retry: { max_attempts: 6, backoff: 0s }
)" + (polling.empty() ? "" : "    receipt_polling: " + polling + "\n") +
                         "    config: { api_key: \"" + key + "\", " + options +
                         ", timeout: 1s, base_url: \"" + server_.base_url() + "\" }\n" + rest);
    return path;
  }

  // receptor -> sends, and the number of sends marked duplicate.
  std::map<std::string, int> sends(int *duplicates) {
    std::map<std::string, int> out;
    *duplicates = 0;
    simdjson::dom::parser parser;
    for (const std::string &line : read_lines(dir_ / "sent.jsonl")) {
      simdjson::dom::element e = parser.parse(line);
      ++out[std::string(std::string_view(e["receptor"]))];
      *duplicates += bool(e["duplicate"]);
    }
    return out;
  }

  TempDir dir_;
  ContractProcess server_;
};

TEST_F(KavenegarE2E, EveryReceptorGetsOneSmsThroughFaultsAndLostAnswers) {
  constexpr int kCustomers = 30;
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  const std::string p = pipeline(kKey);
  server_.inject(R"([{"kind":"500","count":2},{"kind":"429","count":1,"retry_after":0},)"
                 R"({"kind":"drop","count":1},)"
                 R"({"kind":"modify","count":2,"delay_ms":2500,"path":"send\\.json"}])");
  run_until_delivered(p, 6);
  EXPECT_EQ(server_.stat("faults_pending"), 0);

  int duplicates = 0;
  const std::map<std::string, int> got = sends(&duplicates);
  EXPECT_EQ(duplicates, 0) << "a send whose answer was lost was sent again";
  // 30 - opted out - no phone = 28 sends reached the API; the landline
  // was refused (not logged), so 27 receptors got their SMS once.
  EXPECT_EQ(got.size(), static_cast<size_t>(kCustomers - 3));
  for (const auto &[receptor, n] : got) EXPECT_EQ(n, 1) << receptor;
  EXPECT_EQ(got.count("00447700900123"), 1u);
  EXPECT_EQ(got.count("09120001004"), 1u);

  size_t sent = 0, found_later = 0, dead = 0, opted_out = 0, no_phone = 0;
  for (const auto &[key, s] : message_statuses(p, true)) {
    if (s.starts_with("sent|")) {
      ++sent;
      const bool later = s.find("found by localid") != std::string::npos;
      found_later += later;
      if (!later) {
        EXPECT_NE(s.find("; 2 segments (UCS-2)\"}]"), std::string::npos) << s;
      }
      // A transport error quotes the URL, whose path holds the key.
      EXPECT_EQ(s.find(kKey), std::string::npos) << "the key was stored: " << s;
    }
    if (s.starts_with("dead|")) {
      ++dead;
      EXPECT_NE(s.find("bounced: Kavenegar 411"), std::string::npos) << s;
    }
    opted_out += s.starts_with("suppressed|opted out of sms (traits.sms_opt_out)");
    no_phone += s.starts_with("suppressed|the profile has no phone for channel sms");
  }
  EXPECT_EQ(sent, static_cast<size_t>(kCustomers - 3));
  EXPECT_EQ(found_later, 2u);
  EXPECT_EQ(dead, 1u);
  EXPECT_EQ(opted_out, 1u);
  EXPECT_EQ(no_phone, 1u);
}

// `api: lookup`: each message fills the panel template named as its own
// (verify/lookup.json) with the variables token, token2 and token10. A
// token with a space or none at all is dead before anything is sent; a 500
// is retried; a lookup whose answer never came is dead, not sent again,
// since verify/lookup takes no localid to ask about it.
TEST_F(KavenegarE2E, TemplateMessagesFillTheirTokensAndAreNeverSentTwice) {
  std::string events;
  for (int i = 0; i < 7; ++i) {
    char phone[32];
    std::snprintf(phone, sizeof phone, "0912%07d", 2000 + i);
    std::string traits =
        R"("phone":")" + std::string(phone) + R"(","first_name":"سارا","full_name":"سارا رضایی")";
    if (i == 5) traits += R"(,"code":"12 34")";
    if (i < 5) traits += R"(,"code":)" + std::to_string(48210 + i);  // a number
    events += checkout_customer("u" + std::to_string(i), traits);
  }
  write_file(dir_ / "events.jsonl", events);
  const std::string p = write_pipeline("lookup.yaml", kKey, "api: lookup", "", R"(triggers:
  - name: code
    on: { event: Checkout Started }
    send:
      channel: sms
      destination: sms
      template: otp
      variables: { token: traits.code, token2: traits.first_name, token10: traits.full_name }
templates:
  - { name: otp, text: "Kavenegar's template otp: your code is %token%" }
)");
  server_.inject(R"([{"kind":"500","count":1},)"
                 R"({"kind":"modify","count":1,"delay_ms":2500,"path":"lookup\\.json"}])");
  run_until_delivered(p, 4);

  // receptor -> lookups the server took.
  std::map<std::string, int> lookups;
  simdjson::dom::parser parser;
  for (const std::string &line : read_lines(dir_ / "sent.jsonl")) {
    simdjson::dom::element e = parser.parse(line);
    ASSERT_EQ(std::string_view(e["lookup"]), "otp") << line;
    EXPECT_EQ(std::string_view(e["type"]), "sms") << line;
    EXPECT_EQ(std::string_view(e["tokens"]["token2"]), "سارا") << line;
    EXPECT_EQ(std::string_view(e["tokens"]["token10"]), "سارا رضایی") << line;
    const std::string receptor{std::string_view(e["receptor"])};
    EXPECT_EQ(std::string_view(e["tokens"]["token"]),
              std::to_string(48210 + std::stoi(receptor.substr(7)) - 2000))
        << line;
    ++lookups[receptor];
  }
  ASSERT_EQ(lookups.size(), 5u);  // the five with a usable code, each once
  for (const auto &[receptor, n] : lookups) EXPECT_EQ(n, 1) << receptor;

  size_t sent = 0, lost = 0, spaced = 0, missing = 0;
  for (const auto &[key, s] : message_statuses(p, true)) {
    sent += s.starts_with("sent|") && s.find("; template otp") != std::string::npos;
    lost += s.starts_with("dead|no answer from verify/lookup.json, which takes no localid");
    spaced += s.starts_with("dead|variable token holds white space");
    missing += s.starts_with("dead|no variable token");
  }
  EXPECT_EQ(sent, 4u);
  EXPECT_EQ(lost, 1u);
  EXPECT_EQ(spaced, 1u);
  EXPECT_EQ(missing, 1u);
  EXPECT_EQ(server_.stat("faults_pending"), 0);
}

TEST_F(KavenegarE2E, AWrongKeyStopsTheDestinationAndLosesNothing) {
  constexpr int kCustomers = 6;
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  RunOutcome wrong = run_pipeline(pipeline("WRONGKEY"));
  ASSERT_EQ(wrong.exit_code, 0) << wrong.err;
  EXPECT_EQ(summary_count(wrong.summary, "messages_sent"), 0);
  EXPECT_EQ(summary_count(wrong.summary, "messages_dead"), 0);
  EXPECT_NE(wrong.err.find("Kavenegar 403"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find("WRONGKEY"), std::string::npos) << "the key leaked: " << wrong.err;
  EXPECT_EQ(server_.requests_for("/v1/WRONGKEY/sms/send.json"), 1);  // stopped after one

  RunOutcome right = run_pipeline(pipeline(kKey));
  ASSERT_EQ(right.exit_code, 0) << right.err;
  EXPECT_EQ(summary_count(right.summary, "messages_sent"), kCustomers - 3);
  int duplicates = 0;
  EXPECT_EQ(sends(&duplicates).size(), static_cast<size_t>(kCustomers - 3));
}

// Customers 3..7 each get an SMS. The server answers "at the operator" (4) to
// the first question about each, then 11 for 09120001005, 14 (filtered)
// for 09120001006, 10 for the rest.
TEST_F(KavenegarE2E, DeliveryReportsArePolledUntilEachMessageHasOne) {
  write_file(dir_ / "events.jsonl", customers(8, 3));
  const std::string p = pipeline(kKey, "{ after: 0s }");
  RunOutcome first = run_pipeline(p);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(summary_count(first.summary, "messages_sent"), 5);
  EXPECT_EQ(summary_count(first.summary, "receipts_polled"), 5);  // asked at once: in transit
  for (const auto &[to, receipt] : message_receipts(p)) EXPECT_EQ(receipt, "sent") << to;

  // The next poll is at least a second later. A wrong key fails the poll:
  // the run goes on, and nothing is lost.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  RunOutcome wrong = run_pipeline(pipeline("WRONGKEY", "{ after: 0s }"));
  ASSERT_EQ(wrong.exit_code, 0) << wrong.err;
  EXPECT_NE(wrong.err.find("sms/status.json: Kavenegar 403"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find("WRONGKEY"), std::string::npos) << "the key leaked: " << wrong.err;
  // A failed poll counts toward the schedule (a failing receiver is not
  // asked at once again): the third poll is two seconds after the second.
  EXPECT_EQ(summary_count(wrong.summary, "receipts_polled"), 5);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));

  RunOutcome second = run_pipeline(pipeline(kKey, "{ after: 0s }"));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(summary_count(second.summary, "receipts_polled"), 5);
  const std::map<std::string, std::string> receipts = message_receipts(p);
  ASSERT_EQ(receipts.size(), 5u);
  for (const char *to : {"+989120001004", "+989120001007", "+447700900123"}) {
    ASSERT_EQ(receipts.count(to), 1u) << to;
    EXPECT_TRUE(receipts.at(to).starts_with("delivered: messageid ")) << receipts.at(to);
    EXPECT_NE(receipts.at(to).find(": status 10 رسیده به گیرنده"), std::string::npos);
  }
  EXPECT_NE(receipts.at("+989120001005").find("undelivered: messageid "), std::string::npos);
  EXPECT_NE(receipts.at("+989120001005").find("status 11"), std::string::npos);
  EXPECT_NE(receipts.at("+989120001006").find("status 14"), std::string::npos);

  // A message with a report is never asked about again.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  RunOutcome third = run_pipeline(p);
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(summary_count(third.summary, "receipts_polled"), 0);
  const std::vector<std::string> questions = read_lines(dir_ / "status.jsonl");
  ASSERT_EQ(questions.size(), 2u);  // one call per run that polled (the wrong key's was refused)
  simdjson::dom::parser parser;
  for (const std::string &q : questions) {
    EXPECT_EQ(simdjson::dom::array(parser.parse(q)["messageids"]).size(), 5u) << q;
  }
  int duplicates = 0;
  EXPECT_EQ(sends(&duplicates).size(), 5u);
}

}  // namespace
}  // namespace halo::e2e

namespace halo::e2e {
namespace {

// The `kavenegar` source: what people send to the line arrives as events;
// لغو and STOP opt the sender out of sms in the consent ledger, a later
// START opts back in, other text is an `SMS Received` event, messages to
// another line are not read; a second run finds only what the first one
// stored (its recovery read of read messages gives duplicates); a wrong
// key fails the source by name without the key in the log.
TEST(KavenegarInbox, RepliesReachTheConsentLedgerAndOthersAreEvents) {
  TempDir dir;
  write_file(dir / "inbox.jsonl",
             R"({"sender":"09121110001","message":"لغو","receptor":"10004346","date":1767600000}
{"sender":"09121110002","message":" stop ","receptor":"10004346","date":1767600100}
{"sender":"09121110003","message":"سلام، سفارشم کی می‌رسد؟","receptor":"10004346","date":1767600200}
{"sender":"09121110001","message":"START","receptor":"10004346","date":1767700000}
{"sender":"09129999999","message":"لغو","receptor":"30001234","date":1767600300}
)");
  ContractProcess server;
  server.start(source_dir() + "/tests/contract/kavenegar_server.py",
               {"--api-key", kKey, "--log", dir / "sent.jsonl", "--inbox", dir / "inbox.jsonl"});
  auto pipeline = [&](const std::string &key) {
    write_file(dir / "p.yaml", R"(version: 1
store: { kind: sqlite, path: halo.db }
identity:
  resolver: deterministic
  identifiers:
    - { type: phone, priority: 1, max_per_profile: 3, default_region: IR, paths: [context.traits.phone] }
sources:
  - name: sms_replies
    plugin: kavenegar
    config: { api_key: ")" + key + R"(", line: "10004346", base_url: ")" +
                                   server.base_url() + R"(" }
)");
    return dir / "p.yaml";
  };
  const std::string p = pipeline(kKey);
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "accepted"), 4) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "profiles"), 3);
  EXPECT_EQ(summary_count(r.summary, "consent_events"), 3) << r.summary;
  auto state = [&](const std::string &phone) {
    CommandResult c = run({halo_bin(), "consent", "show", p, "--phone", phone, "--format", "json"});
    EXPECT_EQ(c.exit_code, 0) << c.err;
    return c.out;
  };
  EXPECT_NE(state("+989121110002").find(R"("state":{"sms":"opted_out"})"), std::string::npos)
      << state("+989121110002");
  const std::string first = state("+989121110001");
  EXPECT_NE(first.find(R"("state":{"sms":"opted_in"})"), std::string::npos) << first;
  EXPECT_NE(first.find("Kavenegar messageid 5000001: لغو"), std::string::npos) << first;
  EXPECT_EQ(state("+989121110003").find("opted"), std::string::npos);
  CommandResult asked = run({halo_bin(), "profile", "get", p, "--phone", "+989121110003"});
  EXPECT_EQ(asked.exit_code, 0) << asked.err;
  CommandResult other = run({halo_bin(), "profile", "get", p, "--phone", "+989129999999"});
  EXPECT_NE(other.exit_code, 0);  // another line's message was not read
  EXPECT_EQ(server.requests_for("/v1/" + std::string(kKey) + "/sms/receive.json"), 2);

  RunOutcome again = run_pipeline(p);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(summary_count(again.summary, "accepted"), 0) << again.summary;
  EXPECT_EQ(summary_count(again.summary, "duplicates"), 4);

  RunOutcome refused = run_pipeline(pipeline("WRONGKEY99"));
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("sms_replies"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("403"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("WRONGKEY99"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace halo::e2e
