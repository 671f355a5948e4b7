// square_unit_test.cpp -- unit tests of the square source's pure parts:
// exact minor-unit money, order/customer mapping, page decoding, the
// cursor codec and the search bodies (date filter/sort match, identical
// query on follow-up pages).
#include "square_api.h"
#include "square_cursor.h"
#include "square_money.h"
#include "square_page.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace halo::plugins::square {
namespace {

TEST(SquareMoney, MinorUnitsAreExact) {
  EXPECT_EQ(minor_units_to_decimal(900, 2), "9.00");
  EXPECT_EQ(minor_units_to_decimal(5, 2), "0.05");
  EXPECT_EQ(minor_units_to_decimal(0, 2), "0.00");
  EXPECT_EQ(minor_units_to_decimal(-1250, 2), "-12.50");
  EXPECT_EQ(minor_units_to_decimal(125000000, 0), "125000000");  // IRR
  EXPECT_EQ(minor_units_to_decimal(1234, 3), "1.234");
  EXPECT_EQ(minor_units_to_decimal(INT64_MAX, 2), "92233720368547758.07");
  EXPECT_EQ(minor_units_to_decimal(INT64_MIN, 2), "-92233720368547758.08");
}

const char *kOrderPage = R"({"orders":[
  {"id":"ORD1","location_id":"L1","state":"COMPLETED","customer_id":"CUST9","version":3,
   "created_at":"2026-01-02T10:00:00Z","updated_at":"2026-01-02T10:05:00Z","closed_at":"2026-01-02T10:05:00Z",
   "line_items":[{"uid":"li1","name":"Latte","quantity":"2","catalog_object_id":"CAT1",
                  "base_price_money":{"amount":450,"currency":"USD"},"total_money":{"amount":900,"currency":"USD"}}],
   "total_money":{"amount":907,"currency":"USD"},"total_tax_money":{"amount":7,"currency":"USD"}},
  {"id":"ORD2","state":"COMPLETED","version":1,"updated_at":"2026-01-02T11:00:00Z",
   "tenders":[{"id":"T1","type":"CARD","customer_id":"CUST3"}],
   "total_money":{"amount":100,"currency":"USD"}},
  {"id":"ORD3","state":"COMPLETED","total_money":{"amount":100,"currency":"USD"}}],
  "cursor":"c2Vjb25k"})";

TEST(SquarePage, OrdersBecomeOrderCompletedWithExactRevenue) {
  SquarePage page = parse_square_page(kOrderPage, SquareObject::kOrder, 2);
  ASSERT_EQ(page.entries.size(), 3u);
  EXPECT_EQ(page.next_cursor, "c2Vjb25k");
  ASSERT_TRUE(page.entries[0].ok) << page.entries[0].reason;
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(page.entries[0].record);
  EXPECT_EQ(std::string_view(doc["type"]), "track");
  EXPECT_EQ(std::string_view(doc["event"]), "Order Completed");
  EXPECT_EQ(std::string_view(doc["messageId"]), "square-order-ORD1-completed");
  EXPECT_EQ(std::string_view(doc["timestamp"]), "2026-01-02T10:05:00Z");
  EXPECT_EQ(std::string_view(doc["context"]["traits"]["square_customer_id"]), "CUST9");
  // Exact literal text, not a double rendering.
  EXPECT_NE(page.entries[0].record.find("\"revenue\":9.07"), std::string::npos);
  EXPECT_EQ(std::string_view(doc["properties"]["currency"]), "USD");
  EXPECT_NE(page.entries[0].record.find("\"tax\":0.07"), std::string::npos);
  auto product = doc["properties"]["products"].at(0);
  EXPECT_EQ(std::string_view(product["product_id"]), "CAT1");
  EXPECT_EQ(int64_t(product["quantity"]), 2);
  EXPECT_NE(page.entries[0].record.find("\"price\":4.50"), std::string::npos);
  // Tender customer as fallback; no customer at all is a reasoned reject.
  ASSERT_TRUE(page.entries[1].ok);
  EXPECT_NE(page.entries[1].record.find("\"square_customer_id\":\"CUST3\""), std::string::npos);
  EXPECT_FALSE(page.entries[2].ok);
  EXPECT_NE(page.entries[2].reason.find("ORD3"), std::string::npos);
  EXPECT_NE(page.entries[2].raw.find("ORD3"), std::string::npos);
}

TEST(SquarePage, ZeroMinorUnitsForRial) {
  SquarePage page = parse_square_page(
      R"({"orders":[{"id":"O","state":"COMPLETED","customer_id":"C","total_money":{"amount":1250000,"currency":"IRR"}}]})",
      SquareObject::kOrder, 0);
  ASSERT_TRUE(page.entries[0].ok);
  EXPECT_NE(page.entries[0].record.find("\"revenue\":1250000,"), std::string::npos);
  EXPECT_TRUE(page.next_cursor.empty());
}

TEST(SquarePage, CustomersBecomeIdentify) {
  SquarePage page = parse_square_page(
      R"({"customers":[{"id":"CUST9","version":4,"updated_at":"2026-01-01T00:00:00Z",
          "given_name":"Sara","family_name":"Ahmadi","email_address":"sara@x.test","phone_number":"+989121234567"},
          {"given_name":"NoId"}]})",
      SquareObject::kCustomer, 2);
  ASSERT_EQ(page.entries.size(), 2u);
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(page.entries[0].record);
  EXPECT_EQ(std::string_view(doc["type"]), "identify");
  EXPECT_EQ(std::string_view(doc["messageId"]), "square-customer-CUST9-4");
  EXPECT_EQ(std::string_view(doc["traits"]["square_customer_id"]), "CUST9");
  EXPECT_EQ(std::string_view(doc["traits"]["email"]), "sara@x.test");
  EXPECT_EQ(std::string_view(doc["traits"]["phone"]), "+989121234567");
  EXPECT_EQ(std::string_view(doc["traits"]["first_name"]), "Sara");
  EXPECT_FALSE(page.entries[1].ok);
  EXPECT_TRUE(parse_square_page("{}", SquareObject::kCustomer, 2).entries.empty());
  EXPECT_THROW(parse_square_page("[1]", SquareObject::kCustomer, 2), std::runtime_error);
}

TEST(SquareCursor, RoundTripsAndRejects) {
  SquareCursor c;
  c.phase = SquareObject::kOrder;
  c.customers_watermark_ms = 11;
  c.orders_watermark_ms = 22;
  c.scan = {"{\"q\":\"x\"}", "tok\"en", 5, 100, 200};
  std::string error;
  auto back = decode_cursor(encode_cursor(c), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, c);
  EXPECT_FALSE(decode_cursor("{\"v\":1}", error));
  EXPECT_FALSE(decode_cursor("garbage", error));
}

SquareOptions options() {
  SquareOptions o;  // what read_options() gives for the declared defaults
  o.base_url = "https://connect.squareup.com";
  o.square_version = kDefaultSquareVersion;
  o.late_arrival_hours = 72;
  o.currency_minor_units = 2;
  o.access_token = "EAAAsecret";
  o.location_ids = {"L1", "L2"};
  o.limit = 50;
  return o;
}

TEST(SquareApi, OrdersQueryFiltersAndSortsOnTheSameField) {
  SquareApi api(options());
  simdjson::dom::parser p;
  simdjson::dom::element q = p.parse(api.query(SquareObject::kOrder, 1767323045678, 1767409445678));
  auto filter = q["query"]["filter"];
  auto updated = filter["date_time_filter"]["updated_at"];
  EXPECT_EQ(std::string_view(updated["start_at"]), "2026-01-02T03:04:05.678Z");
  EXPECT_EQ(std::string_view(updated["end_at"]), "2026-01-03T03:04:05.678Z");
  EXPECT_EQ(filter["date_time_filter"].get_object().size(), 1u);
  EXPECT_EQ(std::string_view(q["query"]["sort"]["sort_field"]), "UPDATED_AT");
  EXPECT_EQ(std::string_view(filter["state_filter"]["states"].at(0)), "COMPLETED");
  EXPECT_FALSE(bool(q["return_entries"]));
  EXPECT_EQ(std::string_view(q["location_ids"].at(1)), "L2");
  simdjson::dom::element first = p.parse(api.query(SquareObject::kOrder, 0, 1767409445678));
  EXPECT_TRUE(first["query"]["filter"]["date_time_filter"]["updated_at"]["start_at"].error());
}

TEST(SquareApi, FollowUpPagesRepeatTheQueryExactly) {
  SquareApi api(options());
  std::string query = api.query(SquareObject::kCustomer, 5000, 9000);
  std::string next = SquareApi::with_cursor(query, "abc");
  EXPECT_EQ(next.substr(0, query.size() - 1), query.substr(0, query.size() - 1));
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(next);
  EXPECT_EQ(std::string_view(doc["cursor"]), "abc");
  EXPECT_EQ(int64_t(doc["limit"]), 50);
  EXPECT_EQ(SquareApi::with_cursor(query, ""), query);
  auto r = api.search_request(SquareObject::kOrder, query);
  bool version = false;
  for (const auto &[k, v] : r.headers)
    version |= k == "Square-Version" && v == kDefaultSquareVersion;
  EXPECT_TRUE(version);
  EXPECT_EQ(r.url, "https://connect.squareup.com/v2/orders/search");
}

}  // namespace
}  // namespace halo::plugins::square
