// sendgrid_unit_test.cpp -- the sendgrid destination's API logic
// (sendgrid_api.h): messages of the same content share a request up to the
// limit, each with its own recipient, custom_args and unsubscribe headers;
// the body is the documented JSON; every answer class maps to its verdict.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/crypto.h"
#include "engagement_records.h"
#include "sendgrid_api.h"
#include "sendgrid_events.h"
#include "webhook_oauth.h"

namespace halo::plugins::sendgrid {
namespace {

using K = Verdict::Kind;

halo::Message message(uint64_t id, std::string_view to, std::string_view subject,
                      std::string_view text, std::string_view html = "") {
  halo::Message m;
  m.id = id;
  m.channel = "email";
  m.recipient = to;
  m.subject = subject;
  m.text = text;
  m.html = html;
  return m;
}

TEST(Groups, SameContentSharesARequestUpToTheLimit) {
  const std::vector<halo::Message> ms = {
      message(1, "a@x.org", "s", "t"), message(2, "b@x.org", "s", "other"),
      message(3, "c@x.org", "s", "t"), message(4, "d@x.org", "s", "t", "<p>t</p>"),
      message(5, "e@x.org", "s", "t")};
  EXPECT_EQ(groups(ms, 1000), (std::vector<std::vector<size_t>>{{0, 2, 4}, {1}, {3}}));
  EXPECT_EQ(groups(ms, 2), (std::vector<std::vector<size_t>>{{0, 2}, {1}, {3}, {4}}));
  EXPECT_TRUE(groups({}, 10).empty());
}

TEST(RequestBody, IsTheDocumentedJson) {
  std::vector<halo::Message> ms = {
      message(7, "sara@x.org", "سلام \"Sara\"", "line\nتو", "<p dir=\"rtl\">x</p>"),
      message(8, "sam@x.org", "", "", "")};
  ms[0].idempotency_key = "cart:1:7";
  ms[0].unsubscribe_url = "https://shop.example/u?m=7&t=abc";
  ms[1].idempotency_key = "cart:2:8";
  ms[1].unsubscribe_url = "http://localhost/u?m=8&t=def";
  const std::string body =
      request_body({"news@shop.example", "فروشگاه", "help@shop.example"}, ms, {0, 1});
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(body);
  simdjson::dom::array ps = root["personalizations"];
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(std::string_view(root["personalizations"].at(0)["to"].at(0)["email"]), "sara@x.org");
  EXPECT_EQ(std::string_view(root["personalizations"].at(0)["custom_args"]["halo_message"]), "7");
  EXPECT_EQ(std::string_view(root["personalizations"].at(0)["custom_args"]["halo_key"]),
            "cart:1:7");
  EXPECT_EQ(std::string_view(root["personalizations"].at(0)["headers"]["List-Unsubscribe"]),
            "<https://shop.example/u?m=7&t=abc>");
  EXPECT_EQ(std::string_view(root["personalizations"].at(0)["headers"]["List-Unsubscribe-Post"]),
            "List-Unsubscribe=One-Click");
  // RFC 8058 one-click only for https.
  EXPECT_TRUE(root["personalizations"].at(1)["headers"]["List-Unsubscribe-Post"].error());
  EXPECT_EQ(std::string_view(root["from"]["email"]), "news@shop.example");
  EXPECT_EQ(std::string_view(root["from"]["name"]), "فروشگاه");
  EXPECT_EQ(std::string_view(root["reply_to"]["email"]), "help@shop.example");
  EXPECT_EQ(std::string_view(root["subject"]), "سلام \"Sara\"");
  EXPECT_EQ(std::string_view(root["content"].at(0)["type"]), "text/plain");
  EXPECT_EQ(std::string_view(root["content"].at(0)["value"]), "line\nتو");
  EXPECT_EQ(std::string_view(root["content"].at(1)["type"]), "text/html");
  const std::string html_only = request_body({"news@shop.example", "", ""},
                                             {message(1, "a@x.org", "s", "", "<b>x</b>")}, {0});
  simdjson::dom::element h = parser.parse(html_only);
  EXPECT_EQ(simdjson::dom::array(h["content"]).size(), 1u);
  EXPECT_TRUE(h["from"]["name"].error());
  EXPECT_TRUE(h["reply_to"].error());
}

TEST(Classify, EveryAnswerClass) {
  const Verdict sent = classify(202, "", "abc123", std::nullopt, std::nullopt, 0);
  EXPECT_EQ(sent.kind, K::kSent);
  EXPECT_EQ(sent.detail, "X-Message-Id abc123");
  const std::string errors =
      R"({"errors":[{"message":"Does not contain a valid address.","field":"personalizations.0.to.0.email","help":null}]})";
  const Verdict invalid = classify(400, errors, std::nullopt, std::nullopt, std::nullopt, 0);
  EXPECT_EQ(invalid.kind, K::kFailed);
  EXPECT_EQ(invalid.detail,
            "SendGrid 400: Does not contain a valid address. (personalizations.0.to.0.email)");
  for (int status : {401, 403, 406, 451}) {
    EXPECT_EQ(classify(status, errors, std::nullopt, std::nullopt, std::nullopt, 0).kind, K::kFatal)
        << status;
  }
  const Verdict limited = classify(429, "{}", std::nullopt, std::nullopt, "1000", 990);
  EXPECT_EQ(limited.kind, K::kRetry);
  EXPECT_EQ(limited.retry_after_ms, 10000);
  EXPECT_EQ(classify(429, "", std::nullopt, "3", "5", 990).retry_after_ms, 3000);
  EXPECT_EQ(classify(503, "down", std::nullopt, std::nullopt, std::nullopt, 0).kind, K::kRetry);
  EXPECT_EQ(classify(413, "", std::nullopt, std::nullopt, std::nullopt, 0).kind, K::kFailed);
  EXPECT_TRUE(split_after(400));
  EXPECT_TRUE(split_after(413));
  EXPECT_FALSE(split_after(429));
  EXPECT_FALSE(split_after(401));
}

// The verification example of SendGrid's own helper libraries
// (sendgrid-nodejs packages/eventwebhook, sendgrid-go helpers/eventwebhook).
const char *kDocKey =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQ"
    "GhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==";
const char *kDocSignature =
    "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/"
    "0=";
const char *kDocTimestamp = "1588788367";
const char *kDocPayload =
    R"({"category":"example_payload","event":"test_event","message_id":"message_id"})";

TEST(EventSignature, SendGridsDocumentedExample) {
  const std::string key = *base64_decode(kDocKey);
  EXPECT_TRUE(event_signature_valid(key, kDocTimestamp, kDocPayload, kDocSignature));
  EXPECT_FALSE(event_signature_valid(key, "1588788368", kDocPayload, kDocSignature));
  EXPECT_FALSE(
      event_signature_valid(key, kDocTimestamp, std::string(kDocPayload) + "\r\n", kDocSignature));
  EXPECT_FALSE(event_signature_valid(key, kDocTimestamp, kDocPayload, ""));
  EXPECT_FALSE(event_signature_valid(key, kDocTimestamp, kDocPayload, "not base64!"));
  EXPECT_FALSE(event_signature_valid(key.substr(0, 20), kDocTimestamp, kDocPayload,
                                     kDocSignature));  // a broken key
  EXPECT_FALSE(event_signature_valid("", kDocTimestamp, kDocPayload, kDocSignature));
}

TEST(Events, ParsedWithTheirCustomArgs) {
  auto events = parse_events(
      R"([{"email":"a@x.org","timestamp":1767600000,"event":"bounce","type":"bounce",)"
      R"("status":"5.1.1","reason":"550 no such user","sg_event_id":"e1","sg_message_id":"m1.f",)"
      R"("halo_message":"42","halo_key":"cart:1:2"},{"event":"open","email":"b@x.org"},)"
      R"({"event":"delivered","halo_message":42}])");
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 3u);
  const SendgridEvent &e = (*events)[0];
  EXPECT_EQ(e.halo_message, 42u);
  EXPECT_EQ(e.timestamp_s, 1767600000);
  EXPECT_EQ(e.sg_message_id, "m1.f");
  const EventAction bounce = action_of(e);
  EXPECT_EQ(bounce.kind, EventAction::Kind::kReceipt);
  EXPECT_EQ(bounce.receipt, HALO_RECEIPT_BOUNCED);
  EXPECT_EQ(bounce.detail, "bounce: bounce: 5.1.1: 550 no such user");
  EXPECT_EQ(action_of((*events)[1]).kind, EventAction::Kind::kNone);  // an open
  EXPECT_EQ((*events)[2].halo_message, 0u);  // a number is not the string SendGrid sends
  EXPECT_FALSE(parse_events(R"({"event":"delivered"})"));  // not an array
  EXPECT_FALSE(parse_events(R"([1,2])"));
  EXPECT_FALSE(parse_events("[{"));
  std::string many = "[";
  for (size_t i = 0; i <= kMaxEvents; ++i) many += std::string(i ? "," : "") + "{}";
  EXPECT_FALSE(parse_events(many + "]"));
}

TEST(Events, EachKindMapsToOneAction) {
  auto act = [](const char *event, const char *type = "") {
    SendgridEvent e;
    e.event = event;
    e.type = type;
    e.halo_message = 7;
    return action_of(e);
  };
  EXPECT_EQ(act("delivered").receipt, HALO_RECEIPT_DELIVERED);
  EXPECT_EQ(act("bounce", "blocked").receipt, HALO_RECEIPT_UNDELIVERED);
  EXPECT_EQ(act("dropped").receipt, HALO_RECEIPT_UNDELIVERED);
  EXPECT_EQ(act("spamreport").receipt, HALO_RECEIPT_COMPLAINED);
  EXPECT_EQ(act("unsubscribe").kind, EventAction::Kind::kOptOut);
  EXPECT_EQ(act("group_unsubscribe").kind, EventAction::Kind::kOptOut);
  for (const char *none : {"processed", "deferred", "open", "click", "group_resubscribe", ""}) {
    EXPECT_EQ(act(none).kind, EventAction::Kind::kNone) << none;
  }
  SendgridEvent foreign;  // not sent by Halo: no report, but an unsubscribe still counts
  foreign.event = "delivered";
  EXPECT_EQ(action_of(foreign).kind, EventAction::Kind::kNone);
  foreign.event = "unsubscribe";
  EXPECT_EQ(action_of(foreign).kind, EventAction::Kind::kOptOut);
}

// The source's records: Segment email spec names, the event's id and
// time, the address where the email identifier is read.
TEST(EngagementRecords, EachRecordedKindIsASegmentEmailEvent) {
  auto parsed = parse_events(
      R"([{"event":"open","email":"sara@example.ir","timestamp":1767607200,"sg_event_id":"e1",)"
      R"("sg_message_id":"m1.filter","halo_message":"42"},)"
      R"({"event":"click","email":"a@x.ir","timestamp":1767607200,"sg_event_id":"e2",)"
      R"("url":"https://shop.example/p/1"},)"
      R"({"event":"bounce","email":"b@x.ir","timestamp":1767607200,"sg_event_id":"e3",)"
      R"("type":"bounce","status":"5.1.1","reason":"550 no such user"},)"
      R"({"event":"bounce","email":"c@x.ir","timestamp":1767607200,"sg_event_id":"e4","type":"blocked"},)"
      R"({"event":"group_unsubscribe","email":"d@x.ir","timestamp":1767607200,"sg_event_id":"e5"},)"
      R"({"event":"processed","email":"e@x.ir","timestamp":1767607200,"sg_event_id":"e6"},)"
      R"({"event":"open","email":"f@x.ir","timestamp":1767607200},)"
      R"({"event":"open","email":"g@x.ir","timestamp":253402300800,"sg_event_id":"e8"}])");
  ASSERT_TRUE(parsed.has_value());
  const std::vector<SendgridEvent> &e = *parsed;
  ASSERT_EQ(e.size(), 8u);
  EXPECT_EQ(
      engagement_record(e[0]).value_or(""),
      R"({"type":"track","event":"Email Opened","messageId":"sendgrid:e1",)"
      R"("timestamp":"2026-01-05T10:00:00.000Z","context":{"traits":{"email":"sara@example.ir"}},)"
      R"("properties":{"email_id":"m1.filter","halo_message":"42"}})");
  EXPECT_NE(engagement_record(e[1]).value_or("").find(R"("event":"Email Link Clicked")"),
            std::string::npos);
  EXPECT_NE(engagement_record(e[1]).value_or("").find(
                R"("properties":{"url":"https://shop.example/p/1"}})"),
            std::string::npos);
  EXPECT_NE(engagement_record(e[2]).value_or("").find(
                R"("properties":{"type":"bounce","status":"5.1.1","reason":"550 no such user",)"
                R"("hard_bounce":true}})"),
            std::string::npos)
      << engagement_record(e[2]).value_or("");
  EXPECT_NE(engagement_record(e[3]).value_or("").find(R"("hard_bounce":false)"), std::string::npos);
  EXPECT_NE(engagement_record(e[4]).value_or("").find(R"("event":"Unsubscribed")"),
            std::string::npos);
  EXPECT_NE(engagement_record(e[4]).value_or("").find(R"("properties":{"channel":"email"}})"),
            std::string::npos);
  // Not recorded at all; recorded but unplaceable (no id; a time past 9999).
  EXPECT_FALSE(recorded_event(e[5]));
  EXPECT_FALSE(engagement_record(e[5]).has_value());
  EXPECT_TRUE(recorded_event(e[6]));
  EXPECT_FALSE(engagement_record(e[6]).has_value());
  EXPECT_FALSE(engagement_record(e[7]).has_value());
  EXPECT_EQ(e[6].raw, R"({"event":"open","email":"f@x.ir","timestamp":1767607200})");
}

// The OAuth option's token URL (RFC 6749 sections 2.3.1, 4.4, 5.1, 5.2)
// and the bearer tokens it issues (RFC 6750).
constexpr int64_t kNow = 1767607200;

std::string basic(std::string_view id_and_secret) {
  return "Basic " + base64_encode(id_and_secret);
}

// The access token of a 200 answer's JSON.
std::string token_of(const TokenAnswer &a) {
  simdjson::dom::parser parser;
  simdjson::dom::element e = parser.parse(a.body);
  EXPECT_EQ(std::string_view(e["token_type"]), "Bearer");
  EXPECT_EQ(int64_t(e["expires_in"]), WebhookTokens::kLifetimeS);
  return std::string(std::string_view(e["access_token"]));
}

TEST(WebhookTokens, ClientCredentialsGetATokenThatHoldsUntilItExpires) {
  const WebhookTokens tokens("sendgrid", "s3cret+x");
  const TokenAnswer a =
      tokens.answer(basic("sendgrid:s3cret+x"), "grant_type=client_credentials", kNow);
  ASSERT_EQ(a.status, 200) << a.body;
  const std::string token = token_of(a);
  EXPECT_TRUE(tokens.authorizes("Bearer " + token, kNow));
  EXPECT_TRUE(tokens.authorizes("bearer  " + token, kNow + WebhookTokens::kLifetimeS - 1));
  EXPECT_FALSE(tokens.authorizes("Bearer " + token, kNow + WebhookTokens::kLifetimeS));
  // Credentials in the body instead, form-encoded; no grant_type is taken
  // as the one grant there is.
  const TokenAnswer post =
      tokens.answer("", "client_id=sendgrid&client_secret=s3cret%2Bx&scope=events", kNow);
  ASSERT_EQ(post.status, 200) << post.body;
  EXPECT_TRUE(tokens.authorizes("Bearer " + token_of(post), kNow));
  // Basic halves form-encoded as RFC 6749 asks, or sent raw as many clients do.
  EXPECT_EQ(tokens.answer(basic("sendgrid:s3cret%2Bx"), "", kNow).status, 200);
  EXPECT_EQ(tokens.answer(basic("sendgrid:s3cret+x"), "", kNow).status, 200);
}

TEST(WebhookTokens, OnlyTokensOfThisClientAndSecretAuthorize) {
  const WebhookTokens tokens("sendgrid", "s3cret");
  const std::string token = tokens.issue(kNow);
  EXPECT_FALSE(WebhookTokens("sendgrid", "other").authorizes("Bearer " + token, kNow));
  EXPECT_FALSE(WebhookTokens("other", "s3cret").authorizes("Bearer " + token, kNow));
  // A later expiry written into a genuine token voids its MAC.
  std::string extended = token;
  extended.replace(5, 10, std::to_string(kNow + 999999));
  EXPECT_FALSE(tokens.authorizes("Bearer " + extended, kNow));
  for (const std::string &bad : std::vector<std::string>{
           "", "Bearer", "Bearer ", "Basic " + token, token, "Bearer x" + token,
           "Bearer hsg1..AAAA", "Bearer hsg1.99999999999999999999999.AAAA", "Bearer hsg1.-5.AAAA",
           "Bearer " + token.substr(0, token.size() - 2)}) {
    EXPECT_FALSE(tokens.authorizes(bad, kNow)) << bad;
  }
}

TEST(WebhookTokens, BadRequestsGetTheirOAuthError) {
  const WebhookTokens tokens("sendgrid", "s3cret");
  auto expect = [&](const TokenAnswer &a, int status, std::string_view code) {
    EXPECT_EQ(a.status, status) << a.body;
    EXPECT_NE(a.body.find("\"error\":\"" + std::string(code) + "\""), std::string::npos) << a.body;
  };
  const TokenAnswer wrong =
      tokens.answer(basic("sendgrid:guess"), "grant_type=client_credentials", kNow);
  expect(wrong, 401, "invalid_client");
  EXPECT_EQ(wrong.www_authenticate, "Basic realm=\"halo\", charset=\"UTF-8\"");
  const TokenAnswer wrong_post = tokens.answer("", "client_id=sendgrid&client_secret=guess", kNow);
  expect(wrong_post, 401, "invalid_client");
  EXPECT_TRUE(wrong_post.www_authenticate.empty());
  expect(tokens.answer(basic("sendgrid"), "", kNow), 401, "invalid_client");  // no colon
  expect(tokens.answer("Basic %%%", "", kNow), 401, "invalid_client");
  expect(tokens.answer(basic("sendgrid:s3cret"), "grant_type=password", kNow), 400,
         "unsupported_grant_type");
  expect(tokens.answer(basic("sendgrid:s3cret"), "client_id=sendgrid", kNow), 400,
         "invalid_request");  // credentials twice
  expect(tokens.answer("", "client_id=sendgrid", kNow), 400, "invalid_request");
  expect(tokens.answer("", "client_id=a&client_id=sendgrid&client_secret=s3cret", kNow), 400,
         "invalid_request");
  expect(tokens.answer("", "client_id=%zz", kNow), 400, "invalid_request");
  expect(tokens.answer(basic("sendgrid:s3cret"), std::string(5000, 'a'), kNow), 400,
         "invalid_request");
}

}  // namespace
}  // namespace halo::plugins::sendgrid
