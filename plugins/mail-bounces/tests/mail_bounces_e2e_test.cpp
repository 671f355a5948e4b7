// mail_bounces_e2e_test.cpp -- the real `halo` binary reading a Maildir of
// bounces: a hard bounce and a complaint opt their address out of email in
// the consent ledger (a bounce with the server's words as proof), a soft one and a delivery report
// are stored events that change no consent, other mail is a dead letter, a
// second run reads nothing again, a mail moved from new/ to cur/ is a
// duplicate, and a mailbox that is not there fails the source by name.
// Segment's `Email Marked as Spam` (any source) opts out too.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "e2e_support.h"

namespace halo::e2e {
namespace {

// A DSN (RFC 3464) for one recipient, as a relay writes it.
std::string bounce(const std::string &id, const std::string &recipient, const std::string &action,
                   const std::string &status) {
  return "From: MAILER-DAEMON@relay.example\r\n"
         "Message-ID: <" +
         id +
         "@relay.example>\r\n"
         "Date: Wed, 02 Dec 2026 08:00:00 +0000\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
         "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
         "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
         "Reporting-MTA: dns; relay.example\r\n\r\n"
         "Final-Recipient: rfc822; " +
         recipient + "\r\nAction: " + action + "\r\nStatus: " + status +
         "\r\nDiagnostic-Code: smtp; 550 " + status + " " + recipient +
         ": no such user\r\n\r\n"
         "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
         "Message-ID: <cart_reminder:42:1043@shop.example>\r\n\r\n"
         "--B--\r\n";
}

// A complaint (RFC 5965) from a feedback loop, about `recipient`.
std::string complaint(const std::string &recipient) {
  return "From: <fbl@mailbox.example>\r\nMessage-ID: <fbl-1@mailbox.example>\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\r\n\r\n"
         "--F\r\nContent-Type: text/plain\r\n\r\nAn abuse report.\r\n"
         "--F\r\nContent-Type: message/feedback-report\r\n\r\n"
         "Feedback-Type: abuse\r\nUser-Agent: FBL/1.0\r\nVersion: 1\r\n"
         "Original-Rcpt-To: <" +
         recipient +
         ">\r\n\r\n"
         "--F--\r\n";
}

const char *kPipeline = R"(version: 1
store: { kind: sqlite, path: halo.db }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: email, priority: 2 }
sources:
  - { name: shop, plugin: file-jsonl, config: { path: events.jsonl } }
  - { name: bounces, plugin: mail-bounces, config: { path: mailbox } }
)";

TEST(MailBounces, HardBouncesOptOutAndEveryMailIsReadOnce) {
  TempDir dir;
  const std::filesystem::path box(dir / "mailbox");
  for (const char *sub : {"new", "cur", "tmp"}) std::filesystem::create_directories(box / sub);
  write_file(box / "new" / "1764662400.M1P1.relay:2,",
             bounce("r1", "Gone@Example.org", "failed", "5.1.1"));
  write_file(box / "new" / "1764662401.M2P1.relay:2,",
             bounce("r2", "full@example.org", "failed", "5.2.2"));
  write_file(box / "new" / "1764662402.M3P1.relay:2,",
             bounce("r3", "fine@example.org", "delivered", "2.0.0"));
  write_file(box / "new" / "1764662403.M4P1.relay:2,",
             "From: someone@example.org\r\nSubject: Out of office\r\n\r\nAway.\r\n");
  write_file(box / "new" / "1764662405.M6P1.relay:2,", complaint("annoyed@example.org"));
  write_file(box / "tmp" / "1764662404.M5P1.relay",
             bounce("r5", "x@example.org", "failed", "5.1.1"));
  write_file(
      dir / "events.jsonl",
      R"({"type":"identify","userId":"u1","messageId":"i1","timestamp":"2026-12-01T00:00:00Z","traits":{"email":"gone@example.org"}})"
      "\n"
      R"({"type":"track","event":"Email Marked as Spam","userId":"u2","messageId":"s1","timestamp":"2026-12-01T00:00:00Z","traits":{"email":"spam@example.org"}})"
      "\n");
  write_file(dir / "p.yaml", kPipeline);
  const std::string p = dir / "p.yaml";

  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "accepted"), 6);  // 2 shop events, 4 reports (not tmp/)
  EXPECT_EQ(summary_count(r.summary, "rejected"), 1);  // the out-of-office reply
  EXPECT_EQ(summary_count(r.summary, "consent_events"), 3);
  EXPECT_EQ(summary_count(r.summary, "consent_events_unused"), 0);
  CommandResult dead = run({halo_bin(), "deadletters", p});
  EXPECT_NE(dead.out.find("not a delivery status notification"), std::string::npos) << dead.out;

  auto shown = [&](const std::string &email) {
    CommandResult c = run({halo_bin(), "consent", "show", p, "--email", email});
    return c.out + c.err;
  };
  const std::string gone = shown("gone@example.org");
  EXPECT_NE(gone.find("gone@example.org email: opted out"), std::string::npos) << gone;
  EXPECT_NE(gone.find("event: Email Bounced  source bounces  event dsn:r1@relay.example:"
                      "Gone@Example.org: smtp; 550 5.1.1 Gone@Example.org: no such user"),
            std::string::npos)
      << gone;
  EXPECT_NE(shown("spam@example.org").find("opted out"), std::string::npos);
  const std::string annoyed = shown("annoyed@example.org");
  EXPECT_NE(annoyed.find("event: Email Marked as Spam  source bounces  event "
                         "arf:fbl-1@mailbox.example:annoyed@example.org"),
            std::string::npos)
      << annoyed;
  for (const char *kept : {"full@example.org", "fine@example.org"}) {
    EXPECT_EQ(shown(kept).find("opted out"), std::string::npos) << kept;
  }
  // The bounce landed on the person the shop knows, as an event.
  CommandResult profile = run({halo_bin(), "profile", "get", p, "--email", "gone@example.org"});
  ASSERT_EQ(profile.exit_code, 0) << profile.err;
  EXPECT_NE(profile.out.find("u1"), std::string::npos) << profile.out;

  RunOutcome again = run_pipeline(p);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(summary_count(again.summary, "accepted"), 0);
  EXPECT_EQ(summary_count(again.summary, "rejected"), 0);

  // A mail client moved a report to cur/: read under its new name, it is
  // a duplicate by message id.
  std::filesystem::rename(box / "new" / "1764662400.M1P1.relay:2,",
                          box / "cur" / "1764662400.M1P1.relay:2,S");
  RunOutcome moved = run_pipeline(p);
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_EQ(summary_count(moved.summary, "accepted"), 0);
  EXPECT_EQ(summary_count(moved.summary, "duplicates"), 1);
}

TEST(MailBounces, AMailboxThatIsNotThereFailsTheSourceByName) {
  TempDir dir;
  write_file(dir / "events.jsonl", "");
  write_file(dir / "p.yaml", kPipeline);
  const std::string p = dir / "p.yaml";
  CommandResult validate = run({halo_bin(), "validate", p});
  EXPECT_NE(validate.err.find("mailbox '" + dir / "mailbox" + "' is not a directory"),
            std::string::npos)
      << validate.err;
  RunOutcome r = run_pipeline(p);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("is not a directory"), std::string::npos) << r.err;
  // An empty mailbox is not an error: nothing bounced yet.
  std::filesystem::create_directories(dir / "mailbox");
  RunOutcome empty = run_pipeline(p);
  EXPECT_EQ(empty.exit_code, 0) << empty.err;
}

TEST(MailBounces, ServeReadsMailDeliveredWhileItRuns) {
  TempDir dir;
  const std::filesystem::path box(dir / "mailbox");
  for (const char *sub : {"new", "cur", "tmp"}) std::filesystem::create_directories(box / sub);
  write_file(dir / "events.jsonl", "");
  std::string pipeline = kPipeline;
  pipeline.replace(pipeline.find("plugin: mail-bounces,"), 21,
                   "plugin: mail-bounces, poll_interval: 1s,");
  write_file(dir / "p.yaml", pipeline);
  const std::string p = dir / "p.yaml";
  write_file(box / "new" / "1764662409.M1P1.relay:2,",
             bounce("r8", "early@example.org", "failed", "5.1.1"));
  auto opted_out = [&](const std::string &email) {
    std::string shown;
    for (int i = 0; i < 150 && shown.find("opted out") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      CommandResult c = run({halo_bin(), "consent", "show", p, "--email", email});
      shown = c.out + c.err;
    }
    return shown;
  };
  ServeProcess serve(p, dir / "serve.err");
  // The first read of the mailbox is done once the early bounce counts.
  EXPECT_NE(opted_out("early@example.org").find("opted out"), std::string::npos)
      << read_file(dir / "serve.err");
  // Delivered after it: a later poll lists the mailbox again and reads it.
  write_file(box / "new" / "1764662410.M1P1.relay:2,",
             bounce("r9", "late@example.org", "failed", "5.1.1"));
  EXPECT_NE(opted_out("late@example.org").find("late@example.org email: opted out"),
            std::string::npos)
      << read_file(dir / "serve.err");
  EXPECT_EQ(serve.stop(), 0) << read_file(dir / "serve.err");
}

}  // namespace
}  // namespace halo::e2e
