// smtp_connection_test.cpp -- the kernel's kept SMTP connection
// (http/smtp_client.h) against a real Postfix on loopback with STARTTLS:
// messages after the first go over the same connection (Postfix logs each
// session's commands when it ends), and a connection the server dropped --
// Postfix stopped and started again between two messages -- costs no
// message: the next one goes over a new connection.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "e2e_support.h"
#include "http/smtp_client.h"
#include "plugin_host/host_api.h"
#include "plugin_host/host_api_smtp.h"
#include "postfix_server.h"

namespace halo {
namespace {

using test::PostfixServer;

// The SMTP sessions that carried mail, as Postfix's smtpd logs them when
// the client leaves ("disconnect from ... mail=5 ..."; the server's own
// readiness probe sends no command), once the logged sessions account for
// `messages` MAIL commands: smtpd may log a session's end just after its
// last message is delivered.
size_t mail_sessions(const PostfixServer &server, size_t messages) {
  size_t sessions = 0;
  for (int attempt = 0; attempt < 200; ++attempt) {
    const std::string log = server.log();
    size_t mails = 0;
    sessions = 0;
    for (size_t at = 0; (at = log.find("disconnect from ", at)) != std::string::npos; ++at) {
      const std::string line = log.substr(at, log.find('\n', at) - at);
      const size_t mail = line.find(" mail=");
      if (mail == std::string::npos) continue;
      ++sessions;
      mails += std::stoul(line.substr(mail + 6));
    }
    if (mails >= messages) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return sessions;
}

class SmtpConnectionTest : public ::testing::Test {
 protected:
  SmtpConnectionTest() : server_(dir_ / "postfix") {}
  void SetUp() override { server_.start(); }

  SmtpCall message(int i) const {
    SmtpCall call;
    call.url = server_.url();
    call.ca_file = server_.ca_file();
    call.timeout_ms = 20000;
    call.mail_from = "news@shop.example";
    call.recipients = {"sara" + std::to_string(i) + "@example.org"};
    call.data = "Subject: message " + std::to_string(i) + "\r\n\r\nbody\r\n";
    return call;
  }

  e2e::TempDir dir_;
  PostfixServer server_;
  const std::function<bool()> never = [] { return false; };
};

TEST_F(SmtpConnectionTest, MessagesAfterTheFirstGoOverTheSameConnection) {
  {
    SmtpConnection connection;
    for (int i = 0; i < 5; ++i) {
      const SmtpOutcome out = connection.send(message(i), never);
      ASSERT_EQ(out.kind, SmtpOutcome::Kind::kAccepted) << out.reply << "\n" << server_.log();
      EXPECT_EQ(out.reply_code, 250);
    }
    EXPECT_EQ(connection.connections(), 1u);
  }  // QUIT
  EXPECT_EQ(server_.wait_for(5).size(), 5u) << server_.log();
  EXPECT_EQ(mail_sessions(server_, 5), 1u) << server_.log();

  // send_smtp opens a connection per message.
  for (int i = 5; i < 7; ++i) {
    ASSERT_EQ(send_smtp(message(i), never).kind, SmtpOutcome::Kind::kAccepted) << server_.log();
  }
  EXPECT_EQ(server_.wait_for(7).size(), 7u);
  EXPECT_EQ(mail_sessions(server_, 7), 3u) << server_.log();
}

TEST_F(SmtpConnectionTest, AConnectionTheServerDroppedCostsNoMessage) {
  SmtpConnection connection;
  ASSERT_EQ(connection.send(message(0), never).kind, SmtpOutcome::Kind::kAccepted) << server_.log();
  server_.stop();  // the kept connection is closed under it
  server_.start();
  const SmtpOutcome out = connection.send(message(1), never);
  ASSERT_EQ(out.kind, SmtpOutcome::Kind::kAccepted) << out.reply << "\n" << server_.log();
  EXPECT_EQ(connection.connections(), 2u);
  EXPECT_EQ(server_.wait_for(2).size(), 2u) << server_.log();
}

// The host's smtp_send_many: every message as smtp_send would send it, up
// to the instance's concurrency sessions at once, a malformed request
// failing alone, the sessions' connections kept for the next call.
TEST_F(SmtpConnectionTest, SendManyRunsSessionsAtOnceOnConnectionsItKeeps) {
  constexpr size_t kReplyCap = 256;
  std::vector<std::string> recipients, bodies;
  auto call_with = [&](halo_context &ctx, size_t n, size_t first) {
    std::vector<halo_smtp_request> requests(n);
    std::vector<const char *> to(n);
    for (size_t i = 0; i < n; ++i) {
      recipients.push_back("many" + std::to_string(first + i) + "@example.org");
      bodies.push_back("Subject: many " + std::to_string(first + i) + "\r\n\r\nbody\r\n");
    }
    const std::string url = server_.url(), ca = server_.ca_file();
    std::vector<const halo_smtp_request *> pointers;
    for (size_t i = 0; i < n; ++i) {
      to[i] = recipients[first + i].c_str();
      halo_smtp_request &r = requests[i];
      r.struct_size = sizeof r;
      r.url = url.c_str();
      r.ca_file = ca.c_str();
      r.mail_from = i == 4 ? "not an address" : "news@shop.example";
      r.recipients = &to[i];
      r.recipient_count = 1;
      r.data = bodies[first + i].data();
      r.data_len = bodies[first + i].size();
      pointers.push_back(i == 7 ? nullptr : &r);
    }
    std::vector<int32_t> results(n, -1), codes(n, -1);
    std::vector<char> replies(n * kReplyCap, 'x');
    host_smtp_send_many(&ctx, pointers.data(), n, results.data(), codes.data(), replies.data(),
                        kReplyCap);
    std::vector<std::string> texts;
    for (size_t i = 0; i < n; ++i) texts.emplace_back(replies.data() + i * kReplyCap);
    return std::make_pair(results, texts);
  };
  size_t sent = 0, sessions = 0;
  {
    halo_context ctx;
    ctx.http_concurrency = 3;
    auto [results, texts] = call_with(ctx, 10, 0);
    for (size_t i = 0; i < 10; ++i) {
      if (i == 4) {
        EXPECT_EQ(results[i], HALO_FATAL);
        EXPECT_NE(texts[i].find("mail_from"), std::string::npos) << texts[i];
      } else if (i == 7) {
        EXPECT_EQ(results[i], HALO_FATAL);
        EXPECT_NE(texts[i].find("NULL"), std::string::npos) << texts[i];
      } else {
        EXPECT_EQ(results[i], HALO_OK) << i << ": " << texts[i] << "\n" << server_.log();
        EXPECT_NE(texts[i].find("250"), std::string::npos) << texts[i];
        ++sent;
      }
    }
    // Up to three sessions at once (each worker takes its first message at
    // once, and a new session takes ~75 ms here, so more than one ran).
    const double opened = ctx.metrics.values["smtp.connections"];
    EXPECT_GE(opened, 2.0);
    EXPECT_LE(opened, 3.0);
    auto [again, again_texts] = call_with(ctx, 3, 10);  // all well formed
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(again[i], HALO_OK) << again_texts[i];
    sent += 3;
    // Kept: at most the three sessions' connections in all.
    const double total = ctx.metrics.values["smtp.connections"];
    EXPECT_LE(total, 3.0);
    EXPECT_EQ(ctx.metrics.values["smtp.messages"], 11.0);
    sessions = static_cast<size_t>(total);
  }  // the context closes its connections (QUIT)
  EXPECT_EQ(server_.wait_for(sent).size(), sent) << server_.log();
  EXPECT_EQ(mail_sessions(server_, sent), sessions) << server_.log();
}

}  // namespace
}  // namespace halo
