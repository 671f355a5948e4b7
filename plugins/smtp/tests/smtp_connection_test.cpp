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

#include "e2e_support.h"
#include "http/smtp_client.h"
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

}  // namespace
}  // namespace halo
