// twilio_unit_test.cpp -- the Twilio API logic without a kernel: the
// create form (From or a Messaging Service, the status callback naming the
// outbox message) and the outcome of every class of answer.
#include <gtest/gtest.h>

#include "twilio_api.h"

namespace halo::plugins::twilio {
namespace {

using K = Verdict::Kind;

std::string error(int code) {
  return R"({"code":)" + std::to_string(code) + R"(,"message":"no","more_info":"","status":400})";
}

TEST(CreateForm, FromOrServiceAndTheCallback) {
  Sender s;
  s.from = "+15550002222";
  EXPECT_EQ(create_form(s, "+989121234567", "سلام & bye", 7),
            "To=%2B989121234567&From=%2B15550002222&Body=%D8%B3%D9%84%D8%A7%D9%85%20%26%20bye");
  s.from.clear();
  s.messaging_service_sid = "MG123";
  s.status_callback = "https://cdp.example/tw?k=1";
  EXPECT_EQ(create_form(s, "+15550001111", "x", 42),
            "To=%2B15550001111&MessagingServiceSid=MG123&Body=x&StatusCallback=https%3A%2F%2Fcdp."
            "example%2Ftw%3Fk%3D1%26m%3D42");
}

TEST(Classify, CreatedIsSentWithSidAndSegments) {
  const Verdict v = classify(201, std::nullopt, R"({"sid":"SMaaaa","num_segments":"2"})");
  EXPECT_EQ(v.kind, K::kSent);
  EXPECT_EQ(v.detail, "SMaaaa; 2 segments");
  EXPECT_EQ(classify(201, std::nullopt, "{}").kind, K::kRetry);
  EXPECT_EQ(classify(201, std::nullopt, "not json").kind, K::kRetry);
}

TEST(Classify, EveryErrorClass) {
  EXPECT_EQ(classify(401, std::nullopt, error(20003)).kind, K::kFatal);
  EXPECT_EQ(classify(400, std::nullopt, error(21606)).kind, K::kFatal);
  EXPECT_EQ(classify(400, std::nullopt, error(21659)).kind, K::kFatal);
  for (int code : {21614, 21617}) {
    EXPECT_EQ(classify(400, std::nullopt, error(code)).kind, K::kFailed) << code;
  }
  EXPECT_EQ(classify(400, std::nullopt, error(21610)).kind, K::kOptedOut);
  EXPECT_EQ(classify(400, std::nullopt, error(21211)).kind, K::kBounced);
  EXPECT_EQ(classify(400, std::nullopt, error(21610)).detail, "Twilio 21610: no");
  const Verdict limited = classify(429, "3", error(20429));
  EXPECT_EQ(limited.kind, K::kRetry);
  EXPECT_EQ(limited.retry_after_ms, 3000);
  EXPECT_EQ(classify(503, std::nullopt, "Service Unavailable").kind, K::kRetry);
  EXPECT_EQ(classify(503, std::nullopt, "Service Unavailable").detail,
            "HTTP 503: Service Unavailable");
  EXPECT_EQ(classify(404, std::nullopt, "").kind, K::kFailed);
}

}  // namespace
}  // namespace halo::plugins::twilio
