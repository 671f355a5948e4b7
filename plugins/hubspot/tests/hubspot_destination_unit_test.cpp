// hubspot_destination_unit_test.cpp -- unit tests of the hubspot
// destination's pure parts (contact_upsert.h): the property mapping, how
// each typed value becomes HubSpot text, the batch upsert body, and what
// every answer means -- 207 Multi-Status errors tied to inputs by
// objectWriteTraceId (the shape of HubSpot's batch upsert reference), by id
// or email, or tied to none.
#include "contact_upsert.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

namespace halo::plugins::hubspot {
namespace {

const char *kWhere = "POST api.hubapi.com/crm/v3/objects/contacts/batch/upsert";

halo::ProfileValue value(int32_t type, uint32_t kind, std::string_view text, double number = 0,
                         bool boolean = false) {
  halo::ProfileValue v;
  v.type = type;
  v.value.kind = kind;
  v.value.str = text.data();
  v.value.len = text.size();
  v.value.number = number;
  v.value.boolean = boolean ? 1 : 0;
  return v;
}

std::optional<std::string> render(const halo::ProfileValue &v) {
  std::string why;
  std::optional<std::string> out = property_text(v, why);
  EXPECT_TRUE(why.empty()) << why;
  return out;
}

std::vector<ContactInput> three_contacts() {
  return {{17, "sara@example.ir", {{"firstname", "سارا"}, {"lifetime_value", "120.50"}}},
          {18, "Ali@Example.org", {}},
          {19, "jane@example.test", {{"halo_segments", "churn_risk;vip"}}}};
}

TEST(HubspotPropertySource, TraitsFeaturesAndSegments) {
  std::string why;
  auto t = parse_property_source("traits.first_name", why);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, PropertySource::Kind::kTrait);
  EXPECT_EQ(t->name, "first_name");
  auto f = parse_property_source("features.clv.value", why);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->kind, PropertySource::Kind::kFeature);
  EXPECT_EQ(f->name, "clv.value");
  auto s = parse_property_source("segments", why);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->kind, PropertySource::Kind::kSegments);
  EXPECT_TRUE(s->name.empty());
}

TEST(HubspotPropertySource, AnythingElseIsRefusedWithTheFix) {
  for (const char *bad :
       {"traits.", "features.", "trait.first_name", "first_name", "segment", ""}) {
    std::string why;
    EXPECT_FALSE(parse_property_source(bad, why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
  std::string why;
  parse_property_source("first_name", why);
  EXPECT_NE(why.find("traits.NAME, features.NAME or segments"), std::string::npos) << why;
  parse_property_source("traits.", why);
  EXPECT_NE(why.find("names no trait"), std::string::npos) << why;
}

TEST(HubspotPropertyName, InternalNamesOnlyAndNeverEmail) {
  EXPECT_EQ(check_property_name("firstname"), "");
  EXPECT_EQ(check_property_name("hs_lead_status"), "");
  EXPECT_EQ(check_property_name("halo_segments_2"), "");
  EXPECT_NE(check_property_name("email").find("contact's id"), std::string::npos);
  for (const std::string &bad : std::vector<std::string>{
           "", "First Name", "Firstname", "9lives", "_x", "a-b", "a.b", std::string(101, 'a')}) {
    EXPECT_NE(check_property_name(bad), "") << bad;
  }
  EXPECT_EQ(check_property_name(std::string(100, 'a')), "");
}

TEST(HubspotPropertyText, EveryKindAsHubspotText) {
  EXPECT_EQ(render(value(HALO_TYPED_STRING, HALO_VALUE_STRING, "Sara \"S\" Ahmadi")),
            "Sara \"S\" Ahmadi");
  EXPECT_EQ(render(value(HALO_TYPED_STRING, HALO_VALUE_STRING, "")), "");  // a value, sent
  EXPECT_EQ(render(value(HALO_TYPED_INTEGER, HALO_VALUE_NUMBER, "-42", -42)), "-42");
  // Exact decimal text, trailing zero and all; never through the double.
  EXPECT_EQ(render(value(HALO_TYPED_DECIMAL, HALO_VALUE_NUMBER, "120.50", 120.5)), "120.50");
  EXPECT_EQ(render(value(HALO_TYPED_DECIMAL, HALO_VALUE_NUMBER, "12345678901234567.89", 1.2e16)),
            "12345678901234567.89");
  EXPECT_EQ(render(value(HALO_TYPED_DOUBLE, HALO_VALUE_NUMBER, "0.33333333333333331", 1.0 / 3)),
            "0.33333333333333331");
  EXPECT_EQ(render(value(HALO_TYPED_BOOL, HALO_VALUE_BOOL, "", 0, true)), "true");
  EXPECT_EQ(render(value(HALO_TYPED_BOOL, HALO_VALUE_BOOL, "", 0, false)), "false");
  // 2026-01-05T10:00:00.000Z as epoch milliseconds.
  EXPECT_EQ(render(value(HALO_TYPED_TIMESTAMP, HALO_VALUE_STRING, "2026-01-05T10:00:00.000Z",
                         1767607200000)),
            "1767607200000");
  EXPECT_EQ(render(value(HALO_TYPED_STRING_LIST, HALO_VALUE_STRING, R"(["red","آبی"])", 2)),
            "red;آبی");
  EXPECT_EQ(render(value(HALO_TYPED_STRING_LIST, HALO_VALUE_STRING, "[]", 0)), "");
  // A kind of a later minor is read by its halo_value kind.
  EXPECT_EQ(render(value(99, HALO_VALUE_NUMBER, "7", 7)), "7");
  EXPECT_EQ(render(value(99, HALO_VALUE_BOOL, "", 0, true)), "true");
}

TEST(HubspotPropertyText, MissingAndNullAreLeftOutNeverEmptyOrZero) {
  EXPECT_EQ(render(halo::ProfileValue{}), std::nullopt);
  EXPECT_EQ(render(value(HALO_TYPED_NULL, HALO_VALUE_NULL, "")), std::nullopt);
  EXPECT_EQ(render(value(99, HALO_VALUE_NULL, "")), std::nullopt);
}

TEST(HubspotPropertyText, AListItemWithASemicolonCannotBeSent) {
  std::string why;
  EXPECT_EQ(
      property_text(value(HALO_TYPED_STRING_LIST, HALO_VALUE_STRING, R"(["a","b;c"])", 2), why),
      std::nullopt);
  EXPECT_NE(why.find("'b;c'"), std::string::npos) << why;
  EXPECT_EQ(property_text(value(HALO_TYPED_STRING_LIST, HALO_VALUE_STRING, "[1]", 1), why),
            std::nullopt);
  EXPECT_FALSE(why.empty());
}

TEST(HubspotSegmentsText, NamesJoinedBySemicolonsEmptyWhenNone) {
  EXPECT_EQ(segments_text({"churn_risk", "vip"}), "churn_risk;vip");
  EXPECT_EQ(segments_text({"vip"}), "vip");
  EXPECT_EQ(segments_text({}), "");
}

TEST(HubspotUpsertBody, OneInputPerContactInBatchOrder) {
  const std::vector<ContactInput> in = three_contacts();
  const std::string body = upsert_body(in, {2, 0});
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(body);
  simdjson::dom::array inputs = doc["inputs"];
  ASSERT_EQ(inputs.size(), 2u);
  simdjson::dom::element first = inputs.at(0);
  EXPECT_EQ(std::string_view(first["id"]), "jane@example.test");
  EXPECT_EQ(std::string_view(first["idProperty"]), "email");
  EXPECT_EQ(std::string_view(first["objectWriteTraceId"]), "19");
  EXPECT_EQ(std::string_view(first["properties"]["halo_segments"]), "churn_risk;vip");
  simdjson::dom::element second = inputs.at(1);
  EXPECT_EQ(std::string_view(second["id"]), "sara@example.ir");
  EXPECT_EQ(std::string_view(second["objectWriteTraceId"]), "17");
  EXPECT_EQ(std::string_view(second["properties"]["firstname"]), "سارا");
  // Every value is a JSON string, numbers included.
  EXPECT_TRUE(second["properties"]["lifetime_value"].is_string());
  EXPECT_EQ(std::string_view(second["properties"]["lifetime_value"]), "120.50");
  EXPECT_EQ(simdjson::dom::object(second["properties"]).size(), 2u);
}

TEST(HubspotUpsertBody, AContactWithoutPropertiesHasAnEmptyObject) {
  const std::vector<ContactInput> in = three_contacts();
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(upsert_body(in, {1}));
  EXPECT_EQ(simdjson::dom::object(doc["inputs"].at(0)["properties"]).size(), 0u);
  EXPECT_EQ(std::string_view(doc["inputs"].at(0)["id"]), "Ali@Example.org");
}

TEST(HubspotClassify, TwoHundredSyncsTheWholeBatch) {
  const std::vector<ContactInput> in = three_contacts();
  BatchVerdict v =
      classify_upsert(200, R"({"status":"COMPLETE","results":[]})", in, {0, 1, 2}, kWhere);
  EXPECT_EQ(v.kind, BatchVerdict::Kind::kApplied);
  EXPECT_TRUE(v.failures.empty());
}

// The shape of HubSpot's batch upsert reference: errors[] of StandardError
// with `context` naming the failed input's objectWriteTraceId.
TEST(HubspotClassify, MultiStatusFailsOnlyTheInputsItsErrorsName) {
  const std::vector<ContactInput> in = three_contacts();
  const std::string body = R"({
    "status":"COMPLETE",
    "results":[{"id":"51","new":true,"objectWriteTraceId":"17","properties":{"email":"sara@example.ir"},
                "createdAt":"2026-01-02T03:04:05.678Z","updatedAt":"2026-01-02T03:04:05.678Z","archived":false},
               {"id":"52","new":false,"objectWriteTraceId":"19","properties":{"email":"jane@example.test"},
                "createdAt":"2026-01-02T03:04:05.678Z","updatedAt":"2026-01-02T03:04:05.678Z","archived":false}],
    "numErrors":1,
    "errors":[{"status":"error","category":"VALIDATION_ERROR",
               "message":"Property values were not valid: [{\"isValid\":false}]",
               "context":{"objectWriteTraceId":["18"]},
               "errors":[{"message":"Email address Ali@Example.org is invalid","code":"INVALID_EMAIL",
                          "context":{"propertyName":["email"]}}],
               "links":{}}],
    "startedAt":"2026-01-02T03:04:05.600Z","completedAt":"2026-01-02T03:04:05.700Z"})";
  BatchVerdict v = classify_upsert(207, body, in, {0, 1, 2}, kWhere);
  ASSERT_EQ(v.kind, BatchVerdict::Kind::kApplied);
  ASSERT_EQ(v.failures.size(), 1u);
  ASSERT_TRUE(v.failures.count(1));
  EXPECT_EQ(v.failures.at(1),
            "VALIDATION_ERROR: Email address Ali@Example.org is invalid (INVALID_EMAIL)");
}

TEST(HubspotClassify, MultiStatusPositionsAreThoseOfTheBatchNotOfTheInputs) {
  const std::vector<ContactInput> in = three_contacts();
  const std::string body =
      R"({"status":"COMPLETE","results":[],"numErrors":1,"errors":[{"status":"error",
          "category":"VALIDATION_ERROR","message":"bad","context":{"objectWriteTraceId":["17"]}}]})";
  BatchVerdict v = classify_upsert(207, body, in, {2, 0}, kWhere);  // 17 is second here
  ASSERT_EQ(v.failures.size(), 1u);
  EXPECT_EQ(v.failures.count(1), 1u);
  EXPECT_EQ(v.failures.at(1), "VALIDATION_ERROR: bad");
}

TEST(HubspotClassify, MultiStatusErrorsMayNameInputsByIdOrEmailInAnyCase) {
  const std::vector<ContactInput> in = three_contacts();
  const std::string body = R"({"status":"COMPLETE","results":[],"numErrors":2,"errors":[
      {"status":"error","category":"VALIDATION_ERROR","message":"one","context":{"ids":["ali@example.org"]}},
      {"status":"error","category":"CONFLICT","message":"two","id":"19"}]})";
  BatchVerdict v = classify_upsert(207, body, in, {0, 1, 2}, kWhere);
  ASSERT_EQ(v.failures.size(), 2u);
  EXPECT_EQ(v.failures.at(1), "VALIDATION_ERROR: one");
  EXPECT_EQ(v.failures.at(2), "CONFLICT: two");
}

TEST(HubspotClassify, AnErrorTiedToNoInputFailsAllThatAreNotListedAsResults) {
  const std::vector<ContactInput> in = three_contacts();
  const std::string body = R"({"status":"COMPLETE",
      "results":[{"id":"51","new":false,"properties":{"email":"SARA@example.ir"}}],
      "numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR","message":"mystery"}]})";
  BatchVerdict v = classify_upsert(207, body, in, {0, 1, 2}, kWhere);
  ASSERT_EQ(v.kind, BatchVerdict::Kind::kApplied);
  EXPECT_EQ(v.failures.count(0), 0u);  // listed as a result by its email
  ASSERT_EQ(v.failures.size(), 2u);
  EXPECT_NE(v.failures.at(1).find("did not tie to an input: VALIDATION_ERROR: mystery"),
            std::string::npos)
      << v.failures.at(1);
}

TEST(HubspotClassify, MoreErrorsCountedThanListedAreNotTakenAsSuccess) {
  const std::vector<ContactInput> in = three_contacts();
  const std::string body = R"({"status":"COMPLETE",
      "results":[{"id":"51","objectWriteTraceId":"17","properties":{}}],
      "numErrors":2,"errors":[{"category":"VALIDATION_ERROR","message":"x",
                               "context":{"objectWriteTraceId":["18"]}}]})";
  BatchVerdict v = classify_upsert(207, body, in, {0, 1, 2}, kWhere);
  EXPECT_EQ(v.failures.count(0), 0u);
  EXPECT_EQ(v.failures.at(1), "VALIDATION_ERROR: x");
  ASSERT_EQ(v.failures.count(2), 1u);
  EXPECT_NE(v.failures.at(2).find("counted 2 errors and listed 1"), std::string::npos);
}

TEST(HubspotClassify, AnUnreadableMultiStatusFailsEveryInput) {
  const std::vector<ContactInput> in = three_contacts();
  BatchVerdict v = classify_upsert(207, "<html>", in, {0, 1, 2}, kWhere);
  EXPECT_EQ(v.kind, BatchVerdict::Kind::kApplied);
  EXPECT_EQ(v.failures.size(), 3u);
}

TEST(HubspotClassify, CredentialsStopTheDestinationWithoutQuotingAnything) {
  const std::vector<ContactInput> in = three_contacts();
  for (int status : {401, 403}) {
    BatchVerdict v = classify_upsert(
        status,
        R"({"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"})",
        in, {0}, kWhere);
    EXPECT_EQ(v.kind, BatchVerdict::Kind::kFatal) << status;
    EXPECT_NE(v.detail.find("token was refused by POST api.hubapi.com"), std::string::npos)
        << v.detail;
    EXPECT_NE(v.detail.find("HTTP " + std::to_string(status) + " INVALID_AUTHENTICATION"),
              std::string::npos)
        << v.detail;
    EXPECT_NE(v.detail.find("crm.objects.contacts.write"), std::string::npos);
  }
}

TEST(HubspotClassify, RateLimitsRetryExceptTheDailyOne) {
  const std::vector<ContactInput> in = three_contacts();
  BatchVerdict burst = classify_upsert(
      429, R"({"status":"error","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"})", in,
      {0, 1}, kWhere);
  EXPECT_EQ(burst.kind, BatchVerdict::Kind::kRetry);
  EXPECT_NE(burst.detail.find("HTTP 429 TEN_SECONDLY_ROLLING"), std::string::npos);
  BatchVerdict daily =
      classify_upsert(429, R"({"status":"error","errorType":"RATE_LIMIT","policyName":"DAILY"})",
                      in, {0, 1}, kWhere);
  EXPECT_EQ(daily.kind, BatchVerdict::Kind::kFatal);
  EXPECT_NE(daily.detail.find("midnight"), std::string::npos);
}

TEST(HubspotClassify, ServerTroubleIsRetried) {
  const std::vector<ContactInput> in = three_contacts();
  for (int status : {500, 502, 503, 504, 408, 423, 477}) {
    EXPECT_EQ(classify_upsert(status, "", in, {0, 1}, kWhere).kind, BatchVerdict::Kind::kRetry)
        << status;
  }
}

TEST(HubspotClassify, ABatchRefusedAsAWholeIsSplitASingleInputIsRejected) {
  const std::vector<ContactInput> in = three_contacts();
  const std::string body =
      R"({"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid",
          "errors":[{"message":"Property \"favorite\" does not exist","code":"PROPERTY_DOESNT_EXIST"}]})";
  for (int status : {400, 409, 413, 414, 422}) {
    EXPECT_EQ(classify_upsert(status, body, in, {0, 1}, kWhere).kind, BatchVerdict::Kind::kSplit)
        << status;
  }
  BatchVerdict one = classify_upsert(400, body, in, {1}, kWhere);
  EXPECT_EQ(one.kind, BatchVerdict::Kind::kRejected);
  EXPECT_EQ(one.detail,
            "HubSpot 400: VALIDATION_ERROR: Property \"favorite\" does not exist "
            "(PROPERTY_DOESNT_EXIST)");
}

TEST(HubspotClassify, AnythingElseIsFatalAndPointsAtBaseUrl) {
  const std::vector<ContactInput> in = three_contacts();
  BatchVerdict v = classify_upsert(404, "Not Found", in, {0}, kWhere);
  EXPECT_EQ(v.kind, BatchVerdict::Kind::kFatal);
  EXPECT_NE(v.detail.find("base_url"), std::string::npos);
  EXPECT_NE(v.detail.find("HTTP 404"), std::string::npos);
}

TEST(HubspotErrorReason, NestedMessagesThenMessageThenRawText) {
  EXPECT_EQ(error_reason(R"({"category":"VALIDATION_ERROR","message":"top",
                            "errors":[{"message":"a","code":"A"},{"message":"b"}]})"),
            "VALIDATION_ERROR: a (A); b");
  EXPECT_EQ(error_reason(R"({"message":"only this"})"), "only this");
  EXPECT_EQ(error_reason(R"({})"), "no reason given");
  EXPECT_EQ(error_reason("  upstream timed out \n"), "upstream timed out");
  EXPECT_LE(error_reason(R"({"message":")" + std::string(5000, 'x') + R"("})").size(), 600u);
}

}  // namespace
}  // namespace halo::plugins::hubspot
