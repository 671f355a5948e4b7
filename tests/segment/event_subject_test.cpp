// event_subject_test.cpp -- event filters (ExprScope::kEvent, a trigger's
// `on.where`): paths name the event's own leaves, typed as received;
// terms about the profile are refused with their column; now() is the
// event's time.
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

}  // namespace
}  // namespace halo::segment
