// consent_e2e_test.cpp -- the consent ledger end to end (docs/consent.md):
// the real `halo` binary mails through a real Postfix; the signed link in
// each message's List-Unsubscribe is answered by `halo serve` (a GET only
// asks, a forged token is refused, the one-click POST records the opt-out);
// a hard bounce (550 5.1.1) is recorded too; the next messages to both
// addresses are suppressed with the ledger's reason while the others go
// out. A bounce the server mails back after accepting a message, read by
// the `mail-bounces` source from the sender's mailbox, stops the next
// message to that address as well.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "common/crypto.h"
#include "e2e_support.h"
#include "loopback_port.h"
#include "postfix_server.h"

namespace halo::e2e {
namespace {

using namespace std::chrono_literals;
using test::PostfixServer;

constexpr const char *kSecret = "a-test-secret-of-32-characters!!";

struct HttpAnswer {
  long status = 0;
  std::string body;
};

size_t append(char *data, size_t size, size_t n, void *out) {
  static_cast<std::string *>(out)->append(data, size * n);
  return size * n;
}

// One request over libcurl; status 0 when no answer came.
HttpAnswer http(const std::string &method, const std::string &url, const std::string &body = "") {
  HttpAnswer a;
  CURL *c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  }
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &a.body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
  curl_easy_cleanup(c);
  return a;
}

// Retries a GET until the server answers (serve is starting), up to 20 s.
HttpAnswer get_when_up(const std::string &url) {
  HttpAnswer a;
  for (int i = 0; i < 200 && a.status == 0; ++i) {
    a = http("GET", url);
    if (a.status == 0) std::this_thread::sleep_for(100ms);
  }
  return a;
}

std::string checkout(const std::string &user, const std::string &email, int n,
                     const std::string &at) {
  return R"({"type":"identify","userId":")" + user + R"(","messageId":"i-)" + user + "-" +
         std::to_string(n) + R"(","timestamp":")" + at + R"(","traits":{"email":")" + email +
         R"("}})" + "\n" + R"({"type":"track","event":"Checkout Started","userId":")" + user +
         R"(","messageId":"c-)" + user + "-" + std::to_string(n) + R"(","timestamp":")" + at +
         R"("})" + "\n";
}

// The messages of pipeline `p` suppressed because the consent ledger says
// their address opted out of email.
size_t suppressed_by_ledger(const std::string &p) {
  size_t n = 0;
  for (const auto &[key, s] : message_statuses(p)) {
    n += s.starts_with("suppressed|opted out of email (consent ledger: ");
  }
  return n;
}

// An email an hour after each Checkout Started, through destination
// `mail`, saying `text`.
std::string cart_trigger(const std::string &text) {
  return R"(triggers:
  - name: cart
    on: { event: Checkout Started }
    wait: 1h
    send: { channel: email, destination: mail, template: cart }
templates:
  - { name: cart, subject: "Your cart", text: ")" +
         text + "\" }\n";
}

class ConsentE2E : public ::testing::Test {
 protected:
  ConsentE2E() : server_(dir_ / "postfix") {}

  std::string pipeline(const std::string &as_of) {
    const std::string path = dir_ / "pipeline.yaml";
    write_file(path, R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: ")" + as_of +
                         R"(" }
http: { listen: "127.0.0.1:)" +
                         std::to_string(port_) + R"(" }
consent:
  unsubscribe:
    url: "http://127.0.0.1:)" +
                         std::to_string(port_) +
                         R"(/unsubscribe"
    secret: ")" + kSecret +
                         R"("
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
    config: { url: ")" + server_.url() +
                         R"(", from: news@shop.example, ca_file: ")" + server_.ca_file() + R"(" }
)" + cart_trigger("Leave: {{unsubscribe_url}}"));
    return path;
  }

  // The List-Unsubscribe link of the one message delivered to `to`.
  std::string link_for(const std::string &to) {
    for (const test::DeliveredMail &m : server_.delivered()) {
      if (m.header("Delivered-To") != to) continue;
      const std::string h = m.header("List-Unsubscribe");
      const size_t open = h.find('<'), close = h.find('>');
      if (open != std::string::npos && close != std::string::npos) {
        return h.substr(open + 1, close - open - 1);
      }
    }
    return "";
  }

  // The decoded text of the one-part (base64) message delivered to `to`.
  std::string body_for(const std::string &to) {
    for (const test::DeliveredMail &m : server_.delivered()) {
      if (m.header("Delivered-To") != to) continue;
      size_t start = m.text.find("\n\n");
      if (start == std::string::npos) return "";
      std::string b64;
      for (char c : m.text.substr(start)) {
        if (c != '\r' && c != '\n') b64 += c;
      }
      return plugins::base64_decode(b64).value_or("<not base64>");
    }
    return "";
  }

  std::string consent_state(const std::string &p, const std::string &email) {
    CommandResult r = run({halo_bin(), "consent", "show", p, "--email", email, "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  TempDir dir_;
  PostfixServer server_;
  int port_ = test::unused_loopback_port();
};

TEST_F(ConsentE2E, UnsubscribeLinksAndBouncesStopTheNextMessages) {
  server_.add_unknown_user("gone@example.org");
  server_.start();
  write_file(dir_ / "events.jsonl",
             checkout("sara", "sara@example.org", 1, "2026-01-05T10:00:00Z") +
                 checkout("sam", "sam@example.org", 1, "2026-01-05T10:00:00Z") +
                 checkout("gone", "gone@example.org", 1, "2026-01-05T10:00:00Z"));
  std::string p = pipeline("2026-01-05T12:00:00Z");
  RunOutcome first = run_pipeline(p);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(summary_count(first.summary, "messages_sent"), 2);
  EXPECT_EQ(summary_count(first.summary, "messages_dead"), 1);
  ASSERT_EQ(server_.wait_for(2).size(), 2u) << server_.log();
  const std::string link = link_for("sara@example.org");
  ASSERT_TRUE(link.starts_with("http://127.0.0.1:" + std::to_string(port_) + "/unsubscribe?m="))
      << link;
  EXPECT_EQ(body_for("sara@example.org"), "Leave: " + link);  // {{unsubscribe_url}}
  // The bounce is in the ledger, with Postfix's answer as proof.
  std::string statuses;
  for (const auto &[key, s] : message_statuses(p, true)) statuses += key + " " + s + "\n";
  const std::string gone = consent_state(p, "gone@example.org") + statuses;
  EXPECT_NE(gone.find(R"("state":{"email":"opted_out"})"), std::string::npos) << gone;
  EXPECT_NE(gone.find(R"("reason":"bounce")"), std::string::npos) << gone;
  EXPECT_NE(gone.find("5.1.1"), std::string::npos) << gone;

  ServeProcess serve(p, dir_ / "serve.err");
  const HttpAnswer page = get_when_up(link);
  EXPECT_EQ(page.status, 200) << page.body << read_file(dir_ / "serve.err");
  EXPECT_NE(page.body.find("s***@example.org"), std::string::npos) << page.body;
  std::string forged = link;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(http("POST", forged, "List-Unsubscribe=One-Click").status, 403);
  const std::string sam_link = link_for("sam@example.org");
  // Sara's token does not unsubscribe Sam's message.
  const std::string crossed =
      sam_link.substr(0, sam_link.find("&t=")) + link.substr(link.find("&t="));
  EXPECT_EQ(http("POST", crossed, "List-Unsubscribe=One-Click").status, 403);
  const HttpAnswer done = http("POST", link, "List-Unsubscribe=One-Click");
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(serve.stop(), 0) << read_file(dir_ / "serve.err");

  const std::string sara = consent_state(p, "sara@example.org");
  EXPECT_NE(sara.find(R"("state":{"email":"opted_out"})"), std::string::npos) << sara;
  EXPECT_NE(sara.find(R"x("source":"halo serve (one-click unsubscribe)")x"), std::string::npos)
      << sara;
  EXPECT_NE(consent_state(p, "sam@example.org").find(R"("records":[])"), std::string::npos);

  // A day later all three start a checkout again: only Sam is mailed.
  write_file(dir_ / "events.jsonl",
             read_file(dir_ / "events.jsonl") +
                 checkout("sara", "sara@example.org", 2, "2026-01-06T10:00:00Z") +
                 checkout("sam", "sam@example.org", 2, "2026-01-06T10:00:00Z") +
                 checkout("gone", "gone@example.org", 2, "2026-01-06T10:00:00Z"));
  p = pipeline("2026-01-06T12:00:00Z");
  RunOutcome second = run_pipeline(p);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(summary_count(second.summary, "messages_sent"), 1) << second.summary;
  EXPECT_EQ(server_.wait_for(3).size(), 3u);
  EXPECT_EQ(suppressed_by_ledger(p), 2u);
  // An operator's opt-in lets Sara's messages through again.
  CommandResult in = run({halo_bin(), "consent", "set", p, "--email", "SARA@example.org",
                          "--opt-in", "--proof", "ticket 42"});
  EXPECT_EQ(in.exit_code, 0) << in.err;
  EXPECT_EQ(in.out, "sara@example.org opted in to email\n");
}

TEST(BounceMailbox, ABounceMailedBackStopsTheNextMessage) {
  TempDir dir;
  // Every domain is local, the sender's too: the bounce Postfix mails to
  // news@shop.example lands in the one Maildir, beside what it delivered.
  PostfixServer server(dir / "postfix", {"*"});
  server.add_later_bounce("moved@example.org");
  server.start();
  auto pipeline = [&](const std::string &as_of) {
    write_file(dir / "p.yaml", R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: ")" + as_of + R"(" }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: email, priority: 2, max_per_profile: 3 }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
  - { name: bounces, plugin: mail-bounces, config: { path: postfix/maildir } }
destinations:
  - name: mail
    plugin: smtp
    config: { url: ")" + server.url() +
                                   R"(", from: news@shop.example, ca_file: ")" + server.ca_file() +
                                   R"(" }
)" + cart_trigger("Still there."));
    return dir / "p.yaml";
  };
  write_file(dir / "events.jsonl",
             checkout("sara", "sara@example.org", 1, "2026-01-05T10:00:00Z") +
                 checkout("moved", "moved@example.org", 1, "2026-01-05T10:00:00Z"));
  std::string p = pipeline("2026-01-05T12:00:00Z");
  RunOutcome first = run_pipeline(p);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(summary_count(first.summary, "messages_sent"), 2);  // the server took both
  // Sara's message, and the bounce of Moved's.
  std::vector<test::DeliveredMail> mail = server.wait_for(2);
  ASSERT_EQ(mail.size(), 2u) << server.log();

  write_file(dir / "events.jsonl",
             read_file(dir / "events.jsonl") +
                 checkout("sara", "sara@example.org", 2, "2026-01-06T10:00:00Z") +
                 checkout("moved", "moved@example.org", 2, "2026-01-06T10:00:00Z"));
  p = pipeline("2026-01-06T12:00:00Z");
  RunOutcome second = run_pipeline(p);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(summary_count(second.summary, "consent_events"), 1) << second.summary;
  EXPECT_EQ(summary_count(second.summary, "rejected"), 1);  // Sara's message: not a report
  EXPECT_EQ(summary_count(second.summary, "messages_sent"), 1) << second.summary;
  CommandResult moved = run({halo_bin(), "consent", "show", p, "--email", "moved@example.org"});
  EXPECT_NE(moved.out.find("moved@example.org email: opted out"), std::string::npos) << moved.out;
  EXPECT_NE(moved.out.find("event: Email Bounced  source bounces"), std::string::npos) << moved.out;
  EXPECT_NE(moved.out.find("Mailbox does not exist"), std::string::npos) << moved.out;
  EXPECT_EQ(suppressed_by_ledger(p), 1u);
}

}  // namespace
}  // namespace halo::e2e
