// hubspot_unit_test.cpp -- unit tests of the hubspot source's pure parts:
// contact -> identify mapping, page decoding, cursor codec, request
// building and the RFC 3339/URL helpers.
#include "common/time_text.h"
#include "common/wire_text.h"
#include "hubspot_api.h"
#include "hubspot_cursor.h"
#include "hubspot_mapping.h"
#include "hubspot_page.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace halo::plugins::hubspot {
namespace {

simdjson::dom::element parse(simdjson::dom::parser &p, const std::string &json) {
  return p.parse(json);
}

TEST(HubspotMapping, ContactBecomesIdentifyWithRenamedTraits) {
  Contact c{"51",
            "2026-01-02T03:04:05.678Z",
            0,
            {{"email", "Jane@Example.test"},
             {"firstname", "Jane"},
             {"lastname", "Doe"},
             {"phone", "+15550001111"},
             {"lifecyclestage", "customer"},
             {"hs_object_id", "51"},
             {"lastmodifieddate", "2026-01-02T03:04:05.678Z"},
             {"company", "Acme \"Q\""}}};
  std::string out;
  append_identify(c, out);
  simdjson::dom::parser p;
  auto doc = parse(p, out);
  EXPECT_EQ(std::string_view(doc["type"]), "identify");
  EXPECT_EQ(std::string_view(doc["messageId"]), "hubspot-contact-51-2026-01-02T03:04:05.678Z");
  EXPECT_EQ(std::string_view(doc["timestamp"]), "2026-01-02T03:04:05.678Z");
  auto traits = doc["traits"];
  EXPECT_EQ(std::string_view(traits["crm_id"]), "51");
  EXPECT_EQ(std::string_view(traits["email"]), "Jane@Example.test");
  EXPECT_EQ(std::string_view(traits["first_name"]), "Jane");
  EXPECT_EQ(std::string_view(traits["last_name"]), "Doe");
  EXPECT_EQ(std::string_view(traits["phone"]), "+15550001111");
  EXPECT_EQ(std::string_view(traits["lifecycle_stage"]), "customer");
  EXPECT_EQ(std::string_view(traits["company"]), "Acme \"Q\"");
  EXPECT_TRUE(traits["hs_object_id"].error());
  EXPECT_TRUE(traits["lastmodifieddate"].error());
}

TEST(HubspotMapping, MessageIdChangesWithModificationOnly) {
  Contact a{"7", "2026-01-01T00:00:00.000Z", 0, {}};
  Contact b = a;
  Contact c = a;
  c.modified = "2026-01-01T00:00:00.001Z";
  std::string oa, ob, oc;
  append_identify(a, oa);
  append_identify(b, ob);
  append_identify(c, oc);
  EXPECT_EQ(oa, ob);
  EXPECT_NE(oa, oc);
}

TEST(HubspotPage, DecodesResultsNullsAndPaging) {
  std::string body = R"({"results":[
    {"id":"1","properties":{"email":"a@x.test","phone":null,"lastmodifieddate":"2026-01-02T00:00:00.000Z"},
     "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-02T00:00:00Z","archived":false},
    {"id":"2","properties":{"email":"b@x.test"},"updatedAt":"2026-01-03T00:00:00Z"},
    {"properties":{"email":"c@x.test"}},
    {"id":"4","properties":{"lastmodifieddate":"yesterday"}}],
    "paging":{"next":{"after":"NTA=","link":"https://x"}}})";
  ContactPage page = parse_contact_page(body);
  ASSERT_EQ(page.entries.size(), 4u);
  EXPECT_EQ(page.next_after, "NTA=");
  const Contact &c1 = page.entries[0].contact;
  EXPECT_TRUE(page.entries[0].ok);
  EXPECT_EQ(c1.id, "1");
  EXPECT_EQ(c1.modified_ms, *parse_rfc3339_ms("2026-01-02T00:00:00Z"));
  for (const auto &[k, v] : c1.properties) EXPECT_NE(k, "phone") << "null must be omitted";
  EXPECT_TRUE(page.entries[1].ok);
  EXPECT_EQ(page.entries[1].contact.modified, "2026-01-03T00:00:00Z");  // updatedAt fallback
  EXPECT_FALSE(page.entries[2].ok);
  EXPECT_NE(page.entries[2].bad.reason.find("no string id"), std::string::npos);
  EXPECT_NE(page.entries[2].bad.raw.find("c@x.test"), std::string::npos);
  EXPECT_FALSE(page.entries[3].ok);
  EXPECT_NE(page.entries[3].bad.reason.find("yesterday"), std::string::npos);
}

TEST(HubspotPage, LastPageHasNoAfterAndGarbageThrows) {
  EXPECT_TRUE(parse_contact_page(R"({"results":[]})").next_after.empty());
  EXPECT_THROW(parse_contact_page("<html>"), std::runtime_error);
  EXPECT_THROW(parse_contact_page(R"({"status":"error"})"), std::runtime_error);
}

TEST(HubspotCursor, RoundTripsEveryField) {
  HubspotCursor c;
  c.phase = SyncPhase::kIncremental;
  c.after = "a\"b\\c";
  c.skip = 17;
  c.query_offset = 9900;
  c.full_started_ms = 1767225600000;
  c.watermark_ms = 1767225600123;
  c.watermark_ids = {"1", "22"};
  c.scan_max_ms = 1767225609999;
  c.scan_max_ids = {"333"};
  std::string error;
  auto back = decode_cursor(encode_cursor(c), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, c);
  EXPECT_EQ(*decode_cursor(encode_cursor(HubspotCursor{}), error), HubspotCursor{});
}

TEST(HubspotCursor, RejectsForeignText) {
  std::string error;
  EXPECT_FALSE(decode_cursor("not json", error));
  EXPECT_NE(error.find("not JSON"), std::string::npos);
  EXPECT_FALSE(decode_cursor(R"({"v":2})", error));
  EXPECT_NE(error.find("version"), std::string::npos);
  EXPECT_FALSE(decode_cursor(R"({"v":1,"phase":"sideways"})", error));
}

TEST(HubspotApi, ListRequestCarriesBearerAndEncodedCursor) {
  HubspotOptions o;
  o.base_url = "https://api.example.test";
  o.access_token = "pat-na1-secret";
  o.properties = {"email", "lastmodifieddate"};
  o.page_size = 50;
  HubspotApi api(o);
  auto r = api.list_request("a b/=");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url,
            "https://api.example.test/crm/v3/objects/contacts?limit=50&after=a%20b%2F%3D"
            "&archived=false&properties=email%2Clastmodifieddate");
  ASSERT_FALSE(r.headers.empty());
  EXPECT_EQ(r.headers[0].first, "Authorization");
  EXPECT_EQ(r.headers[0].second, "Bearer pat-na1-secret");
  EXPECT_EQ(r.url.find("secret"), std::string::npos);
  EXPECT_EQ(api.list_request("").url.find("after="), std::string::npos);
}

TEST(HubspotApi, SearchBodyFiltersAndSortsOnLastModified) {
  HubspotOptions o;
  o.base_url = "https://api.hubapi.com";
  o.access_token = "t";
  o.properties = {"email"};
  o.page_size = 100;
  HubspotApi api(o);
  simdjson::dom::parser p;
  auto doc = parse(p, api.search_body(1767225600123, "200"));
  auto filter = doc["filterGroups"].at(0)["filters"].at(0);
  EXPECT_EQ(std::string_view(filter["propertyName"]), "lastmodifieddate");
  EXPECT_EQ(std::string_view(filter["operator"]), "GTE");
  EXPECT_EQ(std::string_view(filter["value"]), "1767225600123");
  EXPECT_EQ(std::string_view(doc["sorts"].at(0)["propertyName"]), "lastmodifieddate");
  EXPECT_EQ(std::string_view(doc["sorts"].at(0)["direction"]), "ASCENDING");
  EXPECT_EQ(int64_t(doc["limit"]), 100);
  EXPECT_EQ(std::string_view(doc["after"]), "200");
  auto first = parse(p, api.search_body(5, ""));
  EXPECT_TRUE(first["after"].error());
}

TEST(WireText, Rfc3339RoundTripAndRejects) {
  EXPECT_EQ(*parse_rfc3339_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*parse_rfc3339_ms("2026-01-02T03:04:05.678Z"), 1767323045678);
  EXPECT_EQ(*parse_rfc3339_ms("2026-01-02T06:34:05.678+03:30"), 1767323045678);
  EXPECT_EQ(*parse_rfc3339_ms("2026-01-02T03:04:05.6789123Z"), 1767323045678);
  EXPECT_EQ(format_iso8601(1767323045678), "2026-01-02T03:04:05.678Z");
  EXPECT_FALSE(parse_rfc3339_ms("2026-01-02 03:04:05"));  // no zone
  EXPECT_FALSE(parse_rfc3339_ms("2026-13-02T03:04:05Z"));
  EXPECT_FALSE(parse_rfc3339_ms("1767323045678"));
}

}  // namespace
}  // namespace halo::plugins::hubspot
