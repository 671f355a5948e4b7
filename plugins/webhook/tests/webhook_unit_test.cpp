// webhook_unit_test.cpp -- the webhook destination's signature (against the
// example of the Standard Webhooks specification), message body and the
// mapping of HTTP answers to outcomes.
#include <gtest/gtest.h>

#include "common/json_text.h"
#include "webhook_delivery.h"
#include "webhook_signature.h"

namespace halo::plugins::webhook {
namespace {

TEST(WebhookSignature, MatchesTheSpecificationsExample) {
  // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
  auto key = signing_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(key);
  EXPECT_EQ(sign(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  // Any change to id, time or body changes it.
  EXPECT_NE(sign(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignature, KeysFromEitherFormAndBadOnesRefused) {
  EXPECT_EQ(signing_key("plain secret"), "plain secret");
  EXPECT_EQ(signing_key("whsec_aGFsbw=="), "halo");
  EXPECT_FALSE(signing_key(""));
  EXPECT_FALSE(signing_key("whsec_"));
  EXPECT_FALSE(signing_key("whsec_not base64!"));
}

TEST(WebhookBody, IsJsonWithEveryPartEscaped) {
  halo::Message m;
  m.id = 7;
  m.profile_id = 42;
  m.attempt = 2;
  m.idempotency_key = "cart:42:9";
  m.channel = "email";
  m.recipient = "sara@example.ir";
  m.subject = "سبد \"خرید\"";
  m.text = "line\nbreak";
  m.html = "<p dir=\"rtl\">سلام</p>";
  m.variables_json = R"({"first_name":"Sara"})";
  const std::string body = message_body(m);
  EXPECT_TRUE(is_valid_json(body)) << body;
  EXPECT_NE(body.find(R"("variables":{"first_name":"Sara"})"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("profile_id":"42")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("attempt":2)"), std::string::npos) << body;
  m.variables_json = "not json";
  EXPECT_NE(message_body(m).find(R"("variables":{})"), std::string::npos);
  EXPECT_TRUE(is_valid_json(message_body(m)));
}

TEST(WebhookAnswers, EveryStatusHasOneOutcome) {
  using K = Verdict::Kind;
  EXPECT_EQ(classify(200, std::nullopt, "rcv-1", "").kind, K::kSent);
  EXPECT_EQ(classify(200, std::nullopt, "rcv-1", "").detail, "rcv-1");
  EXPECT_EQ(classify(204, std::nullopt, std::nullopt, "").detail, "HTTP 204");
  const Verdict limited = classify(429, " 7 ", std::nullopt, "slow down");
  EXPECT_EQ(limited.kind, K::kRetry);
  EXPECT_EQ(limited.retry_after_ms, 7000);
  EXPECT_EQ(limited.detail, "HTTP 429: slow down");
  EXPECT_EQ(classify(503, "Wed, 21 Oct 2015 07:28:00 GMT", std::nullopt, "").retry_after_ms, 0);
  EXPECT_EQ(classify(500, std::nullopt, std::nullopt, "").kind, K::kRetry);
  EXPECT_EQ(classify(408, std::nullopt, std::nullopt, "").kind, K::kRetry);
  EXPECT_EQ(classify(400, std::nullopt, std::nullopt, "bad").kind, K::kFailed);
  EXPECT_EQ(classify(401, "5", std::nullopt, "").retry_after_ms, 0);
  EXPECT_EQ(classify(410, std::nullopt, std::nullopt, "").kind, K::kFailed);
}

}  // namespace
}  // namespace halo::plugins::webhook
