// delivery_report_test.cpp -- reading delivery status notifications
// (RFC 3464) as Postfix and other servers write them and complaint reports
// (RFC 5965) as feedback loops send them, the events they state, what is refused and why, the
// limits, and the file reader's positions (one record per step, a mail sealed only after its last
// event).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/json_text.h"
#include "delivery_report.h"
#include "report_events.h"
#include "report_reader.h"

namespace halo::plugins::mail_bounces {
namespace {

// A bounce as Postfix writes it (its bounce(8) format), with a folded
// Diagnostic-Code and the original message's headers returned.
const std::string kPostfixBounce =
    "Return-Path: <>\r\n"
    "Date: Tue,  1 Dec 2026 10:00:00 +0330 (IRST)\r\n"
    "From: MAILER-DAEMON@mail.shop.example (Mail Delivery System)\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "To: news@shop.example\r\n"
    "Message-Id: <20261201063000.4F2A1@mail.shop.example>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=delivery-status;\r\n"
    "\tboundary=\"4F2A1.1764570600/mail.shop.example\"\r\n"
    "\r\n"
    "This is a MIME-encapsulated message.\r\n"
    "\r\n"
    "--4F2A1.1764570600/mail.shop.example\r\n"
    "Content-Description: Notification\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "I'm sorry to have to inform you that your message could not\r\n"
    "be delivered to one or more recipients.\r\n"
    "\r\n"
    "--4F2A1.1764570600/mail.shop.example\r\n"
    "Content-Description: Delivery report\r\n"
    "Content-Type: message/delivery-status\r\n"
    "\r\n"
    "Reporting-MTA: dns; mail.shop.example\r\n"
    "X-Postfix-Queue-ID: 4F2A1\r\n"
    "Arrival-Date: Tue,  1 Dec 2026 09:59:58 +0330 (IRST)\r\n"
    "\r\n"
    "Final-Recipient: rfc822; Nobody@Example.com\r\n"
    "Original-Recipient: rfc822;Nobody@Example.com\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1\r\n"
    "Remote-MTA: dns; mx.example.com\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <Nobody@Example.com>: Recipient address\r\n"
    "    rejected: User unknown in virtual mailbox table\r\n"
    "\r\n"
    "--4F2A1.1764570600/mail.shop.example\r\n"
    "Content-Description: Undelivered Message Headers\r\n"
    "Content-Type: text/rfc822-headers\r\n"
    "\r\n"
    "From: news@shop.example\r\n"
    "To: Nobody@Example.com\r\n"
    "Subject: Your cart\r\n"
    "Message-ID: <cart_reminder:42:1043@shop.example>\r\n"
    "\r\n"
    "--4F2A1.1764570600/mail.shop.example--\r\n";

// A report with the given delivery-status body (groups after the
// per-message one), the part's transfer encoding, and a returned message.
std::string report(const std::string &recipients, const std::string &encoding = "7bit",
                   const std::string &report_type = "delivery-status") {
  std::string status = "Reporting-MTA: dns; relay.example\r\n\r\n" + recipients;
  if (encoding == "base64") {
    static const char *kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (size_t i = 0; i < status.size(); i += 3) {
      uint32_t n = static_cast<unsigned char>(status[i]) << 16;
      if (i + 1 < status.size()) n |= static_cast<unsigned char>(status[i + 1]) << 8;
      if (i + 2 < status.size()) n |= static_cast<unsigned char>(status[i + 2]);
      out += kAlphabet[(n >> 18) & 63];
      out += kAlphabet[(n >> 12) & 63];
      out += i + 1 < status.size() ? kAlphabet[(n >> 6) & 63] : '=';
      out += i + 2 < status.size() ? kAlphabet[n & 63] : '=';
    }
    status = out + "\r\n";
  }
  return "From: postmaster@relay.example\r\n"
         "Message-ID: <r1@relay.example>\r\n"
         "Date: Wed, 02 Dec 2026 08:00:00 +0000\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/report; report-type=" +
         report_type +
         "; boundary=\"B\"\r\n\r\n"
         "--B\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n"
         "--B\r\nContent-Type: message/delivery-status\r\nContent-Transfer-Encoding: " +
         encoding + "\r\n\r\n" + status +
         "--B\r\nContent-Type: message/rfc822\r\n\r\n"
         "From: news@shop.example\r\nMessage-ID: <welcome:7:1@shop.example>\r\nSubject: Hi\r\n\r\n"
         "Hello\r\n"
         "--B--\r\n";
}

TEST(DeliveryReport, ReadsAPostfixBounce) {
  std::string why;
  auto r = read_delivery_report(kPostfixBounce, why);
  ASSERT_TRUE(r) << why;
  EXPECT_EQ(r->message_id, "20261201063000.4F2A1@mail.shop.example");
  ASSERT_TRUE(r->date_ms);
  EXPECT_EQ(*r->date_ms, 1796106600000);  // 10:00 +03:30 is 06:30 UTC
  EXPECT_EQ(r->reporting_mta, "mail.shop.example");
  EXPECT_EQ(r->original_message_id, "cart_reminder:42:1043@shop.example");
  ASSERT_EQ(r->recipients.size(), 1u);
  const RecipientStatus &s = r->recipients[0];
  EXPECT_EQ(s.address, "Nobody@Example.com");
  EXPECT_EQ(s.action, "failed");
  EXPECT_EQ(s.status, "5.1.1");
  EXPECT_EQ(s.remote_mta, "mx.example.com");
  EXPECT_EQ(s.diagnostic,
            "smtp; 550 5.1.1 <Nobody@Example.com>: Recipient address rejected: User unknown in "
            "virtual mailbox table");
  EXPECT_TRUE(s.hard);
}

TEST(DeliveryReport, OnlyAnAddressingFailureIsHard) {
  std::string why;
  auto r = read_delivery_report(
      report("Final-Recipient: rfc822; full@example.com\r\nAction: failed\r\n"
             "Status: 5.2.2 (mailbox full)\r\n\r\n"
             "Final-Recipient: rfc822; gone@example.com\r\nAction: Failed\r\nStatus: 5.1.10\r\n\r\n"
             "Final-Recipient: rfc822; later@example.com\r\nAction: delayed\r\nStatus: 4.4.1\r\n"),
      why);
  ASSERT_TRUE(r) << why;
  ASSERT_EQ(r->recipients.size(), 3u);
  EXPECT_EQ(r->recipients[0].status, "5.2.2");
  EXPECT_FALSE(r->recipients[0].hard);
  EXPECT_EQ(r->recipients[1].action, "failed");
  EXPECT_TRUE(r->recipients[1].hard);
  EXPECT_FALSE(r->recipients[2].hard);
  EXPECT_EQ(r->original_message_id, "welcome:7:1@shop.example");
}

TEST(DeliveryReport, DecodesAnEncodedStatusPart) {
  std::string why;
  auto r = read_delivery_report(
      report("Final-Recipient: rfc822; b64@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n",
             "base64"),
      why);
  ASSERT_TRUE(r) << why;
  ASSERT_EQ(r->recipients.size(), 1u);
  EXPECT_EQ(r->recipients[0].address, "b64@example.com");
}

TEST(DeliveryReport, RefusesWhatIsNotADeliveryStatusNotification) {
  std::string why;
  EXPECT_FALSE(read_delivery_report(
      "From: a@example.com\r\nSubject: Out of office\r\n\r\nI am away.\r\n", why));
  EXPECT_NE(why.find("multipart/report"), std::string::npos) << why;
  EXPECT_FALSE(
      read_delivery_report(report("Final-Recipient: rfc822; x@example.com\r\nAction: failed\r\n",
                                  "7bit", "feedback-report"),
                           why));
  EXPECT_NE(why.find("without a message/feedback-report part"), std::string::npos) << why;
  // A recipient group without an address or an action is not one.
  EXPECT_FALSE(
      read_delivery_report(report("Final-Recipient: rfc822; no-at-sign\r\nAction: failed\r\n\r\n"
                                  "Final-Recipient: rfc822; x@example.com\r\n"),
                           why));
  EXPECT_NE(why.find("without a recipient"), std::string::npos) << why;
  for (const char *junk :
       {"", "\r\n\r\n", "Content-Type: multipart/report\r\n\r\n--", "\xff\xfe"}) {
    EXPECT_FALSE(read_delivery_report(junk, why));
  }
}

TEST(DeliveryReport, KeepsAtMostTheLimitOfRecipientsAndValidText) {
  std::string groups;
  for (size_t i = 0; i < kMaxRecipients + 50; ++i) {
    groups += "Final-Recipient: rfc822; u" + std::to_string(i) +
              "@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n";
  }
  std::string why;
  auto r = read_delivery_report(report(groups), why);
  ASSERT_TRUE(r) << why;
  EXPECT_EQ(r->recipients.size(), kMaxRecipients);

  r = read_delivery_report(
      report("Final-Recipient: rfc822; x@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
             "Diagnostic-Code: smtp; 550 \xff\xfe bad bytes\r\n"),
      why);
  ASSERT_TRUE(r) << why;
  EXPECT_EQ(r->recipients[0].diagnostic, "");  // not valid UTF-8: not kept
  const std::string long_text(3 * kMaxValueBytes, 'x');
  r = read_delivery_report(
      report("Final-Recipient: rfc822; x@example.com\r\nAction: failed\r\nDiagnostic-Code: " +
             long_text + "\r\n"),
      why);
  ASSERT_TRUE(r) << why;
  EXPECT_EQ(r->recipients[0].diagnostic.size(), kMaxValueBytes);
}

TEST(ReportEvents, StatesBouncesAndDeliveriesWithStableIds) {
  const std::string mail = report(
      "Final-Recipient: rfc822; gone@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
      "Final-Recipient: rfc822; ok@example.com\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n"
      "Final-Recipient: rfc822; later@example.com\r\nAction: delayed\r\nStatus: 4.4.1\r\n");
  std::string why;
  auto r = read_delivery_report(mail, why);
  ASSERT_TRUE(r) << why;
  std::vector<std::string> events = report_events(*r, mail);
  ASSERT_EQ(events.size(), 2u);  // delayed is not final
  for (const std::string &e : events) EXPECT_TRUE(is_valid_json(e)) << e;
  EXPECT_EQ(events[0],
            "{\"type\":\"track\",\"event\":\"Email Bounced\",\"messageId\":\"dsn:r1@relay.example:"
            "gone@example.com\",\"timestamp\":\"2026-12-02T08:00:00.000Z\",\"context\":{\"traits\":"
            "{\"email\":\"gone@example.com\"}},\"properties\":{\"channel\":\"email\",\"recipient\":"
            "\"gone@example.com\",\"action\":\"failed\",\"status\":\"5.1.1\",\"hard_bounce\":true,"
            "\"diagnostic_code\":\"\",\"remote_mta\":\"\",\"reporting_mta\":\"relay.example\","
            "\"original_message_id\":\"welcome:7:1@shop.example\",\"report_message_id\":"
            "\"r1@relay.example\"}}");
  EXPECT_NE(events[1].find("\"event\":\"Email Delivered\""), std::string::npos);
  EXPECT_NE(events[1].find("\"hard_bounce\":false"), std::string::npos);

  // Without a Message-ID the id is the mail's content hash: the same for
  // the same bytes, another for other bytes.
  std::string anonymous = mail;
  anonymous.erase(anonymous.find("Message-ID: <r1@relay.example>\r\n"), 32);
  auto a = read_delivery_report(anonymous, why);
  ASSERT_TRUE(a) << why;
  const std::string first = report_events(*a, anonymous)[0];
  EXPECT_EQ(first, report_events(*a, anonymous)[0]);
  EXPECT_EQ(first.find("r1@relay.example"), std::string::npos);
  EXPECT_NE(first, report_events(*a, anonymous + "\r\n")[0]);
}

// A complaint as a feedback loop sends it (RFC 5965 appendix B), with the
// complaining recipient given or redacted.
std::string complaint(const std::string &type, const std::string &rcpt_to) {
  return "From: <abusedesk@mailbox.example>\r\n"
         "Message-ID: <fbl-9@mailbox.example>\r\n"
         "Date: Thu, 03 Dec 2026 09:00:00 +0000\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/report; report-type=feedback-report;\r\n"
         "    boundary=\"part1_13d.2e68ed54_boundary\"\r\n\r\n"
         "--part1_13d.2e68ed54_boundary\r\nContent-Type: text/plain; charset=\"US-ASCII\"\r\n\r\n"
         "This is an email abuse report.\r\n\r\n"
         "--part1_13d.2e68ed54_boundary\r\nContent-Type: message/feedback-report\r\n\r\n"
         "Feedback-Type: " +
         type +
         "\r\nUser-Agent: SomeGenerator/1.0\r\nVersion: 1\r\n"
         "Original-Mail-From: <news@shop.example>\r\n" +
         rcpt_to +
         "Arrival-Date: Thu, 03 Dec 2026 08:59:00 +0000\r\n"
         "Source-IP: 192.0.2.1\r\n\r\n"
         "--part1_13d.2e68ed54_boundary\r\nContent-Type: text/rfc822-headers\r\n\r\n"
         "From: news@shop.example\r\nTo: \"Sara\" <sara@example.org>\r\n"
         "Message-ID: <winback:9:2@shop.example>\r\n\r\n"
         "--part1_13d.2e68ed54_boundary--\r\n";
}

TEST(DeliveryReport, ReadsAComplaintAndItsRecipient) {
  std::string why;
  auto r =
      read_delivery_report(complaint("abuse", "Original-Rcpt-To: <user@example.com>\r\n"), why);
  ASSERT_TRUE(r) << why;
  EXPECT_EQ(r->kind, ReportKind::kFeedback);
  EXPECT_EQ(r->feedback_type, "abuse");
  EXPECT_EQ(r->user_agent, "SomeGenerator/1.0");
  EXPECT_EQ(r->original_message_id, "winback:9:2@shop.example");
  ASSERT_EQ(r->recipients.size(), 1u);
  EXPECT_EQ(r->recipients[0].address, "user@example.com");
  EXPECT_FALSE(r->recipients[0].hard);
  const std::vector<std::string> events =
      report_events(*r, complaint("abuse", "Original-Rcpt-To: <user@example.com>\r\n"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(is_valid_json(events[0])) << events[0];
  EXPECT_EQ(
      events[0],
      "{\"type\":\"track\",\"event\":\"Email Marked as Spam\",\"messageId\":\"arf:fbl-9@"
      "mailbox.example:user@example.com\",\"timestamp\":\"2026-12-03T09:00:00.000Z\",\"context\":"
      "{\"traits\":{\"email\":\"user@example.com\"}},\"properties\":{\"channel\":\"email\","
      "\"recipient\":\"user@example.com\",\"feedback_type\":\"abuse\",\"user_agent\":"
      "\"SomeGenerator/1.0\",\"original_message_id\":\"winback:9:2@shop.example\","
      "\"report_message_id\":\"fbl-9@mailbox.example\"}}");

  // Redacted: the original's To says who complained.
  r = read_delivery_report(complaint("abuse", ""), why);
  ASSERT_TRUE(r) << why;
  ASSERT_EQ(r->recipients.size(), 1u);
  EXPECT_EQ(r->recipients[0].address, "sara@example.org");
  // Not a complaint about spam: read, but it states nothing.
  const std::string not_spam = complaint("not-spam", "Original-Rcpt-To: <user@example.com>\r\n");
  r = read_delivery_report(not_spam, why);
  ASSERT_TRUE(r) << why;
  EXPECT_TRUE(report_events(*r, not_spam).empty());
  // Without a Feedback-Type, or without anyone it could be about: refused.
  std::string untyped = complaint("abuse", "");
  const std::string type_field = "Feedback-Type: abuse\r\n";
  untyped.erase(untyped.find(type_field), type_field.size());
  EXPECT_FALSE(read_delivery_report(untyped, why));
  EXPECT_NE(why.find("without a Feedback-Type"), std::string::npos) << why;
  std::string nobody = complaint("abuse", "");
  const std::string to = "To: \"Sara\" <sara@example.org>\r\n";
  nobody.erase(nobody.find(to), to.size());
  EXPECT_FALSE(read_delivery_report(nobody, why));
  EXPECT_NE(why.find("redacted"), std::string::npos) << why;
}

// Records what a reader hands over.
struct Recorded : RecordSink {
  void origin(const std::string &) override {}
  void record(std::string_view json, uint64_t position) override {
    records.emplace_back(json);
    positions.push_back(position);
  }
  void error(halo_reason reason, const std::string &message, std::string_view, uint64_t) override {
    reasons.push_back(reason);
    errors.push_back(message);
  }
  void end_of_data() override {}
  std::vector<std::string> records, errors;
  std::vector<uint64_t> positions;
  std::vector<halo_reason> reasons;
};

class ReportReaderTest : public ::testing::Test {
 protected:
  std::string write(const std::string &name, const std::string &bytes) {
    const std::filesystem::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_ = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("halo-report-reader-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
};

TEST_F(ReportReaderTest, HandsOverOneEventPerStepAndSealsAfterTheLast) {
  const std::string mail = report(
      "Final-Recipient: rfc822; a@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
      "Final-Recipient: rfc822; b@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n");
  const std::string path = write("1.eml", mail);
  ReportFileReader reader(1 << 20);
  Recorded sink;
  reader.open(path, 0, 1);
  EXPECT_TRUE(reader.step(sink));
  EXPECT_EQ(reader.next_offset(), 0u);  // one event still to come
  EXPECT_EQ(reader.next_position(), 2u);
  // Stopped here: a new reader continues with the second event.
  ReportFileReader again(1 << 20);
  again.open(path, 0, 2);
  EXPECT_TRUE(again.step(sink));
  EXPECT_EQ(again.next_offset(), mail.size());
  EXPECT_FALSE(again.step(sink));
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_NE(sink.records[0].find("a@example.com"), std::string::npos);
  EXPECT_NE(sink.records[1].find("b@example.com"), std::string::npos);
  EXPECT_EQ(sink.positions, (std::vector<uint64_t>{1, 2}));
  // Read whole before: nothing is parsed or handed over again.
  ReportFileReader done(1 << 20);
  done.open(path, mail.size(), 3);
  EXPECT_FALSE(done.step(sink));
  EXPECT_EQ(sink.records.size(), 2u);
}

TEST_F(ReportReaderTest, DeadLettersOtherMailAndMailTooLarge) {
  Recorded sink;
  ReportFileReader reader(1024);
  reader.open(write("ooo.eml", "Subject: Out of office\r\n\r\nAway.\r\n"), 0, 1);
  EXPECT_FALSE(reader.step(sink));
  reader.open(write("big.eml", kPostfixBounce + std::string(2000, 'x')), 0, 1);
  EXPECT_FALSE(reader.step(sink));
  EXPECT_TRUE(sink.records.empty());
  ASSERT_EQ(sink.reasons.size(), 2u);
  EXPECT_EQ(sink.reasons[0], HALO_REASON_INVALID);
  EXPECT_NE(sink.errors[0].find("ooo.eml: not a delivery status notification"), std::string::npos)
      << sink.errors[0];
  EXPECT_EQ(sink.reasons[1], HALO_REASON_TOO_LARGE);
  EXPECT_NE(sink.errors[1].find("max_report_bytes"), std::string::npos) << sink.errors[1];
}

}  // namespace
}  // namespace halo::plugins::mail_bounces
