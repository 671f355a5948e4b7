// mailbox_client_test.cpp -- the kernel's mailbox client
// (http/mailbox_client.h) and the host's mailbox_request (plugin.h) against
// a real Dovecot on loopback: IMAP with STARTTLS, POP3 over TLS, every
// outcome the header promises, and requests after the first going over the
// same connection.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "dovecot_server.h"
#include "e2e_support.h"
#include "http/mailbox_client.h"
#include "loopback_port.h"
#include "plugin_host/host_api.h"
#include "plugin_host/host_api_http.h"
#include "plugin_host/host_api_mailbox.h"

namespace halo {
namespace {

using Kind = MailboxOutcome::Kind;
using test::DovecotServer;

const std::string kMail =
    "From: MAILER-DAEMON@relay.example\r\nSubject: one\r\n\r\nline\r\n.dot\r\n";

class MailboxClientTest : public ::testing::Test {
 protected:
  MailboxClientTest() : server_(dir_ / "dovecot") {}
  void SetUp() override {
    server_.start();
    server_.deliver(kMail);
  }
  MailboxCall call(const std::string &url, const std::string &command = "") const {
    MailboxCall c;
    c.url = url;
    c.username = DovecotServer::kUser;
    c.password = DovecotServer::kPassword;
    c.ca_file = server_.ca_file();
    c.command = command;
    c.max_bytes = 1 << 20;
    return c;
  }
  MailboxOutcome ask(const MailboxCall &c) {
    return connection_.request(c, [] { return false; });
  }
  e2e::TempDir dir_;
  DovecotServer server_;
  MailboxConnection connection_;
};

TEST_F(MailboxClientTest, ImapAnswersCommandsAndReturnsAMessageByUid) {
  MailboxOutcome status = ask(call(server_.imap_url() + "/", "STATUS \"INBOX\" (UIDVALIDITY)"));
  ASSERT_EQ(status.kind, Kind::kAnswered) << status.text;
  const size_t at = status.text.find("UIDVALIDITY ");
  ASSERT_NE(at, std::string::npos) << status.text;
  const std::string validity = std::to_string(std::stoul(status.text.substr(at + 12)));
  MailboxOutcome sizes =
      ask(call(server_.imap_url() + "/INBOX", "UID FETCH 1:* (UID RFC822.SIZE)"));
  ASSERT_EQ(sizes.kind, Kind::kAnswered) << sizes.text;
  EXPECT_NE(sizes.text.find("RFC822.SIZE " + std::to_string(kMail.size())), std::string::npos)
      << sizes.text;
  MailboxOutcome mail =
      ask(call(server_.imap_url() + "/INBOX;UIDVALIDITY=" + validity + "/;UID=1"));
  ASSERT_EQ(mail.kind, Kind::kAnswered) << mail.text;
  EXPECT_EQ(mail.text, kMail);
  EXPECT_EQ(connection_.connections(), 1u);  // one login for all three

  // Not there: another UID, another UIDVALIDITY; refused: a bad command,
  // an answer over max_bytes.
  EXPECT_EQ(ask(call(server_.imap_url() + "/INBOX/;UID=9")).kind, Kind::kRefused);
  EXPECT_EQ(ask(call(server_.imap_url() + "/INBOX;UIDVALIDITY=1/;UID=1")).kind, Kind::kRefused);
  EXPECT_EQ(ask(call(server_.imap_url() + "/INBOX", "NONSENSE 1")).kind, Kind::kRefused);
  MailboxCall small = call(server_.imap_url() + "/INBOX;UIDVALIDITY=" + validity + "/;UID=1");
  small.max_bytes = 10;
  MailboxOutcome large = ask(small);
  EXPECT_EQ(large.kind, Kind::kRefused);
  EXPECT_NE(large.text.find("larger than 10 bytes"), std::string::npos) << large.text;
}

TEST_F(MailboxClientTest, Pop3ListsAndReturnsAMessage) {
  MailboxOutcome uidl = ask(call(server_.pop3s_url() + "/", "UIDL"));
  ASSERT_EQ(uidl.kind, Kind::kAnswered) << uidl.text;
  EXPECT_TRUE(uidl.text.starts_with("1 ")) << uidl.text;
  MailboxOutcome mail = ask(call(server_.pop3s_url() + "/1"));
  ASSERT_EQ(mail.kind, Kind::kAnswered) << mail.text;
  EXPECT_EQ(mail.text, kMail);  // dot-stuffing undone
  EXPECT_EQ(ask(call(server_.pop3s_url() + "/7")).kind, Kind::kRefused);
}

TEST_F(MailboxClientTest, SetUpFailuresAreFatalAndAnAbsentServerTransient) {
  MailboxCall wrong = call(server_.imap_url() + "/", "STATUS \"INBOX\" (UIDVALIDITY)");
  wrong.password = "not-it";
  MailboxOutcome login = ask(wrong);
  EXPECT_EQ(login.kind, Kind::kFatal);
  EXPECT_EQ(login.text.find("not-it"), std::string::npos) << login.text;
  MailboxCall untrusted = call(server_.imap_url() + "/", "STATUS \"INBOX\" (UIDVALIDITY)");
  untrusted.ca_file.clear();  // the test CA is not a system CA
  EXPECT_EQ(ask(untrusted).kind, Kind::kFatal);
  EXPECT_EQ(ask(call(server_.imap_url() + "/Nowhere", "UID FETCH 1:* (UID)")).kind, Kind::kFatal);
  EXPECT_EQ(ask(call("http://127.0.0.1/")).kind, Kind::kFatal);
  EXPECT_EQ(ask(call(server_.imap_url() + "/", "NOOP\r\nLOGOUT")).kind, Kind::kFatal);
  MailboxConnection fresh;
  MailboxOutcome absent = fresh.request(
      call("imap://127.0.0.1:" + std::to_string(test::unused_loopback_port()) + "/", "NOOP"),
      [] { return false; });
  EXPECT_EQ(absent.kind, Kind::kTransient) << absent.text;
}

TEST_F(MailboxClientTest, TheHostFunctionKeepsItsContract) {
  halo_context ctx;
  halo_mailbox_request r{};
  r.struct_size = sizeof r;
  const std::string url = server_.pop3s_url() + "/1";
  const std::string ca = server_.ca_file();
  r.url = url.c_str();
  r.username = DovecotServer::kUser;
  r.password = DovecotServer::kPassword;
  r.ca_file = ca.c_str();
  halo_http_response *out = nullptr;
  ASSERT_EQ(host_mailbox_request(&ctx, &r, &out), HALO_OK);
  ASSERT_NE(out, nullptr);
  const char *body = nullptr;
  size_t len = 0;
  host_http_body(out, &body, &len);
  EXPECT_EQ(std::string(body, len), kMail);
  EXPECT_EQ(host_http_status(out), 0);
  host_http_free(out);

  r.password = "wrong-one";
  ASSERT_EQ(host_mailbox_request(&ctx, &r, &out), HALO_FATAL);
  host_http_body(out, &body, &len);
  EXPECT_EQ(std::string(body, len).find("wrong-one"), std::string::npos);
  host_http_free(out);

  r.struct_size = 8;  // older or broken: refused before anything is sent
  ASSERT_EQ(host_mailbox_request(&ctx, &r, &out), HALO_FATAL);
  host_http_body(out, &body, &len);
  EXPECT_NE(std::string(body, len).find("struct_size"), std::string::npos);
  host_http_free(out);
  EXPECT_EQ(host_mailbox_request(nullptr, &r, &out), HALO_FATAL);
  EXPECT_EQ(out, nullptr);
  EXPECT_EQ(host_mailbox_request(&ctx, &r, nullptr), HALO_FATAL);
}

}  // namespace
}  // namespace halo
