// smtp_e2e_test.cpp -- the real `halo` binary delivers outbox email
// through a real Postfix (postfix_server.h) with STARTTLS into a Maildir:
// every intended recipient gets exactly one message whose Persian subject,
// sender name and both parts decode to the rendered template; opted-out
// and address-less profiles get nothing and say why; a recipient the
// server refuses (554) is dead; a server that is down leaves messages to
// retry, and the next run delivers each once; a certificate nobody trusts
// stops the destination without losing a message.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>

#include "common/crypto.h"
#include "e2e_support.h"
#include "postfix_server.h"

namespace halo::e2e {
namespace {

using test::DeliveredMail;

// The text of the RFC 2047 encoded words (UTF-8, base64) in a header.
std::string decoded_words(const std::string &value) {
  std::string out;
  for (size_t at = 0; (at = value.find("=?UTF-8?B?", at)) != std::string::npos;) {
    const size_t end = value.find("?=", at + 10);
    if (end == std::string::npos) break;
    out += plugins::base64_decode(value.substr(at + 10, end - at - 10)).value_or("<bad>");
    at = end + 2;
  }
  return out;
}
using test::PostfixServer;

// n customers who start a checkout; 0 opted out of email, 1 has no email,
// 2 has an address at a domain the server refuses to relay to.
std::string customers(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    const std::string u = "u" + std::to_string(i);
    std::string traits = R"("first_name":"سارا )" + u + "\"";
    if (i == 2)
      traits += R"(,"email":")" + u + "@elsewhere.example\"";
    else if (i != 1)
      traits += R"(,"email":")" + u + "@example.org\"";
    if (i == 0) traits += R"(,"email_opt_out":true)";
    out += checkout_customer(u, traits);
  }
  return out;
}

class SmtpE2E : public ::testing::Test {
 protected:
  SmtpE2E() : server_(dir_ / "postfix") {}

  std::string pipeline(const std::string &tls_options) {
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
  - name: mail
    plugin: smtp
    retry: { max_attempts: 4, backoff: 0s }
    config:
      url: ")" + server_.url() +
                         R"("
      from: news@shop.example
      from_name: "فروشگاه هالو"
      )" + tls_options + R"(
triggers:
  - name: cart
    on: { event: Checkout Started }
    wait: 1h
    send:
      channel: email
      destination: mail
      template: cart
      variables: { first_name: traits.first_name }
templates:
  - name: cart
    subject: "{{first_name}}، سبد خرید شما منتظر است"
    text: "سلام {{first_name}}"
    html: "<p dir=\"rtl\">سلام <b>{{first_name}}</b></p>"
)");
    return path;
  }

  std::string trusted() { return "ca_file: \"" + server_.ca_file() + "\""; }

  // Delivered-To address -> messages.
  static std::map<std::string, std::vector<DeliveredMail>> by_recipient(
      const std::vector<DeliveredMail> &mail) {
    std::map<std::string, std::vector<DeliveredMail>> out;
    for (const DeliveredMail &m : mail) out[m.header("Delivered-To")].push_back(m);
    return out;
  }

  TempDir dir_;
  PostfixServer server_;
};

TEST_F(SmtpE2E, EveryRecipientGetsOneMessageThatDecodesToTheTemplate) {
  constexpr int kCustomers = 12;
  server_.start();
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  const std::string p = pipeline(trusted());
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "messages_sent"), kCustomers - 3);
  EXPECT_EQ(summary_count(r.summary, "messages_dead"), 1);

  const auto mail = by_recipient(server_.wait_for(kCustomers - 3));
  ASSERT_EQ(mail.size(), static_cast<size_t>(kCustomers - 3)) << server_.log();
  std::set<std::string> message_ids;
  for (int i = 3; i < kCustomers; ++i) {
    const std::string to = "u" + std::to_string(i) + "@example.org";
    ASSERT_EQ(mail.count(to), 1u) << to;
    ASSERT_EQ(mail.at(to).size(), 1u) << to << " got more than one message";
    const DeliveredMail &m = mail.at(to).front();
    message_ids.insert(m.header("Message-ID"));
    EXPECT_NE(m.header("Subject").find("=?UTF-8?B?"), std::string::npos);
    EXPECT_NE(m.header("From").find("<news@shop.example>"), std::string::npos);
    EXPECT_NE(m.header("Content-Type").find("multipart/alternative"), std::string::npos);
    EXPECT_EQ(decoded_words(m.header("Subject")),
              "سارا u" + std::to_string(i) + "، سبد خرید شما منتظر است");
    EXPECT_EQ(decoded_words(m.header("From")), "فروشگاه هالو");
    // Postfix's Received line: ESMTPS is SMTP over STARTTLS (RFC 3848).
    EXPECT_NE(m.header("Received").find("with ESMTPS"), std::string::npos) << m.text;
  }
  EXPECT_EQ(message_ids.size(), mail.size());
  EXPECT_EQ(mail.count("u0@example.org"), 0u);  // opted out

  const std::map<std::string, std::string> status = message_statuses(p);
  size_t sent = 0, opted_out = 0, no_address = 0, dead = 0;
  for (const auto &[key, s] : status) {
    sent += s.starts_with("sent|");
    opted_out += s == "suppressed|opted out of email (traits.email_opt_out)";
    no_address += s == "suppressed|the profile has no email for channel email";
    if (s.starts_with("dead|")) {
      ++dead;
      EXPECT_NE(s.find("554"), std::string::npos) << s;
    }
  }
  EXPECT_EQ(sent, static_cast<size_t>(kCustomers - 3));
  EXPECT_EQ(opted_out, 1u);
  EXPECT_EQ(no_address, 1u);
  EXPECT_EQ(dead, 1u);

  // A later run sends nothing again.
  RunOutcome again = run_pipeline(p);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(summary_count(again.summary, "messages_sent"), 0);
  EXPECT_EQ(server_.delivered().size(), static_cast<size_t>(kCustomers - 3));
}

TEST_F(SmtpE2E, AServerThatIsDownGetsEveryMessageOnceWhenItIsBack) {
  constexpr int kCustomers = 8;
  server_.start();
  server_.stop();  // the port is known, nobody listens
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  const std::string p = pipeline(trusted());
  RunOutcome down = run_pipeline(p);
  ASSERT_EQ(down.exit_code, 0) << down.err;
  EXPECT_EQ(summary_count(down.summary, "messages_sent"), 0);
  EXPECT_EQ(summary_count(down.summary, "messages_retrying"), kCustomers - 2);

  server_.start();
  RunOutcome up = run_pipeline(p);
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(summary_count(up.summary, "messages_sent"), kCustomers - 3) << up.summary << up.err;
  EXPECT_EQ(summary_count(up.summary, "messages_dead"), 1);
  const auto mail = by_recipient(server_.wait_for(kCustomers - 3));
  EXPECT_EQ(mail.size(), static_cast<size_t>(kCustomers - 3)) << server_.log();
  for (const auto &[to, list] : mail) EXPECT_EQ(list.size(), 1u) << to;
}

TEST_F(SmtpE2E, AnUntrustedCertificateStopsTheDestinationAndLosesNothing) {
  constexpr int kCustomers = 5;
  server_.start();
  write_file(dir_ / "events.jsonl", customers(kCustomers));
  RunOutcome untrusted = run_pipeline(pipeline(""));
  ASSERT_EQ(untrusted.exit_code, 0) << untrusted.err;
  EXPECT_EQ(summary_count(untrusted.summary, "messages_sent"), 0);
  EXPECT_NE(untrusted.err.find("smtp: "), std::string::npos) << untrusted.err;
  EXPECT_TRUE(server_.delivered().empty());

  RunOutcome fixed = run_pipeline(pipeline(trusted()));
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(summary_count(fixed.summary, "messages_sent"), kCustomers - 3);
  EXPECT_EQ(server_.wait_for(kCustomers - 3).size(), static_cast<size_t>(kCustomers - 3));
}

}  // namespace
}  // namespace halo::e2e
