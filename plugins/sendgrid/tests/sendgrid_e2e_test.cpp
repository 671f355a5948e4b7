// sendgrid_e2e_test.cpp -- the real `halo` binary delivers outbox email to
// the SendGrid contract server (tests/contract/sendgrid_server.py): a
// campaign of one content goes out in one request through a 500 and a
// 429, every address once, each with its own signed unsubscribe headers
// and custom_args; a batch SendGrid refuses for one bad address is sent
// again one by one, so only that message is dead; a wrong API key stops
// the destination without losing a message and never appears in a stored
// attempt. On `halo serve`, SendGrid's signed Event Webhook becomes each
// message's delivery report (a bounce and a spam report suppress their
// addresses) and an unsubscribe at SendGrid an opt-out; forged events
// change nothing. With the webhook's OAuth option instead of a signature,
// halo answers SendGrid's token requests and believes only posts that
// carry a token it issued.
#include <gtest/gtest.h>
#include <simdjson.h>

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

const char *kKey = "SG.test-key-5f4dcc3b5aa765d6";
const char *kClientId = "sendgrid-events";
const char *kClientSecret = "s3cret:with&=+chars";

// n customers who start a checkout at u<i>@example.org.
std::string customers(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    const std::string u = "u" + std::to_string(i);
    out += checkout_customer(u, R"("email":")" + u + R"(@example.org")");
  }
  return out;
}

class SendgridE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start(
        source_dir() + "/tests/contract/sendgrid_server.py",
        {"--api-key", kKey, "--senders", "news@shop.example", "--invalid", "u3@example.org",
         "--bounced", "u1@example.org", "--spam", "u2@example.org", "--unsubscribed",
         "u4@example.org", "--clicked", "u0@example.org", "--log", dir_ / "sent.jsonl"});
  }

  // `receiver`: the base URL halo serve answers the Event Webhook on ("":
  // no Event Webhook); the destination answers it, or with `as_source` the
  // `sendgrid` source (with features counting what it records). With
  // `oauth`, the webhook is authenticated by OAuth tokens, not signed.
  std::string pipeline(const std::string &key, const std::string &receiver = "",
                       bool as_source = false, bool oauth = false) {
    const std::string path = dir_ / "pipeline.yaml";
    std::string events, source;
    if (oauth) {
      events = "      event_webhook_url: \"" + receiver + "/sendgrid/events\"\n" +
               "      event_webhook_oauth_client_id: \"" + kClientId + "\"\n" +
               "      event_webhook_oauth_client_secret: \"" + kClientSecret + "\"\n" +
               "      event_webhook_oauth_token_url: \"" + receiver + "/sendgrid/token\"\n";
    } else if (!receiver.empty()) {
      simdjson::dom::parser parser;
      const std::string answer = server_.control("GET", "/__control/event-key");
      const std::string_view public_key = parser.parse(answer)["key"];
      events = "      event_webhook_url: \"" + receiver + "/sendgrid/events\"\n" +
               "      event_webhook_key: \"" + std::string(public_key) + "\"\n";
    }
    if (as_source) {
      source = "  - name: sendgrid_events\n    plugin: sendgrid\n    config:\n" + events +
               "      max_idle_ms: 500\n" +
               "features:\n  - name: mail\n    plugin: aggregates\n    config:\n"
               "      features:\n"
               "        opens: { count: { event: Email Opened } }\n"
               "        clicks: { count: { event: Email Link Clicked } }\n"
               "        delivered: { count: { event: Email Delivered } }\n";
      events.clear();
    }
    const std::string listen =
        receiver.empty() ? "127.0.0.1:0" : receiver.substr(std::string("http://").size());
    write_file(path, R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: "2026-01-05T12:00:00Z" }
http: { listen: ")" + listen +
                         R"(" }
consent:
  unsubscribe: { url: "https://shop.example/u", secret: "0123456789abcdef-secret" }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: email, priority: 2, max_per_profile: 3, paths: [traits.email, context.traits.email] }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
)" + source + R"(destinations:
  - name: mail
    plugin: sendgrid
    retry: { max_attempts: 6, backoff: 0s }
    config:
      api_key: ")" + key +
                         R"("
      from: news@shop.example
      from_name: "فروشگاه"
      base_url: ")" + server_.base_url() +
                         "\"\n" + events + R"(triggers:
  - name: cart
    on: { event: Checkout Started }
    wait: 1h
    send: { channel: email, destination: mail, template: cart }
templates:
  - name: cart
    subject: "سبد خرید شما منتظر است"
    text: "Your cart is waiting."
    html: "<p dir=\"rtl\">سبد خرید شما منتظر است</p>"
)");
    return path;
  }

  // While `halo serve` starts: a forged batch until it is refused (403,
  // kept by the server to send again), then the signed one; the answer to
  // that post.
  std::string post_events(const std::string &url) {
    std::string forged;
    for (int i = 0; i < 200 && forged.find(R"("status": 403)") == std::string::npos; ++i) {
      if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      forged = server_.control("POST", "/__control/send-events",
                               R"({"url":")" + url + R"(","forge":true})");
    }
    EXPECT_NE(forged.find(R"("status": 403)"), std::string::npos)
        << forged << read_file(dir_ / "serve.err");
    return server_.control("POST", "/__control/send-events", R"({"url":")" + url + R"("})");
  }

  // to -> how many times it was accepted; checks each line on the way.
  std::map<std::string, int> accepted() {
    std::map<std::string, int> got;
    simdjson::dom::parser parser;
    for (const std::string &line : read_lines(dir_ / "sent.jsonl")) {
      simdjson::dom::element e = parser.parse(line);
      const std::string to{std::string_view(e["to"])};
      ++got[to];
      EXPECT_EQ(std::string_view(e["subject"]), "سبد خرید شما منتظر است");
      const std::string_view link = e["headers"]["List-Unsubscribe"];
      EXPECT_TRUE(link.starts_with("<https://shop.example/u?m=")) << link;
      EXPECT_EQ(std::string_view(e["headers"]["List-Unsubscribe-Post"]),
                "List-Unsubscribe=One-Click");
      EXPECT_FALSE(std::string_view(e["custom_args"]["halo_key"]).empty());
    }
    return got;
  }

  TempDir dir_;
  ContractProcess server_;
};

TEST_F(SendgridE2E, OneContentGoesOutInOneRequestThroughFaults) {
  constexpr int kCustomers = 25;
  // u3 is refused by the server: leave it out of this test.
  std::string events;
  for (int i = 0; i < kCustomers; ++i) {
    if (i != 3) events += customers(i + 1).substr(customers(i).size());
  }
  write_file(dir_ / "events.jsonl", events);
  const std::string p = pipeline(kKey);
  server_.inject(R"([{"kind":"500","count":1},{"kind":"429","count":1,"retry_after":0}])");
  run_until_delivered(p, 4);
  EXPECT_EQ(server_.stat("faults_pending"), 0);
  const std::map<std::string, int> got = accepted();
  EXPECT_EQ(got.size(), static_cast<size_t>(kCustomers - 1));
  for (const auto &[to, n] : got) EXPECT_EQ(n, 1) << to;
  // The 500, the 429 and one accepted request for all of them.
  EXPECT_EQ(server_.stat("requests"), 3);
  size_t sent = 0;
  for (const auto &[key, s] : message_statuses(p, true)) {
    sent += s.starts_with("sent|");
    EXPECT_NE(s.find("X-Message-Id "), std::string::npos) << s;
    EXPECT_NE(s.find("one request for 24 messages"), std::string::npos) << s;
  }
  EXPECT_EQ(sent, static_cast<size_t>(kCustomers - 1));
}

TEST_F(SendgridE2E, ABatchRefusedForOneAddressIsSentOneByOne) {
  constexpr int kCustomers = 6;
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  const std::string p = pipeline(kKey);
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "messages_sent"), kCustomers - 1);
  EXPECT_EQ(summary_count(r.summary, "messages_dead"), 1);
  const std::map<std::string, int> got = accepted();
  EXPECT_EQ(got.size(), static_cast<size_t>(kCustomers - 1));
  EXPECT_EQ(got.count("u3@example.org"), 0u);
  EXPECT_EQ(server_.stat("requests"), 1 + kCustomers);  // the batch, then one each
  size_t dead = 0;
  for (const auto &[key, s] : message_statuses(p)) {
    if (!s.starts_with("dead|")) continue;
    ++dead;
    EXPECT_EQ(s,
              "dead|SendGrid 400: Does not contain a valid address. "
              "(personalizations.0.to.0.email)");
  }
  EXPECT_EQ(dead, 1u);
}

TEST_F(SendgridE2E, AWrongKeyStopsTheDestinationAndLosesNothing) {
  constexpr int kCustomers = 3;
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  RunOutcome wrong = run_pipeline(pipeline("SG.wrong-key-0123456789"));
  ASSERT_EQ(wrong.exit_code, 0) << wrong.err;
  EXPECT_EQ(summary_count(wrong.summary, "messages_sent"), 0);
  EXPECT_EQ(summary_count(wrong.summary, "messages_dead"), 0);
  EXPECT_NE(wrong.err.find("SendGrid 401"), std::string::npos) << wrong.err;
  EXPECT_EQ(server_.stat("requests"), 1);
  for (const auto &[key, s] : message_statuses(pipeline("SG.wrong-key-0123456789"), true)) {
    EXPECT_EQ(s.find("SG.wrong-key"), std::string::npos) << s;
  }
  RunOutcome right = run_pipeline(pipeline(kKey));
  ASSERT_EQ(right.exit_code, 0) << right.err;
  EXPECT_EQ(summary_count(right.summary, "messages_sent"), kCustomers);
  EXPECT_EQ(accepted().size(), static_cast<size_t>(kCustomers));
}

TEST_F(SendgridE2E, SignedEventsOnServeBecomeReportsAndOptOuts) {
  std::string events;
  for (int i = 0; i < 6; ++i) {
    if (i != 3) events += customers(i + 1).substr(customers(i).size());  // u3 is refused
  }
  write_file(dir_ / "events.jsonl", events);
  const std::string receiver = "http://127.0.0.1:" + std::to_string(test::unused_loopback_port());
  const std::string p = pipeline(kKey, receiver);
  run_until_delivered(p, 3);

  ServeProcess serve(p, dir_ / "serve.err");
  const std::string posted = post_events(receiver + "/sendgrid/events");
  EXPECT_NE(posted.find(R"("status": 200)"), std::string::npos) << posted;
  EXPECT_NE(posted.find(R"("events": 15)"), std::string::npos)
      << posted;  // 3 each, 2 for u1, 4 for u0
  EXPECT_EQ(serve.stop(), 0) << read_file(dir_ / "serve.err");

  std::map<std::string, std::string> receipts = message_receipts(p);
  ASSERT_EQ(receipts.size(), 5u);
  EXPECT_TRUE(receipts["u0@example.org"].starts_with("delivered: ")) << receipts["u0@example.org"];
  EXPECT_NE(receipts["u1@example.org"].find("bounced: "), std::string::npos);
  EXPECT_NE(receipts["u1@example.org"].find("bounce: bounce: 5.1.1: 550 5.1.1"), std::string::npos)
      << receipts["u1@example.org"];
  EXPECT_TRUE(receipts["u2@example.org"].starts_with("complained: ")) << receipts["u2@example.org"];
  EXPECT_TRUE(receipts["u4@example.org"].starts_with("delivered: ")) << receipts["u4@example.org"];
  EXPECT_TRUE(receipts["u5@example.org"].starts_with("delivered: ")) << receipts["u5@example.org"];
  EXPECT_NE(consent_show(p, "email", "u1@example.org").find(R"("reason":"bounce")"),
            std::string::npos);
  EXPECT_NE(consent_show(p, "email", "u2@example.org").find(R"("reason":"complaint")"),
            std::string::npos);
  const std::string unsubscribed = consent_show(p, "email", "u4@example.org");
  EXPECT_NE(unsubscribed.find(R"("reason":"unsubscribed_at_receiver")"), std::string::npos)
      << unsubscribed;
  EXPECT_NE(unsubscribed.find(R"("state":{"email":"opted_out"})"), std::string::npos);
  EXPECT_EQ(consent_show(p, "email", "u0@example.org").find("opted_out"), std::string::npos);
  CommandResult validate = run({halo_bin(), "validate", p});
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
}

// OAuth instead of a signature: SendGrid gets a token from the token URL
// halo answers (client credentials, HTTP Basic) and posts with it; a
// made-up token and a wrong client secret get nothing recorded.
TEST_F(SendgridE2E, OAuthTokensAuthenticateTheWebhookWithoutASignature) {
  write_file(dir_ / "events.jsonl", customers(3));  // u0 clicks, u1 bounces, u2 complains
  const std::string receiver = "http://127.0.0.1:" + std::to_string(test::unused_loopback_port());
  const std::string p = pipeline(kKey, receiver, /*as_source=*/false, /*oauth=*/true);
  run_until_delivered(p, 3);

  ServeProcess serve(p, dir_ / "serve.err");
  const std::string url = receiver + "/sendgrid/events";
  std::string forged;
  for (int i = 0; i < 200 && forged.find(R"("status": 401)") == std::string::npos; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    forged = server_.control("POST", "/__control/send-events",
                             R"({"url":")" + url + R"(","unsigned":true,"forge_token":true})");
  }
  EXPECT_NE(forged.find(R"("status": 401)"), std::string::npos)
      << forged << read_file(dir_ / "serve.err");
  auto oauth = [&](const std::string &secret) {
    return R"({"url":")" + url + R"(","unsigned":true,"oauth":{"client_id":")" + kClientId +
           R"(","client_secret":")" + secret + R"(","token_url":")" + receiver +
           R"(/sendgrid/token"}})";
  };
  const std::string wrong = server_.control("POST", "/__control/send-events", oauth("wrong"));
  EXPECT_NE(wrong.find(R"("token_status": 401)"), std::string::npos) << wrong;
  EXPECT_NE(wrong.find(R"("status": 0)"), std::string::npos) << wrong;
  const std::string posted =
      server_.control("POST", "/__control/send-events", oauth(kClientSecret));
  EXPECT_NE(posted.find(R"("token_status": 200)"), std::string::npos) << posted;
  EXPECT_NE(posted.find(R"("status": 200)"), std::string::npos) << posted;
  EXPECT_NE(posted.find(R"("events": 9)"), std::string::npos) << posted;  // 4, 2, 3
  EXPECT_EQ(serve.stop(), 0) << read_file(dir_ / "serve.err");

  std::map<std::string, std::string> receipts = message_receipts(p);
  ASSERT_EQ(receipts.size(), 3u);
  EXPECT_TRUE(receipts["u0@example.org"].starts_with("delivered: ")) << receipts["u0@example.org"];
  EXPECT_NE(receipts["u1@example.org"].find("bounced: "), std::string::npos);
  EXPECT_TRUE(receipts["u2@example.org"].starts_with("complained: ")) << receipts["u2@example.org"];
  CommandResult validate = run({halo_bin(), "validate", p});
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  // The secret is masked wherever halo shows the configuration.
  EXPECT_EQ(validate.out.find(kClientSecret), std::string::npos);
}

// An Event Webhook nobody authenticates is refused before anything runs,
// as are OAuth options given in part and a token URL on the webhook's path.
TEST_F(SendgridE2E, TheWebhookMustBeAuthenticatedAndItsOAuthOptionsComplete) {
  write_file(dir_ / "events.jsonl", customers(1));
  const std::string receiver = "http://127.0.0.1:" + std::to_string(test::unused_loopback_port());
  const std::string good = read_file(pipeline(kKey, receiver, false, /*oauth=*/true));
  auto without = [&](const std::string &option) {
    std::string text = good;
    const size_t at = text.find("      " + option + ":");
    text.erase(at, text.find('\n', at) + 1 - at);
    return text;
  };
  std::string same_path = good;
  same_path.replace(same_path.find("/sendgrid/token"), 15, "/sendgrid/events");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {without("event_webhook_oauth_client_secret"),
       "event_webhook_oauth_client_secret: is needed with the other"},
      {without("event_webhook_oauth_token_url"),
       "event_webhook_oauth_token_url: is needed with the other"},
      {without("event_webhook_oauth_client_id"), "event_webhook_oauth_client_id: is needed"},
      {same_path, "must have a path other than event_webhook_url's"}};
  for (const auto &[text, error] : cases) {
    write_file(dir_ / "pipeline.yaml", text);
    CommandResult validate = run({halo_bin(), "validate", dir_ / "pipeline.yaml"});
    EXPECT_EQ(validate.exit_code, 2) << text;
    EXPECT_NE(validate.err.find(error), std::string::npos) << validate.err;
  }
  std::string none = without("event_webhook_oauth_client_id");
  for (const char *o : {"event_webhook_oauth_client_secret", "event_webhook_oauth_token_url"}) {
    const size_t at = none.find(std::string("      ") + o + ":");
    none.erase(at, none.find('\n', at) + 1 - at);
  }
  write_file(dir_ / "pipeline.yaml", none);
  CommandResult validate = run({halo_bin(), "validate", dir_ / "pipeline.yaml"});
  EXPECT_EQ(validate.exit_code, 2);
  EXPECT_NE(validate.err.find("event_webhook_key: is needed with event_webhook_url unless OAuth"),
            std::string::npos)
      << validate.err;
}

// The `sendgrid` source on the same Event Webhook (a second webhook in
// SendGrid's settings): opens, clicks and deliveries become events the
// profile's features count; the bounce, the spam report and the
// unsubscribe reach the consent ledger as events.
TEST_F(SendgridE2E, TheSourceTurnsSignedEventsIntoProfileEvents) {
  std::string events;
  for (int i = 0; i < 6; ++i) {
    if (i != 3) events += customers(i + 1).substr(customers(i).size());  // u3 is refused
  }
  write_file(dir_ / "events.jsonl", events);
  const std::string receiver = "http://127.0.0.1:" + std::to_string(test::unused_loopback_port());
  const std::string p = pipeline(kKey, receiver, /*as_source=*/true);
  run_until_delivered(p, 3);

  ServeProcess serve(p, dir_ / "serve.err");
  const std::string posted = post_events(receiver + "/sendgrid/events");
  EXPECT_NE(posted.find(R"("status": 200)"), std::string::npos) << posted;
  EXPECT_NE(posted.find(R"("events": 15)"), std::string::npos) << posted;
  auto profile = [&](const std::string &user) {
    return run({halo_bin(), "profile", "get", p, "--id", "user_id=" + user}).out;
  };
  for (int i = 0; i < 200 && profile("u5").find(R"("opens":1)") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(serve.stop(), 0) << read_file(dir_ / "serve.err");

  const std::string u0 = profile("u0");
  EXPECT_NE(u0.find(R"("features":{"opens":1,"clicks":1,"delivered":1})"), std::string::npos) << u0;
  const std::string u5 = profile("u5");
  EXPECT_NE(u5.find(R"("features":{"opens":1,"clicks":0,"delivered":1})"), std::string::npos) << u5;
  for (const char *out : {"u1@example.org", "u2@example.org", "u4@example.org"}) {
    EXPECT_NE(consent_show(p, "email", out).find(R"("state":{"email":"opted_out"})"),
              std::string::npos)
        << out << ": " << consent_show(p, "email", out);
  }
  EXPECT_EQ(consent_show(p, "email", "u0@example.org").find("opted_out"), std::string::npos);
  // The destination does not answer this webhook here: no receipts.
  for (const auto &[to, receipt] : message_receipts(p)) EXPECT_EQ(receipt, "sent") << to;
}

}  // namespace
}  // namespace halo::e2e
