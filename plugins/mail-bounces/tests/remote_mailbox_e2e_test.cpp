// remote_mailbox_e2e_test.cpp -- the real `halo` binary reading a bounce
// mailbox on a real Dovecot (dovecot_server.h) over IMAP with STARTTLS and
// over POP3 with TLS: each mail is read once, later mail at the next run,
// nothing is deleted on the server, a mailbox whose UIDVALIDITY changed is
// read again (its events duplicates), and set-up errors fail the source
// by name without showing the password.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "dovecot_server.h"
#include "e2e_support.h"

namespace halo::e2e {
namespace {

using test::DovecotServer;

// A DSN (RFC 3464) for one failed recipient, as a relay writes it.
std::string bounce(const std::string &id, const std::string &recipient) {
  return "From: MAILER-DAEMON@relay.example\r\nMessage-ID: <" + id +
         "@relay.example>\r\nDate: Wed, 02 Dec 2026 08:00:00 +0000\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
         "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
         "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
         "Reporting-MTA: dns; relay.example\r\n\r\nFinal-Recipient: rfc822; " +
         recipient +
         "\r\nAction: failed\r\nStatus: 5.1.1\r\n"
         "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n\r\n--B--\r\n";
}

constexpr const char *kJunk =
    "From: someone@example.org\r\nSubject: Out of office\r\n\r\nAway.\r\n";

// A pipeline reading the mailbox at `url`, its password from the
// environment (run_with).
std::string pipeline(const DovecotServer &server, const std::string &url) {
  return "version: 1\nstore: { kind: sqlite, path: halo.db }\n"
         "identity:\n  resolver: deterministic\n  identifiers:\n"
         "    - { type: email, priority: 1 }\n"
         "sources:\n  - name: bounces\n    plugin: mail-bounces\n    config:\n"
         "      url: \"" +
         url + "\"\n      username: " + DovecotServer::kUser +
         "\n      password: \"${MAILBOX_PASSWORD}\"\n      ca_file: " + server.ca_file() + "\n";
}

// True when the consent ledger has the address opted out of email.
bool opted_out(const std::string &p, const std::string &email) {
  CommandResult c = run({halo_bin(), "consent", "show", p, "--email", email});
  return (c.out + c.err).find(email + " email: opted out") != std::string::npos;
}

RunOutcome run_with(const std::string &p, const std::string &password) {
  return run_pipeline(p, {{"MAILBOX_PASSWORD", password}});
}

class RemoteMailboxTest : public ::testing::Test {
 protected:
  RemoteMailboxTest() : server_(dir_ / "dovecot") {}
  void SetUp() override {
    server_.start();
    // For the commands that read the pipeline (consent, deadletters).
    ::setenv("MAILBOX_PASSWORD", DovecotServer::kPassword, 1);
  }
  std::string write_pipeline(const std::string &url) {
    const std::string p = dir_ / "p.yaml";
    write_file(p, pipeline(server_, url));
    return p;
  }
  TempDir dir_;
  DovecotServer server_;
};

TEST_F(RemoteMailboxTest, ImapReadsEachMailOnceAndARenumberedMailboxAgain) {
  server_.deliver(bounce("r1", "gone@example.org"));
  server_.deliver(kJunk);
  server_.deliver(bounce("r2", "left@example.org"));
  const std::string p = write_pipeline(server_.imap_url() + "/INBOX");

  RunOutcome first = run_with(p, DovecotServer::kPassword);
  ASSERT_EQ(first.exit_code, 0) << first.err << server_.log();
  EXPECT_EQ(summary_count(first.summary, "accepted"), 2);
  EXPECT_EQ(summary_count(first.summary, "rejected"), 1);  // the out-of-office reply
  EXPECT_TRUE(opted_out(p, "gone@example.org"));
  CommandResult dead = run({halo_bin(), "deadletters", p});
  EXPECT_NE(dead.out.find("/INBOX;UIDVALIDITY="), std::string::npos) << dead.out;

  RunOutcome again = run_with(p, DovecotServer::kPassword);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(summary_count(again.summary, "records_read"), 0);

  server_.deliver(bounce("r3", "late@example.org"));
  RunOutcome later = run_with(p, DovecotServer::kPassword);
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(summary_count(later.summary, "accepted"), 1);
  EXPECT_TRUE(opted_out(p, "late@example.org"));
  EXPECT_EQ(server_.stored(), 4u);  // read, never deleted

  // A recreated mailbox numbers its mail anew: read again, every event a
  // duplicate by message id (the out-of-office reply is a dead letter again).
  server_.stop();
  server_.renumber();
  server_.start();
  RunOutcome renumbered = run_with(p, DovecotServer::kPassword);
  ASSERT_EQ(renumbered.exit_code, 0) << renumbered.err << server_.log();
  EXPECT_EQ(summary_count(renumbered.summary, "accepted"), 0);
  EXPECT_EQ(summary_count(renumbered.summary, "duplicates"), 3);
}

TEST_F(RemoteMailboxTest, Pop3ReadsEachMailOnce) {
  server_.deliver(bounce("p1", "gone@example.org"));
  const std::string p = write_pipeline(server_.pop3s_url());
  RunOutcome first = run_with(p, DovecotServer::kPassword);
  ASSERT_EQ(first.exit_code, 0) << first.err << server_.log();
  EXPECT_EQ(summary_count(first.summary, "accepted"), 1);
  RunOutcome again = run_with(p, DovecotServer::kPassword);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(summary_count(again.summary, "records_read"), 0);
  server_.deliver(bounce("p2", "late@example.org"));
  server_.deliver(kJunk);
  RunOutcome later = run_with(p, DovecotServer::kPassword);
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(summary_count(later.summary, "accepted"), 1);
  EXPECT_EQ(summary_count(later.summary, "rejected"), 1);
  EXPECT_TRUE(opted_out(p, "late@example.org"));
  EXPECT_EQ(server_.stored(), 3u);
}

TEST_F(RemoteMailboxTest, SetUpErrorsFailTheSourceByName) {
  server_.deliver(bounce("e1", "gone@example.org"));
  const std::string p = write_pipeline(server_.imap_url() + "/INBOX");
  RunOutcome refused = run_with(p, "not-the-password");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("source 'bounces'"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("STATUS on " + server_.imap_url()), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("not-the-password"), std::string::npos) << refused.err;

  // A mailbox that does not exist is a set-up error too.
  write_file(p, pipeline(server_, server_.imap_url() + "/Nowhere"));
  RunOutcome missing = run_with(p, DovecotServer::kPassword);
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("STATUS"), std::string::npos) << missing.err;

  // `halo validate` refuses what no run could use.
  auto validate_error = [&](const std::string &config) {
    write_file(p,
               "version: 1\nstore: { kind: sqlite, path: halo.db }\n"
               "identity:\n  resolver: deterministic\n  identifiers:\n"
               "    - { type: email, priority: 1 }\n"
               "sources:\n  - { name: bounces, plugin: mail-bounces, config: " +
                   config + " }\n");
    CommandResult c = run({halo_bin(), "validate", p});
    EXPECT_NE(c.exit_code, 0) << config;
    return c.err;
  };
  EXPECT_NE(validate_error("{ path: box, url: \"imaps://127.0.0.1/INBOX\" }").find("exactly one"),
            std::string::npos);
  EXPECT_NE(validate_error("{}").find("exactly one"), std::string::npos);
  EXPECT_NE(validate_error("{ url: \"https://127.0.0.1/INBOX\" }").find("imaps://"),
            std::string::npos);
  EXPECT_NE(validate_error("{ url: \"pop3s://127.0.0.1/INBOX\" }").find("server only"),
            std::string::npos);
  EXPECT_NE(validate_error("{ url: \"imaps://127.0.0.1/a%22b\" }").find("quote"),
            std::string::npos);
  EXPECT_NE(validate_error("{ url: \"imaps://bounces:pw@127.0.0.1/INBOX\" }").find("username"),
            std::string::npos);
}

}  // namespace
}  // namespace halo::e2e
