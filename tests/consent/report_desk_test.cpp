// report_desk_test.cpp -- delivery reports and receivers' consent through
// the host functions plugins call (plugin.h: delivery_receipt,
// consent_record) into the report desk (consent/report_desk.h) and a real
// SQLite store beside a writer: a message keeps its weightiest report, a
// bounce or complaint suppresses its address once, another destination's
// or an unknown message records nothing, a busy store asks for a retry,
// and an SMS reply's number is normalized before it enters the ledger.
#include <gtest/gtest.h>

#include "consent/report_desk.h"
#include "outbox_store.h"
#include "plugin_host/host_api.h"

namespace halo::consent {
namespace {

class ReportDeskTest : public testing::OutboxStoreTest {
 protected:
  void SetUp() override {
    OutboxStoreTest::SetUp();
    IdentifierSpec phone;
    phone.type = "phone";
    phone.kind = "phone";
    phone.default_region = "IR";
    ctx_.label = "destination 'sms' (twilio)";
    ctx_.report_name = "sms";
    ctx_.reports =
        std::make_shared<ReportDesk>(std::vector<IdentifierSpec>{phone}, beside_writer());
  }
  void TearDown() override {
    ctx_.reports.reset();
    OutboxStoreTest::TearDown();
  }

  int32_t receipt(uint64_t id, int32_t status, std::string_view detail) {
    halo_delivery_receipt r{};
    r.struct_size = sizeof r;
    r.status = status;
    r.message_id = id;
    r.provider_id = "SM1";
    r.provider_id_len = 3;
    r.detail = detail.data();
    r.detail_len = detail.size();
    r.at_ms = 1767600000000;
    return host_api()->delivery_receipt(&ctx_, &r);
  }
  int32_t consent(std::string_view channel, std::string_view address, bool opted_in) {
    halo_consent_statement s{};
    s.struct_size = sizeof s;
    s.opted_in = opted_in ? 1 : 0;
    s.channel = channel.data();
    s.channel_len = channel.size();
    s.address = address.data();
    s.address_len = address.size();
    s.reason = "sms_reply";
    s.reason_len = 9;
    s.proof = "MessageSid SM9: STOP";
    s.proof_len = 20;
    return host_api()->consent_record(&ctx_, &s);
  }
  OutboxMessage message(uint64_t id) {
    auto m = writer_->message_by_id(id);
    EXPECT_TRUE(m.ok() && m->has_value());
    return m.ok() && m->has_value() ? **m : OutboxMessage{};
  }

  halo_context ctx_;
};

TEST_F(ReportDeskTest, AMessageKeepsItsWeightiestReport) {
  const uint64_t id = add_message("cart:1:1", "+989121234567", "sms", "sms");
  EXPECT_EQ(receipt(id, HALO_RECEIPT_UNDELIVERED, "undelivered, error 30003"), HALO_OK);
  OutboxMessage m = message(id);
  EXPECT_EQ(m.receipt, "undelivered");
  EXPECT_EQ(m.receipt_detail, "SM1: undelivered, error 30003");
  EXPECT_EQ(m.receipt_at_ms, 1767600000000);
  EXPECT_EQ(m.status, "sent");  // a report changes no delivery status
  // A late "delivered" (callbacks come out of order) changes nothing.
  EXPECT_EQ(receipt(id, HALO_RECEIPT_DELIVERED, "delivered"), HALO_OK);
  EXPECT_EQ(message(id).receipt, "undelivered");
  EXPECT_TRUE(records().empty());
}

TEST_F(ReportDeskTest, ABounceOrComplaintSuppressesTheAddressOnce) {
  const uint64_t id = add_message("cart:1:1", "+989121234567", "sms", "sms");
  EXPECT_EQ(receipt(id, HALO_RECEIPT_BOUNCED, "failed, error 30005"), HALO_OK);
  EXPECT_EQ(receipt(id, HALO_RECEIPT_BOUNCED, "failed, error 30005"), HALO_OK);  // again
  std::vector<ConsentRecord> r = records();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].channel, "sms");
  EXPECT_EQ(r[0].address, "+989121234567");
  EXPECT_FALSE(r[0].opted_in);
  EXPECT_EQ(r[0].reason, "bounce");
  EXPECT_EQ(r[0].source, "destination sms (delivery report)");
  EXPECT_EQ(r[0].proof, "message " + std::to_string(id) + ": SM1: failed, error 30005");
  // A complaint outweighs the bounce but the address is opted out already.
  EXPECT_EQ(receipt(id, HALO_RECEIPT_COMPLAINED, "spam report"), HALO_OK);
  EXPECT_EQ(message(id).receipt, "complained");
  EXPECT_EQ(records().size(), 1u);
}

TEST_F(ReportDeskTest, OnlyThisDestinationsMessagesAreReported) {
  const uint64_t mail = add_message("cart:1:1", "sara@example.com");  // destination "mail"
  EXPECT_EQ(receipt(mail, HALO_RECEIPT_DELIVERED, ""), HALO_ERROR);
  EXPECT_EQ(receipt(999, HALO_RECEIPT_DELIVERED, ""), HALO_ERROR);
  EXPECT_EQ(receipt(mail, 9, ""), HALO_ERROR);  // no such status
  EXPECT_EQ(message(mail).receipt, "");
  halo_delivery_receipt short_struct{};
  short_struct.struct_size = 8;
  EXPECT_EQ(host_api()->delivery_receipt(&ctx_, &short_struct), HALO_ERROR);
  EXPECT_EQ(host_api()->delivery_receipt(&ctx_, nullptr), HALO_ERROR);
  halo_context validate_only;  // `halo validate`: no desk
  EXPECT_EQ(host_api()->consent_record(&validate_only, nullptr), HALO_ERROR);
}

TEST_F(ReportDeskTest, ABusyStoreAsksForARetryAndLosesNothing) {
  const uint64_t id = add_message("cart:1:1", "+989121234567", "sms", "sms");
  ASSERT_TRUE(writer_->begin().ok());  // holds SQLite's write lock
  const int32_t busy = receipt(id, HALO_RECEIPT_BOUNCED, "failed, error 30005");
  ASSERT_TRUE(writer_->commit().ok());
  EXPECT_EQ(busy, HALO_RETRY);
  EXPECT_EQ(message(id).receipt, "");
  EXPECT_TRUE(records().empty());
  EXPECT_EQ(receipt(id, HALO_RECEIPT_BOUNCED, "failed, error 30005"), HALO_OK);
  EXPECT_EQ(records().size(), 1u);
}

TEST_F(ReportDeskTest, ARepliedStopIsNormalizedAndRecordedOnce) {
  EXPECT_EQ(consent("sms", "۰۹۱۲ ۱۲۳ ۴۵۶۷", false), HALO_OK);  // Persian digits, spaces
  EXPECT_EQ(consent("sms", "+989121234567", false), HALO_OK);  // the same again: no record
  std::vector<ConsentRecord> r = records();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].address, "+989121234567");
  EXPECT_EQ(r[0].reason, "sms_reply");
  EXPECT_EQ(r[0].source, "destination 'sms' (twilio)");
  EXPECT_EQ(r[0].proof, "MessageSid SM9: STOP");
  EXPECT_EQ(consent("sms", "+989121234567", true), HALO_OK);  // START
  EXPECT_EQ(records().size(), 2u);
  EXPECT_EQ(consent("sms", "not a number", false), HALO_ERROR);
  EXPECT_EQ(consent("push", "+989121234567", false), HALO_ERROR);  // no address type
  EXPECT_EQ(records().size(), 2u);
}

}  // namespace
}  // namespace halo::consent
