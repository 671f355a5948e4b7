// kavenegar_unit_test.cpp -- the Kavenegar API logic without a kernel:
// receptor forms, the send form, and the outcome of every class of answer
// to sms/send.json and sms/statuslocalmessageid.json.
#include <gtest/gtest.h>

#include "kavenegar_api.h"

namespace halo::plugins::kavenegar {
namespace {

using K = Verdict::Kind;

std::string answer(int code, const std::string &entries = "null") {
  return R"({"return":{"status":)" + std::to_string(code) + R"(,"message":"پیام"},"entries":)" +
         entries + "}";
}

TEST(Receptor, IranIsNationalOthersInternational) {
  EXPECT_EQ(receptor_of("+989121234567"), "09121234567");
  EXPECT_EQ(receptor_of("+447700900123"), "00447700900123");
  for (const char *bad : {"", "09121234567", "+98912 1234567", "+98", "+9891212345678901234"}) {
    EXPECT_FALSE(receptor_of(bad).has_value()) << bad;
  }
}

TEST(SendForm, EncodesEveryField) {
  EXPECT_EQ(send_form("09121234567", "سلام & خوش آمدید", "10004346", 42),
            "receptor=09121234567&message=%D8%B3%D9%84%D8%A7%D9%85%20%26%20%D8%AE%D9%88%D8%B4%20"
            "%D8%A2%D9%85%D8%AF%DB%8C%D8%AF&sender=10004346&localid=42");
  EXPECT_EQ(send_form("09121234567", "x", "", 7), "receptor=09121234567&message=x&localid=7");
}

TEST(ClassifySend, SentOnlyWithStatus200AndAMessageId) {
  const SmsSegments two = sms_segments(std::string(71, 'a') + "س");
  const Verdict ok = classify_send(200, answer(200, R"([{"messageid":8792343,"status":1}])"), two);
  EXPECT_EQ(ok.kind, K::kSent);
  EXPECT_EQ(ok.detail, "messageid 8792343; 2 segments (UCS-2)");
  EXPECT_EQ(classify_send(200, answer(200, "[]"), two).kind, K::kRetry);
  EXPECT_EQ(classify_send(200, "<html>proxy</html>", two).kind, K::kRetry);
}

TEST(ClassifySend, EveryCodeClass) {
  const SmsSegments one = sms_segments("x");
  for (int code : {401, 403, 407, 412, 418, 426, 501}) {
    EXPECT_EQ(classify_send(code, answer(code), one).kind, K::kFatal) << code;
  }
  for (int code : {400, 406, 413, 414, 417, 422}) {
    EXPECT_EQ(classify_send(code, answer(code), one).kind, K::kFailed) << code;
  }
  EXPECT_EQ(classify_send(411, answer(411), one).kind, K::kBounced);
  for (int code : {409, 451, 499}) {
    EXPECT_EQ(classify_send(code, answer(code), one).kind, K::kRetry) << code;
  }
  EXPECT_EQ(classify_send(418, answer(418), one).detail, "Kavenegar 418: پیام");
  EXPECT_EQ(classify_send(502, "Bad Gateway", one).kind, K::kRetry);
  EXPECT_EQ(classify_send(502, "Bad Gateway", one).detail, "HTTP 502: Bad Gateway");
  EXPECT_EQ(classify_send(404, "not here", one).kind, K::kFailed);
}

TEST(ClassifyLookup, FoundNotFoundOrUnknown) {
  const Verdict found =
      classify_lookup(200, answer(200, R"([{"messageid":11,"localid":"5","status":10}])"));
  EXPECT_EQ(found.kind, K::kSent);
  EXPECT_NE(found.detail.find("messageid 11"), std::string::npos);
  EXPECT_EQ(
      classify_lookup(200, answer(200, R"([{"messageid":0,"localid":"5","status":100}])")).kind,
      K::kFailed);
  EXPECT_EQ(classify_lookup(200, answer(200, "[]")).kind, K::kFailed);
  EXPECT_EQ(classify_lookup(500, "").kind, K::kRetry);
  EXPECT_EQ(classify_lookup(200, answer(409)).kind, K::kRetry);
  EXPECT_EQ(classify_lookup(200, "{").kind, K::kRetry);
}

}  // namespace
}  // namespace halo::plugins::kavenegar
