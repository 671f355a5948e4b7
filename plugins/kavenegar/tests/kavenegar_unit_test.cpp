// kavenegar_unit_test.cpp -- the Kavenegar API logic without a kernel:
// receptor forms, the send form, and the outcome of every class of answer
// to sms/send.json and sms/statuslocalmessageid.json, the delivery
// reports sms/status.json answers make, and the events incoming messages
// (sms/receive.json) become.
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
  EXPECT_EQ(classify_send(200, answer(200, R"([{"messageid":-8792,"status":1}])"), two).kind,
            K::kRetry);  // found by fuzzing: ids are positive
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

TEST(LookupTokens, TakeTextAndNumbersAndRefuseWhatKavenegarWould) {
  TokensOrWhy t = lookup_tokens(
      R"({"token":48213,"token2":"سارا","token10":"سارا رضایی","token20":null,"x":[1]})");
  EXPECT_EQ(t.why, "");
  EXPECT_EQ(t.tokens.token, "48213");
  EXPECT_EQ(t.tokens.token2, "سارا");
  EXPECT_EQ(t.tokens.token10, "سارا رضایی");
  EXPECT_EQ(t.tokens.token20, "");
  EXPECT_EQ(lookup_tokens(R"({"token2":"a"})").why.rfind("no variable token", 0), 0u);
  EXPECT_EQ(lookup_tokens(R"({"token":""})").why.rfind("no variable token", 0), 0u);
  EXPECT_EQ(lookup_tokens(R"({"token":"12 34"})").why.rfind("variable token holds white", 0), 0u);
  EXPECT_EQ(lookup_tokens(R"({"token":"1","token3":"a\tb"})").why.rfind("variable token3", 0), 0u);
  EXPECT_EQ(lookup_tokens(R"({"token":"1","token10":"a b c d e f"})").why,
            "variable token10 holds more than 4 spaces");
  EXPECT_EQ(lookup_tokens(R"({"token":true})").why, "variable token is not text or a number");
  EXPECT_EQ(lookup_tokens(R"({"token":")" + std::string(101, '7') + "\"}").why,
            "variable token is longer than 100 bytes");
  EXPECT_EQ(lookup_tokens("[1]").why, "the message's variables are not a JSON object");
}

TEST(LookupForm, EncodesTheTokensGiven) {
  LookupTokens t;
  t.token = "48213";
  t.token10 = "سارا رضایی";
  EXPECT_EQ(lookup_form("09121234567", "otp-login", t, "call"),
            "receptor=09121234567&template=otp-login&token=48213&token10=%D8%B3%D8%A7%D8%B1%D8%A7"
            "%20%D8%B1%D8%B6%D8%A7%DB%8C%DB%8C&type=call");
}

TEST(ClassifyLookupSend, TemplateCodesAreAboutTheMessage) {
  const Verdict ok = classify_lookup_send(200, answer(200, R"([{"messageid":77}])"), "otp");
  EXPECT_EQ(ok.kind, K::kSent);
  EXPECT_EQ(ok.detail, "messageid 77; template otp");
  EXPECT_EQ(messageid_of(ok.detail), 77);
  for (int code : {424, 428, 431, 432}) {
    EXPECT_EQ(classify_lookup_send(code, answer(code), "otp").kind, K::kFailed) << code;
  }
  EXPECT_EQ(classify_lookup_send(403, answer(403), "otp").kind, K::kFatal);
  EXPECT_EQ(classify_lookup_send(409, answer(409), "otp").kind, K::kRetry);
  EXPECT_EQ(classify_lookup_send(200, answer(200, "[]"), "otp").kind, K::kRetry);
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

TEST(MessageIdOf, ReadsTheIdBothSentDetailsName) {
  const SmsSegments one = sms_segments("x");
  const Verdict sent = classify_send(200, answer(200, R"([{"messageid":8792343}])"), one);
  EXPECT_EQ(messageid_of(sent.detail), 8792343);
  const Verdict found = classify_lookup(200, answer(200, R"([{"messageid":11,"status":10}])"));
  EXPECT_EQ(messageid_of(found.detail), 11);
  EXPECT_EQ(messageid_of("messageid 2222222222022220000; 1 segment (GSM-7)"),
            int64_t{2222222222022220000});  // found by fuzzing: any positive int64
  for (const char *bad : {"", "messageid ", "messageid x1", "SM123",
                          "messageid 92233720368547758070", "messageid -5", "messageid 0"}) {
    EXPECT_FALSE(messageid_of(bad).has_value()) << bad;
  }
}

TEST(StatusForm, ListsTheIdsCommaSeparated) {
  EXPECT_EQ(status_form({8792343, 8792344}), "messageid=8792343%2C8792344");
  EXPECT_EQ(status_form({7}), "messageid=7");
}

TEST(StatusAnswer, ReadsEveryEntryWithAnIdAndAStatus) {
  const StatusAnswer a = parse_status_answer(
      200, answer(200, R"([{"messageid":1,"status":10,"statustext":"رسیده به گیرنده"},)"
                       R"({"messageid":2,"status":4},{"status":11},{"messageid":3,"status":"x"},)"
                       R"({"messageid":0,"status":100}])"));
  ASSERT_TRUE(a.error.empty()) << a.error;
  ASSERT_EQ(a.entries.size(), 2u);
  EXPECT_EQ(a.entries[0].messageid, 1);
  EXPECT_EQ(a.entries[0].status, 10);
  EXPECT_EQ(a.entries[0].statustext, "رسیده به گیرنده");
  EXPECT_EQ(a.entries[1].messageid, 2);
  EXPECT_EQ(a.entries[1].statustext, "");
}

TEST(StatusAnswer, AnAnswerThatCannotBeUsedSaysWhy) {
  EXPECT_EQ(parse_status_answer(403, answer(403)).error, "Kavenegar 403: پیام");
  EXPECT_EQ(parse_status_answer(502, "Bad Gateway").error, "HTTP 502: Bad Gateway");
  EXPECT_FALSE(parse_status_answer(200, answer(200)).error.empty());  // entries null
  EXPECT_FALSE(parse_status_answer(200, "{").error.empty());
}

TEST(StatusAnswer, ReadsAtMostTheLimit) {
  std::string entries = "[";
  for (size_t k = 0; k < kMaxStatusEntries + 5; ++k) {
    entries += (k ? "," : "") + std::string(R"({"messageid":)") + std::to_string(k + 1) +
               R"(,"status":10})";
  }
  EXPECT_EQ(parse_status_answer(200, answer(200, entries + "]")).entries.size(), kMaxStatusEntries);
}

TEST(ReceiptOf, FinalStatusesOnly) {
  EXPECT_EQ(receipt_of(10), HALO_RECEIPT_DELIVERED);
  for (int64_t undelivered : {6, 11, 13, 14}) {
    EXPECT_EQ(receipt_of(undelivered), HALO_RECEIPT_UNDELIVERED) << undelivered;
  }
  for (int64_t open : {0, 1, 2, 4, 5, 50, 100, 999}) {
    EXPECT_FALSE(receipt_of(open).has_value()) << open;
  }
}

TEST(ReceiveForm, AsksForUnreadOrForTheLatestRead) {
  EXPECT_EQ(receive_form("10004346", false), "linenumber=10004346&isread=0");
  EXPECT_EQ(receive_form("+9810004346", true), "linenumber=%2B9810004346&isread=1");
}

TEST(ReceiveAnswer, ReadsEveryMessageAndKeepsWhatCannotBePlaced) {
  const ReceiveAnswer a = parse_receive_answer(
      200,
      answer(
          200,
          R"([{"messageid":11,"message":"لغو","sender":"09121110001","receptor":"10004346","date":1767600000},
                          {"messageid":12,"sender":"09121110002","date":1767600001},
                          {"message":"no id","sender":"0912","date":1},
                          {"messageid":13,"message":"x","sender":"","date":1},
                          {"messageid":14,"message":"x","sender":"0912","date":253402300800}])"));
  EXPECT_TRUE(a.error.empty()) << a.error;
  ASSERT_EQ(a.messages.size(), 2u);
  EXPECT_EQ(a.messages[0].messageid, 11);
  EXPECT_EQ(a.messages[0].message, "لغو");
  EXPECT_EQ(a.messages[0].sender, "09121110001");
  EXPECT_EQ(a.messages[0].receptor, "10004346");
  EXPECT_EQ(a.messages[0].date, 1767600000);
  EXPECT_EQ(a.messages[1].message, "");  // no text: an empty message
  EXPECT_EQ(a.unusable.size(), 3u);
  EXPECT_EQ(a.entries, 5u);
  EXPECT_NE(a.unusable[0].find("no id"), std::string::npos);

  EXPECT_TRUE(parse_receive_answer(200, answer(200)).messages.empty());  // null: nothing unread
  EXPECT_TRUE(parse_receive_answer(200, answer(200)).error.empty());
}

TEST(ReceiveAnswer, AnAnswerThatCannotBeUsedSaysWhyAndWhetherToRetry) {
  const ReceiveAnswer refused = parse_receive_answer(403, answer(403));
  EXPECT_NE(refused.error.find("403"), std::string::npos) << refused.error;
  EXPECT_EQ(refused.failure, HALO_FATAL);
  EXPECT_EQ(parse_receive_answer(200, answer(409)).failure, HALO_RETRY);  // busy
  EXPECT_EQ(parse_receive_answer(503, "<html>down</html>").failure, HALO_RETRY);
  EXPECT_EQ(parse_receive_answer(400, answer(400)).failure, HALO_ERROR);
  EXPECT_EQ(parse_receive_answer(200, answer(200, R"({"messageid":1})")).failure, HALO_ERROR);
  EXPECT_EQ(parse_receive_answer(200, R"({"return":{"status":200,"message":"ok"}})").failure,
            HALO_ERROR);  // no entries at all
}

TEST(ReceiveAnswer, ReadsAtMostAPage) {
  std::string entries = "[";
  for (int i = 1; i <= 150; ++i) {
    entries += (i > 1 ? "," : "") + std::string(R"({"messageid":)") + std::to_string(i) +
               R"(,"message":"m","sender":"0912","date":1})";
  }
  const ReceiveAnswer a = parse_receive_answer(200, answer(200, entries + "]"));
  EXPECT_EQ(a.messages.size(), kMaxReceiveEntries);
}

TEST(InboundRecord, KeywordsStateConsentAndOtherTextIsAnEvent) {
  InboundSms m;
  m.messageid = 5000001;
  m.sender = "09121110001";
  m.receptor = "10004346";
  m.date = 1767600000;
  m.message = " لغو ";
  EXPECT_EQ(
      inbound_record(m),
      R"({"type":"track","event":"Unsubscribed","messageId":"kavenegar-sms:5000001",)"
      R"("timestamp":"2026-01-05T08:00:00.000Z","context":{"traits":{"phone":"09121110001"}},)"
      R"("properties":{"channel":"sms","proof":"Kavenegar messageid 5000001:  لغو ",)"
      R"("text":" لغو ","line":"10004346","messageid":5000001}})");
  m.message = "start";
  EXPECT_NE(inbound_record(m).find(R"("event":"Consent Updated")"), std::string::npos);
  EXPECT_NE(inbound_record(m).find(R"("channel":"sms","opted_in":true)"), std::string::npos);
  m.message = "please stop calling \"me\"";
  const std::string other = inbound_record(m);
  EXPECT_NE(other.find(R"("event":"SMS Received")"), std::string::npos);
  EXPECT_NE(other.find(R"("properties":{"text":"please stop calling \"me\"")"), std::string::npos)
      << other;
  EXPECT_EQ(other.find("channel"), std::string::npos);
}

}  // namespace
}  // namespace halo::plugins::kavenegar
