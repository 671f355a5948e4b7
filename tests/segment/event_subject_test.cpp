// event_subject_test.cpp -- event filters (ExprScope::kEvent, a trigger's
// `on.where`): paths name the event's own leaves, typed as received;
// terms about the profile are refused with their column; now() is the
// event's time; `[]` reads every element of a list.
#include "segment/event_subject.h"

#include <gtest/gtest.h>

namespace halo::segment {
namespace {

constexpr int64_t kAt = 1'719'705'600'000;  // 2024-06-30T00:00:00Z

Value number(std::string_view text) {
  return {HALO_VALUE_NUMBER, false, 0, text};
}
Value string(std::string_view text) {
  return {HALO_VALUE_STRING, false, 0, text};
}

// Two events: an order with properties and context, then one without any.
EventBatch orders() {
  EventBatch b;
  b.fields = {{"properties.revenue", number("1500000.50")},
              {"properties.currency", string("IRR")},
              {"properties.products.0.sku", string("کتاب-۱۲")},
              {"properties.coupon", {HALO_VALUE_NULL, false, 0, {}}},
              {"properties.first_order", {HALO_VALUE_BOOL, true, 0, {}}},
              {"properties.expires_at", string("2024-07-03T00:00:00Z")},
              {"context.campaign.source", string("sms")}};
  Event order;
  order.name = "Order Completed";
  order.timestamp_ms = kAt;
  order.field_begin = 0;
  order.field_count = static_cast<uint32_t>(b.fields.size());
  Event bare = order;
  bare.field_begin = order.field_count;
  bare.field_count = 0;
  b.events = {order, bare};
  return b;
}

Expr filter(const std::string &text) {
  ExprError error;
  auto expr = Expr::parse(text, error, {}, ExprScope::kEvent);
  EXPECT_TRUE(expr.has_value()) << text << ": column " << error.column << ": " << error.message;
  return expr ? *expr : *Expr::parse("properties.never", error, {}, ExprScope::kEvent);
}

bool holds(const std::string &text, size_t event = 0) {
  const EventBatch b = orders();
  const Expr e = filter(text);
  return e.matches(EventSubject(b, event, e.paths()));
}

TEST(EventFilter, PathsReadTheEventsLeavesTypedAsReceived) {
  EXPECT_TRUE(holds("properties.revenue >= 1500000.5"));
  EXPECT_FALSE(holds("properties.revenue > 1500000.50"));  // exact, not rounded
  EXPECT_TRUE(holds("properties.currency in ['IRR', 'USD'] and properties.first_order"));
  EXPECT_TRUE(holds("properties.products.0.sku starts_with 'کتاب'"));
  EXPECT_TRUE(holds("context.campaign.source == 'sms'"));
  EXPECT_FALSE(holds("properties.currency == 'USD'"));
}

TEST(EventFilter, AbsentAndNullLeavesNeverMatch) {
  EXPECT_FALSE(holds("exists(properties.coupon)"));
  EXPECT_TRUE(holds("properties.coupon == null"));  // as absent: no value
  EXPECT_FALSE(holds("properties.coupon != null"));
  EXPECT_TRUE(holds("not exists(properties.gift)"));
  // The second event has no fields at all.
  EXPECT_FALSE(holds("properties.revenue >= 0", 1));
  EXPECT_TRUE(holds("not exists(properties.revenue)", 1));
}

TEST(EventFilter, NowIsTheEventsTime) {
  // ISO text compares as a time; the order expires three days after it.
  EXPECT_TRUE(holds("properties.expires_at < now() + 4d"));
  EXPECT_FALSE(holds("properties.expires_at < now() + 2d"));
  const EventBatch b = orders();
  const Expr e = filter("properties.revenue > 0");
  EXPECT_EQ(EventSubject(b, 0, e.paths()).now_ms(), kAt);
}

TEST(EventFilter, TermsAboutTheProfileAreRefusedWhereTheyStand) {
  struct Case {
    std::string text;
    size_t column;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"features.order_count > 1", 1,
       "unknown name 'features.order_count' (a path starts with properties., context. or "
       "traits.)"},
      {"propertes.revenue > 1", 1, "did you mean 'properties.revenue'?"},
      {"identifiers.email == 'a@b.c'", 1, "unknown name 'identifiers.email'"},
      {"properties.a == 1 and in_segment(vip)", 23, "'in_segment' reads the profile"},
      {"did Order Completed within 1d", 1, "'did' reads the profile"},
      {"count(Order Completed) > 2", 1, "'count' reads the profile"},
  };
  for (const Case &c : cases) {
    ExprError error;
    EXPECT_FALSE(Expr::parse(c.text, error, {}, ExprScope::kEvent).has_value()) << c.text;
    EXPECT_EQ(error.column, c.column) << c.text << ": " << error.message;
    EXPECT_NE(error.message.find(c.message), std::string::npos) << c.text << ": " << error.message;
  }
  // The same text in a profile's scope is no event filter.
  ExprError error;
  EXPECT_FALSE(Expr::parse("properties.revenue > 1", error).has_value());
  EXPECT_TRUE(Expr::parse("features.order_count > 1", error).has_value());
}

// An order with a list of products (one without a sku), a list of tags and
// a list of lists, as the normalizer flattens them.
EventBatch cart() {
  EventBatch b;
  b.fields = {{"properties.products.0.sku", string("A-1")},
              {"properties.products.0.price", number("120000")},
              {"properties.products.1.sku", string("B-2")},
              {"properties.products.1.price", number("30000.50")},
              {"properties.products.2.sku", {HALO_VALUE_NULL, false, 0, {}}},
              {"properties.products.2.price", number("5")},
              {"properties.tags.0", string("gift")},
              {"properties.tags.1", string("sale")},
              {"properties.grid.0.0", number("1")},
              {"properties.grid.1.0", number("7")},
              {"properties.products_total", number("150005.50")}};
  Event order;
  order.name = "Order Completed";
  order.timestamp_ms = kAt;
  order.field_count = static_cast<uint32_t>(b.fields.size());
  b.events = {order};
  return b;
}

bool holds_in_cart(const std::string &text) {
  const EventBatch b = cart();
  const Expr e = filter(text);
  return e.matches(EventSubject(b, 0, e.paths()));
}

TEST(EventFilter, BracketsReadEveryElementOfAList) {
  // A test holds when one element passes it; != when none equals.
  EXPECT_TRUE(holds_in_cart("properties.products[].sku == 'B-2'"));
  EXPECT_FALSE(holds_in_cart("properties.products[].sku == 'C-3'"));
  EXPECT_TRUE(holds_in_cart("properties.products[].sku != 'C-3'"));
  EXPECT_FALSE(holds_in_cart("properties.products[].sku != 'A-1'"));
  EXPECT_TRUE(holds_in_cart("properties.products[].price > 100000"));
  EXPECT_FALSE(holds_in_cart("properties.products[].price > 120000"));
  EXPECT_TRUE(holds_in_cart("properties.products[].price == 30000.5"));  // exact, as received
  EXPECT_TRUE(holds_in_cart("properties.products[].sku matches '^B-[0-9]$'"));
  EXPECT_TRUE(
      holds_in_cart("properties.tags[] in ['sale', 'new'] and properties.tags[] "
                    "contains 'gif'"));
  EXPECT_TRUE(holds_in_cart("properties.grid[][] == 7"));
  EXPECT_FALSE(holds_in_cart("properties.grid[] == 7"));  // its items are lists
  EXPECT_TRUE(holds_in_cart("'A-1' == properties.products[].sku"));
  // The elements are the list's items only, and positions still read one.
  EXPECT_FALSE(holds_in_cart("properties.products[] == 5"));
  EXPECT_TRUE(holds_in_cart("properties.products.1.sku == 'B-2'"));
  EXPECT_FALSE(holds_in_cart("properties.products_total[] > 0"));
  // No element with a value: absent.
  EXPECT_FALSE(holds_in_cart("exists(properties.products[].discount)"));
  EXPECT_TRUE(holds_in_cart("properties.products[].discount == null"));
  EXPECT_TRUE(holds_in_cart("exists(properties.products[].sku)"));
  EXPECT_FALSE(holds("exists(properties.products[].sku)", 1));
}

TEST(EventFilter, BracketsBelongToEventsAndFollowAKey) {
  ExprError error;
  EXPECT_FALSE(Expr::parse("traits.tags[] == 'vip'", error).has_value());
  EXPECT_EQ(error.column, 1u);
  EXPECT_NE(error.message.find("`[]` names the elements of an event's list"), std::string::npos)
      << error.message;
  // An event-history field may name elements; an event's name may not
  // hold brackets unquoted.
  auto sum = Expr::parse("sum(Order Completed.products[].price within 30d) > 0", error);
  ASSERT_TRUE(sum.has_value()) << error.message;
  EXPECT_EQ(sum->history().at(0).field, "properties.products[].price");
  EXPECT_FALSE(Expr::parse("count(Order[] Completed) > 0", error).has_value());
  EXPECT_EQ(error.column, 7u);
  EXPECT_NE(error.message.find("quoted"), std::string::npos) << error.message;
  for (const auto &[text, scope] :
       {std::pair{"properties.grid[]x > 1", ExprScope::kEvent},
        std::pair{"sum(Order Completed.a[]b) > 1", ExprScope::kProfile}}) {
    EXPECT_FALSE(Expr::parse(text, error, {}, scope).has_value()) << text;
    EXPECT_NE(error.message.find("`[]` follows a key and ends it"), std::string::npos)
        << text << ": " << error.message;
  }
  // `in [` after a name is still a list of literals.
  EXPECT_TRUE(Expr::parse("properties.tags in['a'] or properties.tags in ['b']", error, {},
                          ExprScope::kEvent)
                  .has_value())
      << error.message;
}

}  // namespace
}  // namespace halo::segment
