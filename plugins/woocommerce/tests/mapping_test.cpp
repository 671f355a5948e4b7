// mapping_test.cpp -- WooCommerce orders/customers to Segment records:
// event by status (defaults and overrides), guests, exact money, stable
// messageIds and timestamps, and errors that name the field.
#include "woo_mapping.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace halo::woo {
namespace {

const char *kOrder = R"({"id":812,"status":"processing","currency":"EUR","total":"1234567.90",
  "total_tax":"0.00","shipping_total":"5.00","discount_total":"0.00",
  "date_created_gmt":"2026-01-03T10:11:12","date_modified_gmt":"2026-01-04T08:00:00",
  "customer_id":0,"billing":{"email":"a@example.test","phone":"","first_name":"Ann","last_name":"Lee"},
  "line_items":[{"id":1,"product_id":77,"variation_id":0,"name":"Mug","quantity":2,
                 "price":29.95,"total":"59.90","sku":"MUG-1"}]})";

struct Mapped {
  bool ok;
  std::string record, error;
};

Mapped order(const std::string &json, const StatusEvents &events = StatusEvents::defaults()) {
  simdjson::dom::parser parser;
  Mapped m{};
  m.ok = map_order(parser.parse(json).value(), events, m.record, m.error);
  return m;
}

std::string with(std::string json, const std::string &from, const std::string &to) {
  json.replace(json.find(from), from.size(), to);
  return json;
}

TEST(OrderMapping, GuestProcessingOrderIsOrderCompletedWithExactMoney) {
  Mapped m = order(kOrder);
  ASSERT_TRUE(m.ok) << m.error;
  simdjson::dom::parser parser;
  auto r = parser.parse(m.record).value();
  EXPECT_EQ(std::string_view(r["type"]), "track");
  EXPECT_EQ(std::string_view(r["event"]), "Order Completed");
  EXPECT_EQ(std::string_view(r["messageId"]), "woo-order-812-order-completed");
  EXPECT_EQ(std::string_view(r["timestamp"]), "2026-01-03T10:11:12Z");
  EXPECT_EQ(std::string_view(r["context"]["traits"]["email"]), "a@example.test");
  EXPECT_TRUE(r["context"]["traits"]["woo_customer_id"].error()) << "guests have no customer id";
  EXPECT_TRUE(r["context"]["traits"]["phone"].error()) << "empty strings are omitted";
  EXPECT_EQ(std::string_view(r["properties"]["order_id"]), "812");
  EXPECT_EQ(std::string_view(r["properties"]["currency"]), "EUR");
  // Exact decimal text, not a double's rendering.
  EXPECT_NE(m.record.find("\"revenue\":1234567.90"), std::string::npos) << m.record;
  EXPECT_NE(m.record.find("\"total\":1234567.90"), std::string::npos);
  EXPECT_NE(m.record.find("\"price\":29.95"), std::string::npos) << m.record;
  auto product = r["properties"]["products"].at(0).value();
  EXPECT_EQ(std::string_view(product["product_id"]), "77");
  EXPECT_EQ(std::string_view(product["sku"]), "MUG-1");
  EXPECT_EQ(int64_t(product["quantity"]), 2);
}

TEST(OrderMapping, StatusChoosesEventMessageIdAndTimestamp) {
  Mapped refunded = order(
      with(with(kOrder, "processing", "refunded"), "\"customer_id\":0", "\"customer_id\":42"));
  ASSERT_TRUE(refunded.ok) << refunded.error;
  EXPECT_NE(refunded.record.find("\"event\":\"Order Refunded\""), std::string::npos);
  EXPECT_NE(refunded.record.find("woo-order-812-order-refunded"), std::string::npos);
  EXPECT_NE(refunded.record.find("\"timestamp\":\"2026-01-04T08:00:00Z\""), std::string::npos)
      << "status changes are dated by date_modified_gmt";
  EXPECT_NE(refunded.record.find("\"woo_customer_id\":\"42\""), std::string::npos);
  EXPECT_NE(order(with(kOrder, "processing", "cancelled")).record.find("Order Cancelled"),
            std::string::npos);
  EXPECT_NE(order(with(kOrder, "processing", "on-hold")).record.find("\"Order Updated\""),
            std::string::npos);
}

TEST(OrderMapping, StatusEventsOverrideDefaults) {
  StatusEvents events = StatusEvents::defaults();
  events.set("processing", "Order Paid");
  events.set("on-hold", "Order Held");
  EXPECT_NE(order(kOrder, events).record.find("woo-order-812-order-paid"), std::string::npos);
  EXPECT_NE(order(with(kOrder, "processing", "on-hold"), events).record.find("Order Held"),
            std::string::npos);
  EXPECT_EQ(events.event_for("completed"), "Order Completed");
  EXPECT_EQ(event_slug("Order  Completed!"), "order-completed");
}

TEST(OrderMapping, BadFieldsAreErrorsNamingTheField) {
  Mapped m = order(with(kOrder, "\"total\":\"1234567.90\"", "\"total\":\"12,50\""));
  EXPECT_FALSE(m.ok);
  EXPECT_NE(m.error.find("'total'"), std::string::npos) << m.error;
  EXPECT_TRUE(m.record.empty());
  m = order(with(kOrder, "\"id\":812", "\"id\":\"x\""));
  EXPECT_NE(m.error.find("'id'"), std::string::npos) << m.error;
  m = order(with(kOrder, "\"price\":29.95", "\"price\":null"));
  EXPECT_NE(m.error.find("line_items"), std::string::npos) << m.error;
  m = order(
      with(kOrder, "\"date_created_gmt\":\"2026-01-03T10:11:12\"", "\"date_created_gmt\":null"));
  EXPECT_NE(m.error.find("'date_created_gmt'"), std::string::npos) << m.error;
}

// Found by the webhook fuzz target: a money string in exponent form is valid
// JSON but no amount of money; it must never reach the kernel as a number.
TEST(OrderMapping, MoneyIsAPlainDecimalNeverAnExponent) {
  Mapped m = order(with(kOrder, "\"total\":\"1234567.90\"", "\"total\":\"1.5e3\""));
  EXPECT_FALSE(m.ok);
  EXPECT_NE(m.error.find("'total'"), std::string::npos) << m.error;
  for (const char *bad : {"5.2e2200", "1.", ".5", "-", "+1", "1e3"}) {
    std::string total = std::string("\"total\":\"") + bad + "\"";
    EXPECT_FALSE(order(with(kOrder, "\"total\":\"1234567.90\"", total)).ok) << bad;
  }
  m = order(with(kOrder, "\"total\":\"1234567.90\"", "\"total\":\"-0.50\""));
  EXPECT_TRUE(m.ok) << m.error;
}

TEST(CustomerMapping, IdentifyWithBillingPhoneAndVersionedMessageId) {
  const char *json = R"({"id":5,"email":"B@Example.test","first_name":"Bo","last_name":"Li",
    "date_created_gmt":"2025-12-01T00:00:00","date_modified_gmt":"2026-01-02T03:04:05",
    "billing":{"email":"other@example.test","phone":"09121234567"}})";
  simdjson::dom::parser parser;
  std::string out, error;
  ASSERT_TRUE(map_customer(parser.parse(std::string(json)).value(), out, error)) << error;
  auto r = parser.parse(out).value();
  EXPECT_EQ(std::string_view(r["type"]), "identify");
  EXPECT_EQ(std::string_view(r["messageId"]), "woo-customer-5-2026-01-02T03:04:05");
  EXPECT_EQ(std::string_view(r["traits"]["email"]), "B@Example.test");
  EXPECT_EQ(std::string_view(r["traits"]["phone"]), "09121234567");
  EXPECT_EQ(std::string_view(r["traits"]["woo_customer_id"]), "5");
  EXPECT_EQ(std::string_view(r["context"]["traits"]["woo_customer_id"]), "5");
  EXPECT_EQ(std::string_view(r["timestamp"]), "2026-01-02T03:04:05Z");
  out.clear();
  EXPECT_FALSE(map_customer(parser.parse(std::string(R"({"email":"x@y.z"})")).value(), out, error));
  EXPECT_NE(error.find("'id'"), std::string::npos);
}

// Found by the webhook fuzz target: a date field holding arbitrary text
// (here cut in the middle of a UTF-8 sequence at byte 19) was sliced into
// the message id and timestamp, producing invalid JSON. Dates are parsed:
// a bad modified date falls back to the created date, two bad dates are an
// error naming the field.
TEST(CustomerMapping, DatesAreParsedNeverCut) {
  simdjson::dom::parser parser;
  std::string out, error;
  std::string json =
      "{\"id\":3,\"date_modified_gmt\":\"1013total_t;x&02-0\xc9\xab"
      "10d05:00\","
      "\"date_created_gmt\":\"2026-01-02T03:04:05.250\"}";
  ASSERT_TRUE(map_customer(parser.parse(json).value(), out, error)) << error;
  auto r = parser.parse(out).value();
  EXPECT_EQ(std::string_view(r["messageId"]), "woo-customer-3-2026-01-02T03:04:05");
  EXPECT_EQ(std::string_view(r["timestamp"]), "2026-01-02T03:04:05Z");
  for (const char *bad : {"2026-01-02 03:04:05", "2026-13-02T03:04:05", "2026-01-02T03:04",
                          "2026-01-02T03:04:05+03:30", "\xc9\xab"}) {
    out.clear();
    error.clear();
    std::string both = std::string("{\"id\":3,\"date_modified_gmt\":\"") + bad +
                       "\",\"date_created_gmt\":\"" + bad + "\"}";
    EXPECT_FALSE(map_customer(parser.parse(both).value(), out, error)) << bad;
    EXPECT_NE(error.find("_gmt'"), std::string::npos) << error;
    EXPECT_TRUE(out.empty()) << out;
  }
}

}  // namespace
}  // namespace halo::woo
