// twilio_unit_test.cpp -- the Twilio API logic without a kernel: the
// create form (From or a Messaging Service, the status callback naming the
// outbox message) and the outcome of every class of answer.
#include <gtest/gtest.h>

#include <cctype>

#include "twilio_api.h"
#include "twilio_webhook.h"

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

// Twilio's own example (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
// Auth Token 12345, a form POST to this URL with these fields.
const char *kDocUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
const FormFields kDocFields = {{"CallSid", "CA1234567890ABCDE"},
                               {"Caller", "+12349013030"},
                               {"Digits", "1234"},
                               {"From", "+12349013030"},
                               {"To", "+18005551212"}};

TEST(Signature, TwiliosDocumentedExample) {
  EXPECT_EQ(twilio_signature("12345", kDocUrl, kDocFields), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  EXPECT_TRUE(signature_valid("12345", kDocUrl, kDocFields, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
}

TEST(Signature, AnyChangeBreaksIt) {
  const std::string good = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
  EXPECT_FALSE(signature_valid("12346", kDocUrl, kDocFields, good));
  EXPECT_FALSE(
      signature_valid("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", kDocFields, good));
  FormFields changed = kDocFields;
  changed[2].second = "1235";
  EXPECT_FALSE(signature_valid("12345", kDocUrl, changed, good));
  changed = kDocFields;
  changed.push_back({"Body", "STOP"});
  EXPECT_FALSE(signature_valid("12345", kDocUrl, changed, good));
  EXPECT_FALSE(signature_valid("12345", kDocUrl, kDocFields, ""));
}

TEST(Signature, FieldOrderDoesNotMatterAndDefaultPortsAreTried) {
  FormFields reversed(kDocFields.rbegin(), kDocFields.rend());
  EXPECT_TRUE(signature_valid("12345", kDocUrl, reversed, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  // Signed for the URL with :443; received without it, and the reverse.
  const std::string with_port =
      twilio_signature("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", kDocFields);
  EXPECT_TRUE(signature_valid("12345", kDocUrl, kDocFields, with_port));
  EXPECT_TRUE(signature_valid("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                              kDocFields, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  // Another explicit port is another URL.
  EXPECT_FALSE(signature_valid("12345", "https://mycompany.com:8443/myapp.php?foo=1&bar=2",
                               kDocFields, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
}

// The JSON-bodied case of Twilio's helper libraries' request validator
// tests (twilio-python, tests/unit/test_request_validator.py).
const char *kJsonBody = R"({"property": "value", "boolean": true})";
const char *kJsonUrl =
    "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256="
    "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

TEST(JsonSignature, TheHelperLibrariesExample) {
  EXPECT_TRUE(json_signature_valid("12345", kJsonUrl, kJsonBody, "a9nBmqA0ju/hNViExpshrM61xv4="));
  // The hash may come in upper case; the URL signed is then that URL.
  std::string upper = kJsonUrl;
  for (size_t i = upper.find('=', upper.find("bodySHA256")) + 1; i < upper.size(); ++i) {
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
  }
  EXPECT_TRUE(json_signature_valid("12345", upper, kJsonBody,
                                   twilio_signature("12345", upper, FormFields{})));
}

TEST(JsonSignature, ABodyThatIsNotTheHashedOneOrAMissingHashFails) {
  const std::string good = "a9nBmqA0ju/hNViExpshrM61xv4=";
  EXPECT_FALSE(
      json_signature_valid("12345", kJsonUrl, R"({"property": "value", "boolean": false})", good));
  EXPECT_FALSE(json_signature_valid("12346", kJsonUrl, kJsonBody, good));
  EXPECT_FALSE(json_signature_valid("12345", kJsonUrl, kJsonBody, ""));
  // Signed without a hash in the URL: the body is vouched for by nothing.
  const std::string bare = "https://mycompany.com/myapp.php?foo=1&bar=2";
  EXPECT_FALSE(json_signature_valid("12345", bare, kJsonBody,
                                    twilio_signature("12345", bare, FormFields{})));
  EXPECT_FALSE(json_signature_valid(
      "12345", "https://mycompany.com/myapp.php", kJsonBody,
      twilio_signature("12345", "https://mycompany.com/myapp.php", FormFields{})));
}

TEST(JsonFields, TopLevelScalarsBecomeFields) {
  auto fields =
      json_fields(R"({"MessageSid":"SM1","ErrorCode":30005,"Price":-0.5,"Ok":true,"Media":null,)"
                  R"("Nested":{"a":1},"List":[1],"Body":"لغو"})",
                  16);
  ASSERT_TRUE(fields);
  EXPECT_EQ(*fields, (FormFields{{"MessageSid", "SM1"},
                                 {"ErrorCode", "30005"},
                                 {"Price", "-0.5"},
                                 {"Ok", "true"},
                                 {"Body", "لغو"}}));
  auto report = status_report(
      *json_fields(R"({"MessageSid":"SM2","MessageStatus":"failed","ErrorCode":"30006"})", 16));
  ASSERT_TRUE(report);
  EXPECT_EQ(report->kind, StatusReport::Kind::kBounced);
}

TEST(JsonFields, RefusesWhatIsNotOneObjectWithinTheLimit) {
  EXPECT_FALSE(json_fields("", 16));
  EXPECT_FALSE(json_fields("[]", 16));
  EXPECT_FALSE(json_fields(R"({"a":"b"} {})", 16));
  EXPECT_FALSE(json_fields(R"({"a":"b")", 16));
  EXPECT_FALSE(json_fields("{\"a\":\"\xff\"}", 16));  // not UTF-8
  EXPECT_FALSE(json_fields(R"({"a":1,"b":2,"c":3})", 2));
  EXPECT_TRUE(json_fields(R"({"a":1,"b":2})", 2));
}

TEST(JsonMediaType, ApplicationJsonWithOrWithoutParameters) {
  EXPECT_TRUE(is_json_media_type("application/json"));
  EXPECT_TRUE(is_json_media_type("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(is_json_media_type(" application/json ;charset=UTF-8"));
  EXPECT_FALSE(is_json_media_type("application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_json_media_type("application/jsonx"));
  EXPECT_FALSE(is_json_media_type(""));
}

TEST(StatusReport, OnlyFinalStatusesReport) {
  for (const char *s : {"queued", "sending", "sent", "accepted", "scheduled", ""}) {
    EXPECT_FALSE(status_report({{"MessageStatus", s}, {"MessageSid", "SM1"}})) << s;
  }
  auto delivered = status_report({{"MessageSid", "SM1"}, {"MessageStatus", "delivered"}});
  ASSERT_TRUE(delivered);
  EXPECT_EQ(delivered->kind, StatusReport::Kind::kDelivered);
  EXPECT_EQ(delivered->message_sid, "SM1");
  auto off = status_report({{"MessageStatus", "undelivered"}, {"ErrorCode", "30003"}});
  ASSERT_TRUE(off);
  EXPECT_EQ(off->kind, StatusReport::Kind::kUndelivered);
  EXPECT_EQ(off->detail, "undelivered, error 30003");
  for (const char *code : {"30005", "30006"}) {
    auto gone = status_report({{"MessageStatus", "failed"}, {"ErrorCode", code}});
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->kind, StatusReport::Kind::kBounced) << code;
  }
  EXPECT_EQ(status_report({{"MessageStatus", "failed"}})->kind, StatusReport::Kind::kUndelivered);
}

TEST(ConsentKeyword, WholeWordsOnly) {
  for (const char *w : {"STOP", "stop", " Stop\n", "STOPALL", "unsubscribe", "Cancel", "END",
                        "quit", "OPTOUT", "revoke", "لغو", " انصراف "}) {
    EXPECT_EQ(consent_keyword(w), std::optional<bool>(false)) << w;
  }
  for (const char *w : {"START", "unstop", "yes"}) {
    EXPECT_EQ(consent_keyword(w), std::optional<bool>(true)) << w;
  }
  for (const char *w : {"stop by the shop", "STOP!", "", "  ", "no", "لغو کن", "STO P"}) {
    EXPECT_EQ(consent_keyword(w), std::nullopt) << w;
  }
}

TEST(CallbackMessageId, TheOutboxIdCreateFormPutThere) {
  EXPECT_EQ(callback_message_id("m=42"), std::optional<uint64_t>(42));
  EXPECT_EQ(callback_message_id("src=x&m=7"), std::optional<uint64_t>(7));
  for (const char *q : {"", "m=", "m=0", "m=4x", "m=-1", "m=%ZZ", "m=123456789012345678901"}) {
    EXPECT_EQ(callback_message_id(q), std::nullopt) << q;
  }
}

TEST(ParseForm, DecodesAndRefusesWhatNoSenderMakes) {
  auto f = parse_form("Body=Hi+there%21&From=%2B4477&&Empty=&Flag");
  ASSERT_TRUE(f);
  ASSERT_EQ(f->size(), 4u);
  EXPECT_EQ((*f)[0], (std::pair<std::string, std::string>{"Body", "Hi there!"}));
  EXPECT_EQ((*f)[1].second, "+4477");
  EXPECT_EQ((*f)[2], (std::pair<std::string, std::string>{"Empty", ""}));
  EXPECT_EQ((*f)[3], (std::pair<std::string, std::string>{"Flag", ""}));
  EXPECT_FALSE(parse_form("a=%4"));
  EXPECT_FALSE(parse_form("a=%G0"));
  EXPECT_FALSE(parse_form("a=1&b=2&c=3", 2));
  EXPECT_TRUE(parse_form("a=1&b=2", 2));
}

}  // namespace
}  // namespace halo::plugins::twilio
