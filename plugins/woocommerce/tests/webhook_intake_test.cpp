// webhook_intake_test.cpp -- the webhook receiver's decisions, with
// signatures computed independently by Python's hmac: ping 200, missing or
// wrong signature 401, verified delivery queued then taken, redelivery
// dropped, full queue 503, deleted/other topics accepted but not queued.
#include "webhook_intake.h"
#include "python_oracle.h"

#include <gtest/gtest.h>

namespace halo::woo {
namespace {

const std::string kSecret = "whsec-test";
const std::string kBody = R"({"id":9,"status":"completed","total":"10.50","customer_id":3,
"date_created_gmt":"2026-02-01T10:00:00","date_modified_gmt":"2026-02-01T10:05:00",
"billing":{"email":"c@example.test"},"line_items":[]})";

std::string python_signature(const std::string &secret, const std::string &body) {
  return testing::python("import base64,hmac,hashlib\nprint(base64.b64encode(hmac.new(" +
                         testing::py_literal(secret) + ".encode()," + testing::py_literal(body) +
                         ".encode(),hashlib.sha256).digest()).decode())");
}

WebhookRequest delivery(const std::string &body, const std::string &signature,
                        const std::string &topic = "order.updated") {
  WebhookRequest r;
  r.method = "POST";
  r.target = "/";
  r.body = body;
  r.headers = {{"x-wc-webhook-topic", topic},
               {"X-WC-Webhook-Signature", signature},
               {"X-WC-Webhook-Delivery-ID", "d1"}};
  return r;
}

TEST(WebhookIntake, PingIsAnsweredAndUnsignedDeliveryRefused) {
  WebhookIntake intake(kSecret, StatusEvents::defaults(), 10);
  WebhookRequest ping;
  ping.method = "POST";
  ping.body = "webhook_id=7";
  EXPECT_EQ(intake.handle(ping).status, 200);
  EXPECT_EQ(intake.handle(delivery(kBody, "")).status, 401);
  WebhookRequest get = ping;
  get.method = "GET";
  EXPECT_EQ(intake.handle(get).status, 405);
  std::vector<std::string> out;
  EXPECT_EQ(intake.take(out, 10, 0), 0u);
}

TEST(WebhookIntake, VerifiedDeliveryIsQueuedAndRedeliveryDropped) {
  WebhookIntake intake(kSecret, StatusEvents::defaults(), 10);
  std::string signature = python_signature(kSecret, kBody);
  EXPECT_EQ(intake.handle(delivery(kBody, signature)).status, 200);
  EXPECT_EQ(intake.handle(delivery(kBody, signature)).status, 200);
  EXPECT_EQ(intake.accepted(), 1u);
  EXPECT_EQ(intake.duplicates(), 1u);
  std::vector<std::string> out;
  ASSERT_EQ(intake.take(out, 10, 0), 1u);
  EXPECT_NE(out[0].find("woo-order-9-order-completed"), std::string::npos) << out[0];
}

TEST(WebhookIntake, WrongSecretOrTamperedBodyIs401AndNothingQueued) {
  WebhookIntake intake(kSecret, StatusEvents::defaults(), 10);
  EXPECT_EQ(intake.handle(delivery(kBody, python_signature("other", kBody))).status, 401);
  std::string tampered = kBody;
  tampered.replace(tampered.find("10.50"), 5, "99.50");
  EXPECT_EQ(intake.handle(delivery(tampered, python_signature(kSecret, kBody))).status, 401);
  std::vector<std::string> out;
  EXPECT_EQ(intake.take(out, 10, 0), 0u);
}

TEST(WebhookIntake, FullQueueAnswers503UntilDrained) {
  WebhookIntake intake(kSecret, StatusEvents::defaults(), 1);
  std::string second = kBody;
  second.replace(second.find("\"id\":9"), 6, "\"id\":8");
  EXPECT_EQ(intake.handle(delivery(kBody, python_signature(kSecret, kBody))).status, 200);
  WebhookRequest r = delivery(second, python_signature(kSecret, second));
  WebhookReply busy = intake.handle(r);
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.retry_after_seconds, kRetryAfterSeconds);
  std::vector<std::string> out;
  EXPECT_EQ(intake.take(out, 10, 0), 1u);
  EXPECT_EQ(intake.handle(r).status, 200) << "a refused delivery is not remembered as seen";
}

TEST(WebhookIntake, DeletedAndForeignTopicsAreAcceptedNotQueued) {
  WebhookIntake intake(kSecret, StatusEvents::defaults(), 10);
  std::string deleted = R"({"id":9})";
  EXPECT_EQ(
      intake.handle(delivery(deleted, python_signature(kSecret, deleted), "order.deleted")).status,
      200);
  EXPECT_EQ(
      intake.handle(delivery(kBody, python_signature(kSecret, kBody), "coupon.created")).status,
      200);
  std::string broken = R"({"id":9,"status":"completed"})";
  EXPECT_EQ(intake.handle(delivery(broken, python_signature(kSecret, broken))).status, 400);
  std::vector<std::string> out;
  EXPECT_EQ(intake.take(out, 10, 0), 0u);
}

}  // namespace
}  // namespace halo::woo
