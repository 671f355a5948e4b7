// webhook_e2e_test.cpp -- the real `halo` binary delivers the outbox to a
// Standard Webhooks receiver (tests/contract/webhook_server.py) that checks
// every signature and de-duplicates by webhook-id: through 500s, 429s with
// Retry-After and dropped connections every intended message arrives once;
// opted-out profiles and profiles without an address get nothing and their
// messages say why; templates render with HTML escaping in the html part
// only; a permanent refusal makes a message dead, and `halo messages retry
// --dead` sends it again; quiet hours hold messages back until they end;
// runs SIGKILLed during delivery lose nothing and
// the receiver processes each message once; `halo validate` refuses a
// missing or broken template; `concurrency` bounds the requests in flight.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <string>

#include "contract_process.h"
#include "e2e_support.h"

namespace halo::e2e {
namespace {

using contract::ContractProcess;

const char *kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// n customers with an email identifier who start a checkout; customers
// 0 and 1 opted out of email; customer 2 has no email; customer 3's first
// name needs escaping in HTML.
std::string customers(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    const std::string u = "u" + std::to_string(i);
    std::string traits = R"("first_name":")" + std::string(i == 3 ? "<b>Sara & Co</b>" : u) + "\"";
    if (i != 2) traits += R"(,"email":")" + u + "@example.ir\"";
    if (i < 2) traits += R"(,"email_opt_out":true)";
    out += checkout_customer(u, traits);
  }
  return out;
}

class WebhookE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start(source_dir() + "/tests/contract/webhook_server.py",
                  {"--secret", kSecret, "--log", dir_ / "received.jsonl"});
  }

  std::string pipeline() {
    const std::string path = dir_ / "pipeline.yaml";
    write_file(path, R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: "2026-01-05T12:00:00Z" }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: email, priority: 2, max_per_profile: 3, paths: [traits.email] }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
destinations:
  - name: hooks
    plugin: webhook
    retry: { max_attempts: 6, backoff: 0s }
    config: { url: ")" + server_.base_url() +
                         R"(/hooks", secret: ")" + kSecret + R"(" }
triggers:
  - name: cart
    on: { event: Checkout Started }
    wait: 1h
    send:
      channel: email
      destination: hooks
      template: cart
      variables: { first_name: traits.first_name }
templates:
  - name: cart
    subject: "{{first_name}}, your cart is waiting"
    text: "Hello {{first_name}}{{^first_name}}there{{/first_name}}"
    html: "<p dir=\"rtl\">سلام {{first_name}}</p>"
)");
    return path;
  }

  // webhook-id -> times it arrived, and the bodies (first arrival).
  std::map<std::string, int> arrivals(std::map<std::string, std::string> *bodies = nullptr) {
    std::map<std::string, int> out;
    simdjson::dom::parser parser;
    for (const std::string &line : read_lines(dir_ / "received.jsonl")) {
      simdjson::dom::element e = parser.parse(line);
      const std::string id{std::string_view(e["id"])};
      ++out[id];
      if (bodies && !bool(e["duplicate"])) (*bodies)[id] = simdjson::minify(e["body"]);
    }
    return out;
  }

  TempDir dir_;
  ContractProcess server_;
};

TEST_F(WebhookE2E, EveryMessageArrivesOnceThroughFaults) {
  constexpr int kCustomers = 40;
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  const std::string p = pipeline();
  server_.inject(R"([{"kind":"500","count":3},{"kind":"429","count":2,"retry_after":0},)"
                 R"({"kind":"drop","count":2},{"kind":"503","count":1}])");
  run_until_delivered(p, 6);
  EXPECT_EQ(server_.stat("faults_pending"), 0);

  const std::map<std::string, std::string> status = message_statuses(p);
  ASSERT_EQ(status.size(), static_cast<size_t>(kCustomers));
  std::map<std::string, std::string> bodies;
  const std::map<std::string, int> got = arrivals(&bodies);
  size_t sent = 0;
  for (const auto &[key, s] : status) {
    if (s.starts_with("sent|")) {
      ++sent;
      EXPECT_EQ(got.count(key), 1u) << key << " was marked sent but never arrived";
      continue;
    }
    EXPECT_EQ(got.count(key), 0u) << key << " arrived but is " << s;
  }
  EXPECT_EQ(sent, static_cast<size_t>(kCustomers - 3));
  EXPECT_EQ(got.size(), sent);  // every arrival is a sent message, once
  for (const auto &[key, n] : got) EXPECT_EQ(n, 1) << key << " arrived " << n << " times";

  // Who got nothing, and why.
  size_t opted_out = 0, no_address = 0;
  for (const auto &[key, s] : status) {
    opted_out += s == "suppressed|opted out of email (traits.email_opt_out)";
    no_address += s == "suppressed|the profile has no email for channel email";
  }
  EXPECT_EQ(opted_out, 2u);
  EXPECT_EQ(no_address, 1u);

  // The rendered parts: escaped in HTML only, the address and variables.
  bool saw_sara = false;
  for (const auto &[key, body] : bodies) {
    if (body.find("u3@example.ir") == std::string::npos) continue;
    saw_sara = true;
    EXPECT_NE(body.find(R"("subject":"<b>Sara & Co</b>, your cart is waiting")"), std::string::npos)
        << body;
    EXPECT_NE(body.find("سلام &lt;b&gt;Sara &amp; Co&lt;/b&gt;"), std::string::npos) << body;
    EXPECT_NE(body.find(R"("channel":"email","recipient":"u3@example.ir")"), std::string::npos)
        << body;
  }
  EXPECT_TRUE(saw_sara);

  // The operator's view: one destination, its statuses, attempts and
  // latency.
  CommandResult stats = run({halo_bin(), "deliveries", "stats", p, "--format", "json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  simdjson::dom::parser parser;
  simdjson::dom::element hooks = parser.parse(stats.out)["destinations"].at(0);
  EXPECT_EQ(std::string_view(hooks["destination"]), "hooks");
  EXPECT_EQ(int64_t(hooks["messages"]), kCustomers);
  EXPECT_EQ(int64_t(hooks["sent"]), kCustomers - 3);
  EXPECT_EQ(int64_t(hooks["suppressed"]), 3);
  EXPECT_EQ(int64_t(hooks["dead"]), 0);
  // Every status fault took an attempt; a drop did too unless it hit a kept
  // connection, where libcurl sent the request again within the attempt.
  EXPECT_GE(int64_t(hooks["attempts"]), kCustomers - 3 + 6);
  EXPECT_LE(int64_t(hooks["attempts"]), kCustomers - 3 + 8);
  const int64_t p50 = hooks["latency_ms"]["p50"], p95 = hooks["latency_ms"]["p95"],
                max = hooks["latency_ms"]["max"];
  EXPECT_GE(p50, 0);
  EXPECT_LE(p50, p95);
  EXPECT_LE(p95, max);
  CommandResult text = run({halo_bin(), "deliveries", "stats", p});
  EXPECT_NE(text.out.find("hooks: 40 messages, 37 sent, 3 suppressed;"), std::string::npos)
      << text.out;

  // Later runs deliver nothing again.
  RunOutcome again = run_pipeline(p);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(summary_count(again.summary, "messages_sent"), 0);
  EXPECT_EQ(arrivals().size(), got.size());
}

TEST_F(WebhookE2E, APermanentRefusalIsDeadUntilRetriedByHand) {
  write_file(dir_ / "events.jsonl", customers(6));
  const std::string p = pipeline();
  server_.inject(R"({"kind":"400","count":1})");
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "messages_dead"), 1);
  EXPECT_EQ(summary_count(r.summary, "messages_sent"), 2);  // 6 - 3 blocked - 1 dead
  CommandResult dead = run({halo_bin(), "messages", "list", p, "--status", "dead"});
  ASSERT_EQ(dead.exit_code, 0) << dead.err;
  EXPECT_NE(dead.out.find(R"("reason":"HTTP 400)"), std::string::npos) << dead.out;
  EXPECT_NE(dead.out.find(R"("outcome":"failed")"), std::string::npos) << dead.out;

  RunOutcome idle = run_pipeline(p);  // dead stays dead
  EXPECT_EQ(summary_count(idle.summary, "messages_sent"), 0);
  CommandResult retry = run({halo_bin(), "messages", "retry", p, "--dead"});
  ASSERT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_EQ(retry.out, "1 dead message(s) pending again\n");
  RunOutcome resent = run_pipeline(p);
  EXPECT_EQ(summary_count(resent.summary, "messages_sent"), 1);
  EXPECT_EQ(arrivals().size(), 3u);
  CommandResult usage = run({halo_bin(), "messages", "retry", p});
  EXPECT_EQ(usage.exit_code, 2);

  // Its whole story, by key and by id: refused, then sent.
  simdjson::dom::parser parser;
  simdjson::dom::element was_dead = parser.parse(dead.out.substr(0, dead.out.find('\n')));
  const std::string key{std::string_view(was_dead["idempotency_key"])};
  const std::string id = std::to_string(int64_t(was_dead["id"]));
  CommandResult by_key = run({halo_bin(), "messages", "show", p, key});
  ASSERT_EQ(by_key.exit_code, 0) << by_key.err;
  EXPECT_NE(by_key.out.find("message " + id + " (" + key + "): sent\n"), std::string::npos)
      << by_key.out;
  EXPECT_NE(by_key.out.find("  attempt 1  "), std::string::npos) << by_key.out;
  EXPECT_NE(by_key.out.find("  failed  HTTP 400"), std::string::npos) << by_key.out;
  EXPECT_NE(by_key.out.find("  attempt 2  "), std::string::npos) << by_key.out;
  CommandResult by_id = run({halo_bin(), "messages", "show", p, id, "--format", "json"});
  ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
  simdjson::dom::element shown = parser.parse(by_id.out);
  EXPECT_EQ(std::string_view(shown["idempotency_key"]), key);
  EXPECT_EQ(simdjson::dom::array(shown["attempts"]).size(), 2u);
  EXPECT_EQ(run({halo_bin(), "messages", "show", p, "999999"}).exit_code, 3);
  EXPECT_EQ(run({halo_bin(), "messages", "show", p}).exit_code, 2);
}

TEST_F(WebhookE2E, SigkillDuringDeliveryLosesNothingAndTheReceiverSeesEachOnce) {
  constexpr int kCustomers = 1'500;
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  const std::string p = pipeline();
  int kills = 0;
  for (int delay_ms : {300, 450, 600, 750, 900, 1050}) {
    kills += kill_after({halo_bin(), "run", p, "-q"}, delay_ms);
  }
  run_until_delivered(p, 3);
  EXPECT_GT(kills, 0) << "no run was killed: the test did not test anything";
  const std::map<std::string, std::string> status = message_statuses(p);
  ASSERT_EQ(status.size(), static_cast<size_t>(kCustomers));
  const std::map<std::string, int> got = arrivals();
  size_t sent = 0, resent = 0;
  for (const auto &[key, s] : status) {
    if (!s.starts_with("sent|")) continue;
    ++sent;
    auto it = got.find(key);
    ASSERT_NE(it, got.end()) << key << " was marked sent but never arrived";
    resent += static_cast<size_t>(it->second - 1);
  }
  EXPECT_EQ(sent, static_cast<size_t>(kCustomers - 3));
  EXPECT_EQ(got.size(), sent);  // the receiver processed each message once
  // A kill can only repeat what was sent and not yet committed: at most a
  // page (100 messages) per kill, and the receiver dropped each repeat.
  EXPECT_LE(resent, static_cast<size_t>(kills) * 100);
}

// `concurrency`: a receiver answering each message 200 ms late has exactly
// that many requests in flight at once (the first of each call alone), and
// every message still arrives once; `concurrency: 1` sends one at a time.
TEST_F(WebhookE2E, ConcurrencyBoundsTheRequestsInFlight) {
  const std::string good = read_file(pipeline());
  const std::string at = "    retry: { max_attempts: 6, backoff: 0s }\n";
  for (int concurrency : {5, 1}) {  // 20 messages to send in each shop
    TempDir shop;
    write_file(shop / "events.jsonl", customers(23));
    std::string text = good;
    text.insert(text.find(at) + at.size(),
                "    concurrency: " + std::to_string(concurrency) + "\n");
    const std::string q = shop / "pipeline.yaml";
    write_file(q, text);
    server_.reset_stats();
    server_.inject(R"({"kind":"slow","count":20,"delay_ms":200})");
    RunOutcome r = run_pipeline(q);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(summary_count(r.summary, "messages_sent"), 20) << concurrency;
    EXPECT_EQ(server_.stat("faults_applied"), 20);
    EXPECT_EQ(server_.stat("max_in_flight"), concurrency);
    if (concurrency == 1) continue;  // the same keys again: the receiver's duplicates
    const std::map<std::string, int> got = arrivals();
    EXPECT_EQ(got.size(), 20u);
    for (const auto &[key, n] : got) EXPECT_EQ(n, 1) << key << " arrived " << n << " times";
  }
}

// "HH:MM" of the UTC wall clock `minutes` from now (wrapping the day).
std::string utc_clock_in(int minutes) {
  const std::time_t now = std::time(nullptr);
  const int of_day = static_cast<int>((now / 60 + minutes) % 1440 + 1440) % 1440;
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", of_day / 60, of_day % 60);
  return text;
}

TEST_F(WebhookE2E, QuietHoursHoldMessagesBackUntilTheyEnd) {
  write_file(dir_ / "events.jsonl", customers(8));
  const std::string p = pipeline();
  const std::string good = read_file(p);
  auto with_quiet = [&](const std::string &from, const std::string &until) {
    std::string text = good;
    const std::string at = "    retry: { max_attempts: 6, backoff: 0s }\n";
    text.insert(text.find(at) + at.size(), "    quiet_hours: { from: \"" + from + "\", until: \"" +
                                               until + "\", time_zone: UTC }\n");
    write_file(p, text);
  };
  with_quiet(utc_clock_in(-60), utc_clock_in(60));  // now is quiet
  RunOutcome quiet = run_pipeline(p);
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(summary_count(quiet.summary, "messages_deferred"), 5);  // 8 - 3 blocked
  EXPECT_EQ(summary_count(quiet.summary, "messages_sent"), 0);
  EXPECT_TRUE(arrivals().empty());
  size_t held = 0;
  for (const auto &[key, s] : message_statuses(p))
    held += s.starts_with("pending|quiet hours until ");
  EXPECT_EQ(held, 5u);
  RunOutcome still = run_pipeline(p);  // not before they end
  EXPECT_EQ(summary_count(still.summary, "messages_deferred"), 0);
  EXPECT_EQ(summary_count(still.summary, "messages_sent"), 0);

  // Held messages wait for the end the setting named when they were held,
  // even once the setting is gone.
  write_file(p, good);
  RunOutcome waiting = run_pipeline(p);
  EXPECT_EQ(summary_count(waiting.summary, "messages_sent"), 0);
  with_quiet("25:00", "08:00");
  CommandResult bad = run({halo_bin(), "validate", p});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("quiet_hours.from: from '25:00' must be a local time of day"),
            std::string::npos)
      << bad.err;
}

TEST_F(WebhookE2E, ValidateRefusesMissingAndBrokenTemplates) {
  write_file(dir_ / "events.jsonl", "");
  const std::string p = pipeline();
  const std::string good = read_file(p);
  auto replaced = [&](const std::string &from, const std::string &to) {
    std::string text = good;
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  struct Case {
    std::string from, to, error;
  };
  const std::vector<Case> cases = {
      {"template: cart\n", "template: other\n",
       "triggers[0].send.template: no template named 'other' is declared under templates:"},
      {"subject: \"{{first_name}}, your", "subject: \"{{#first_name}}, your",
       "templates.cart.subject: "},
      {"  - name: cart\n    subject", "  - name: cart\n    bogus: 1\n    subject", "bogus"},
  };
  for (const Case &c : cases) {
    write_file(p, replaced(c.from, c.to));
    CommandResult v = run({halo_bin(), "validate", p});
    EXPECT_EQ(v.exit_code, 2) << c.to;
    EXPECT_NE(v.err.find(c.error), std::string::npos) << c.to << "\n" << v.err;
  }
  write_file(p, good);
  EXPECT_EQ(run({halo_bin(), "validate", p}).exit_code, 0);
}

// `rate_limit`: the receiver never sees more than the limit in any span of
// `per` (it logs when each message arrived), and everything still arrives
// once. `circuit_breaker`: a receiver failing everything gets `failures`
// messages, then nothing until the cooldown; the rest wait untouched.
TEST_F(WebhookE2E, ARateLimitSpacesMessagesAndABreakerStopsAFailingReceiver) {
  write_file(dir_ / "events.jsonl", customers(15));  // 12 messages to send
  const std::string p = pipeline();
  const std::string good = read_file(p);
  const std::string at = "    retry: { max_attempts: 6, backoff: 0s }\n";
  std::string limited = good;
  limited.insert(limited.find(at) + at.size(), "    rate_limit: { messages: 4, per: 1s }\n");
  write_file(p, limited);
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "messages_sent"), 12);
  std::vector<int64_t> times;
  simdjson::dom::parser parser;
  for (const std::string &line : read_lines(dir_ / "received.jsonl")) {
    times.push_back(int64_t(parser.parse(line)["at_ms"]));
  }
  ASSERT_EQ(times.size(), 12u);
  std::sort(times.begin(), times.end());
  for (size_t i = 0; i + 4 < times.size(); ++i) {
    // The fifth message after any one comes a second later (less the
    // receiver's own clock reading, a few ms late for the earlier one).
    EXPECT_GE(times[i + 4] - times[i], 950) << i;
  }
  EXPECT_EQ(arrivals().size(), 12u);

  // A second shop whose receiver answers 500 to everything.
  TempDir other;
  write_file(other / "events.jsonl", customers(15));
  std::string breaking = good;
  breaking.insert(breaking.find(at) + at.size(),
                  "    circuit_breaker: { failures: 3, cooldown: 1h }\n");
  const std::string q = other / "pipeline.yaml";
  write_file(q, breaking);
  server_.inject(R"({"kind":"500","count":1000})");
  server_.reset_stats();
  RunOutcome broken = run_pipeline(q);
  ASSERT_EQ(broken.exit_code, 0) << broken.err;
  EXPECT_EQ(server_.stat("requests"), 3);
  EXPECT_NE(broken.err.find("3 messages in a row were not delivered; circuit open"),
            std::string::npos)
      << broken.err;
  size_t tried = 0, untouched = 0;
  for (const auto &[key, s] : message_statuses(q, true)) {
    tried += s.starts_with("failed|");
    untouched += s.starts_with("pending||[]");
  }
  EXPECT_EQ(tried, 3u);
  EXPECT_EQ(untouched, 9u);
  write_file(q, breaking + "# x\n");
  CommandResult bad = run({halo_bin(), "validate", q});
  EXPECT_EQ(bad.exit_code, 0) << bad.err;
  std::string wrong = good;
  wrong.insert(wrong.find(at) + at.size(), "    rate_limit: { messages: 0, per: 100ms }\n");
  write_file(q, wrong);
  bad = run({halo_bin(), "validate", q});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("rate_limit.messages"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("rate_limit.per"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace halo::e2e
