// aggregate_engine_test.cpp -- feature values for scripted events: every
// op, money strings, non-numeric skips, empty profiles, (timestamp,
// sequence) ordering, windows, dirty tracking, persistence and corruption.
#include <gtest/gtest.h>

#include <halo/sdk.hpp>

#include <random>

#include "test_support.h"

namespace halo::aggregates::testing {
namespace {

constexpr int64_t kT0 = 1767348000000;  // 2026-01-02T10:00:00.000Z

const char *kShopFeatures = R"(
features:
  orders: { count: { event: Order Completed } }
  revenue: { sum: { event: Order Completed, field: properties.revenue } }
  avg_order: { avg: { event: Order Completed, field: properties.revenue } }
  min_order: { min: { event: Order Completed, field: properties.revenue } }
  max_order: { max: { event: Order Completed, field: properties.revenue } }
  first_order: { first: { event: Order Completed } }
  last_plan: { last: { field: context.traits.plan } }
  products: { distinct: { event: Product Viewed, field: properties.product_id } }
  pages: { count: { type: page } }
)";

std::vector<TestEvent> shop_events() {
  TestEvent page{"Home", kT0 + 5000, 6, {str("context.traits.plan", "pro")}, HALO_EVENT_PAGE};
  return {
      {"Order Completed",
       kT0,
       1,
       {str("properties.revenue", "42.00"), str("context.traits.plan", "basic")}},
      {"Product Viewed", kT0 + 1000, 2, {number("properties.product_id", "17")}},
      {"Product Viewed", kT0 + 1500, 3, {str("properties.product_id", "SKU-9")}},
      {"Product Viewed", kT0 + 1600, 4, {str("properties.product_id", "17")}},
      {"Order Completed", kT0 + 2000, 5, {number("properties.revenue", "78.5")}},
      {"Order Completed", kT0 + 3000, 7, {str("properties.revenue", "free")}},
      {"Order Completed", kT0 + 4000, 8, {}},
      page,
  };
}

TEST(AggregateEngine, ComputesEveryOperationExactly) {
  AggregateEngine engine = engine_from(kShopFeatures);
  std::vector<Rejected> rejected = feed(engine, shop_events(), 7);
  std::map<std::string, std::string> expected = {
      {"orders", "int:3"},        {"revenue", "num:120.5"},
      {"avg_order", "num:60.25"}, {"min_order", "num:42"},
      {"max_order", "num:78.5"},  {"first_order", "str:2026-01-02T10:00:00.000Z"},
      {"last_plan", "str:pro"},   {"products", "int:2"},
      {"pages", "int:1"}};
  EXPECT_EQ(emit_all(engine, 7, kT0 + kDay), expected);
  // "free" is present but not a number: the whole order is refused (not
  // counted as an order with no revenue); the missing revenue is no value.
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].index, 5u);
  EXPECT_EQ(rejected[0].reason, "not_a_number");
  EXPECT_NE(rejected[0].message.find("\"free\""), std::string::npos) << rejected[0].message;
  EXPECT_NE(rejected[0].message.find("properties.revenue"), std::string::npos);
}

TEST(AggregateEngine, RefusesValuesThatCannotBeSummedExactlyAndKeepsTheState) {
  AggregateEngine engine = engine_from(kShopFeatures);
  std::vector<TestEvent> events = {
      {"Order Completed", kT0, 1, {number("properties.revenue", "10")}},
      {"Order Completed", kT0 + 1, 2, {number("properties.revenue", "1e400")}},
      {"Order Completed",
       kT0 + 2,
       3,
       {number("properties.revenue", "12345678901234567890123456789012345678901234567890")}},
      {"Order Completed", kT0 + 3, 4, {number("properties.revenue", "1000000000000000001")}},
      {"Order Completed", kT0 + 4, 5, {number("properties.revenue", "-1e19")}},
      {"Order Completed", kT0 + 5, 6, {number("properties.revenue", "1e18")}},
  };
  std::vector<Rejected> rejected = feed(engine, events, 7);
  ASSERT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[0].index, 1u);
  EXPECT_EQ(rejected[0].reason, "not_a_number");
  EXPECT_EQ(rejected[1].index, 2u);
  EXPECT_EQ(rejected[1].reason, "not_a_number");
  EXPECT_EQ(rejected[2].index, 3u);
  EXPECT_EQ(rejected[2].reason, "number_out_of_range");
  EXPECT_EQ(rejected[3].index, 4u);
  EXPECT_EQ(rejected[3].reason, "number_out_of_range");
  auto v = emit_all(engine, 7, kT0 + kDay);
  EXPECT_EQ(v["orders"], "int:2");
  EXPECT_EQ(v["revenue"], "num:1000000000000000010");
  EXPECT_EQ(v["max_order"], "num:1000000000000000000");
}

TEST(AggregateEngine, ProfileWithoutMatchingEventsEmitsZerosAndNulls) {
  AggregateEngine engine = engine_from(kShopFeatures);
  std::map<std::string, std::string> expected = {
      {"orders", "int:0"},   {"revenue", "num:0"},  {"avg_order", "null"},
      {"min_order", "null"}, {"max_order", "null"}, {"first_order", "null"},
      {"last_plan", "null"}, {"products", "int:0"}, {"pages", "int:0"}};
  EXPECT_EQ(emit_all(engine, 999, kT0), expected);
  // An event no feature's filter matches creates no state either.
  AggregateEngine orders_only =
      engine_from("features: { n: { count: { event: Order Completed } } }");
  feed(orders_only, {{"Signed Up", kT0, 1, {}}}, 5);
  EXPECT_EQ(orders_only.profile_count(), 0u);
  feed(orders_only, {{"Order Completed", kT0, 2, {}}}, 5);
  EXPECT_EQ(orders_only.profile_count(), 1u);
}

TEST(AggregateEngine, FirstAndLastOrderByTimestampThenSequence) {
  AggregateEngine engine = engine_from(R"(
features:
  first_plan: { first: { field: context.traits.plan } }
  last_plan: { last: { field: context.traits.plan } }
  last_total: { last: { field: properties.total } }
  last_flag: { last: { field: properties.vip } }
  last_seen: { last: { field: timestamp } }
)");
  // Same timestamp; delivered out of sequence order.
  feed(engine,
       {{"A", kT0, 21, {str("context.traits.plan", "gold"), number("properties.total", "10.50")}},
        {"A", kT0, 20, {str("context.traits.plan", "silver"), number("properties.total", "3")}},
        {"A",
         kT0 - 1,
         99,
         {str("context.traits.plan", "bronze"), {"properties.vip", HALO_VALUE_BOOL, "true"}}}},
       1);
  auto v = emit_all(engine, 1, kT0);
  EXPECT_EQ(v["first_plan"], "str:bronze");
  EXPECT_EQ(v["last_plan"], "str:gold");
  EXPECT_EQ(v["last_total"], "num:10.50");  // the literal's exact text
  EXPECT_EQ(v["last_flag"], "bool:true");
  EXPECT_EQ(v["last_seen"], "str:2026-01-02T10:00:00.000Z");
}

TEST(AggregateEngine, DayWindowsCountTheLastNUtcDays) {
  AggregateEngine engine = engine_from(R"(
features:
  c7: { count: { window: 7d } }
  s7: { sum: { field: properties.v, window: 7d } }
  a7: { avg: { field: properties.v, window: 7d } }
  m7: { min: { field: properties.v, window: 7d } }
)");
  const int64_t base = 20000 * kDay;
  feed(engine,
       {{"E", base, 1, {number("properties.v", "1.25")}},
        {"E", base + 3 * kDay, 2, {number("properties.v", "2")}},
        {"E", base + 6 * kDay + 5 * kHour, 3, {number("properties.v", "4")}}},
       1);
  auto at = [&](int64_t as_of) { return emit_all(engine, 1, as_of); };
  EXPECT_EQ(at(base + 6 * kDay + 12 * kHour)["c7"], "int:3");  // days 0..6
  EXPECT_EQ(at(base + 6 * kDay + 12 * kHour)["s7"], "num:7.25");
  EXPECT_EQ(at(base + 8 * kDay)["c7"], "int:2");  // days 2..8
  EXPECT_EQ(at(base + 8 * kDay)["s7"], "num:6");
  EXPECT_EQ(at(base + 8 * kDay)["a7"], "num:3");
  EXPECT_EQ(at(base + 8 * kDay)["m7"], "num:2");
  EXPECT_EQ(at(base + 20 * kDay)["c7"], "int:0");
  EXPECT_EQ(at(base + 20 * kDay)["s7"], "num:0");
  EXPECT_EQ(at(base + 20 * kDay)["a7"], "null");

  feed(engine, {{"E", base + 10 * kDay, 4, {number("properties.v", "8")}}}, 1);
  EXPECT_EQ(at(base + 10 * kDay + kHour)["c7"], "int:2");  // days 4..10
  EXPECT_EQ(at(base + 10 * kDay + kHour)["s7"], "num:12");
  // Too old for any window once day 10 was seen: ignored.
  feed(engine, {{"E", base + 1 * kDay, 5, {number("properties.v", "100")}}}, 1);
  EXPECT_EQ(at(base + 10 * kDay + kHour)["s7"], "num:12");
}

TEST(AggregateEngine, HourAndMinuteWindowsUseFinerBuckets) {
  AggregateEngine engine = engine_from(R"(
features:
  h2: { count: { window: 2h } }
  m30: { count: { window: 30m } }
)");
  const int64_t base = 20000 * kDay;
  feed(engine, {{"E", base, 1, {}}, {"E", base + 90 * kMinute, 2, {}}}, 1);
  EXPECT_EQ(emit_all(engine, 1, base + 2 * kHour)["h2"], "int:1");  // hours 1..2
  EXPECT_EQ(emit_all(engine, 1, base + 1 * kHour)["h2"], "int:2");  // hours 0..1
  feed(engine, {{"E", base + 3 * kHour, 3, {}}}, 1);
  EXPECT_EQ(emit_all(engine, 1, base + 3 * kHour + 10 * kMinute)["h2"], "int:1");
  EXPECT_EQ(emit_all(engine, 1, base + 3 * kHour + 10 * kMinute)["m30"], "int:1");
  EXPECT_EQ(emit_all(engine, 1, base + 3 * kHour + 40 * kMinute)["m30"], "int:0");
}

// `bucket: 1m` makes a day window slide by the minute: "the last 24 hours".
TEST(AggregateEngine, MinuteBucketsSlideADayWindowByTheMinute) {
  AggregateEngine engine = engine_from(R"(
features:
  calendar: { count: { window: 1d } }
  sliding: { count: { window: 1d, bucket: 1m } }
)");
  const int64_t base = 20000 * kDay;
  feed(engine, {{"E", base + 22 * kHour, 1, {}}}, 1);
  // Three hours later it is the next UTC day: the calendar window is empty,
  // the sliding one still holds the event until 24 hours have passed.
  EXPECT_EQ(emit_all(engine, 1, base + kDay + kHour)["calendar"], "int:0");
  EXPECT_EQ(emit_all(engine, 1, base + kDay + kHour)["sliding"], "int:1");
  EXPECT_EQ(emit_all(engine, 1, base + kDay + 22 * kHour - 1)["sliding"], "int:1");
  EXPECT_EQ(emit_all(engine, 1, base + kDay + 22 * kHour)["sliding"], "int:0");
  RecordingFeatures now;
  EXPECT_EQ(engine.emit(1, base + kDay + kHour, now), base + kDay + 22 * kHour)
      << "the profile is emitted again when the event leaves the window";
}

// The time emit() names is exact: the values stay the same until just
// before it and differ at it (the kernel re-emits a profile only then).
TEST(AggregateEngine, NamesTheExactTimeWindowedValuesChangeWithoutEvents) {
  AggregateEngine engine = engine_from(R"(
features:
  c7: { count: { window: 7d } }
  s2h: { sum: { field: properties.v, window: 2h } }
  all: { count: {} }
)");
  const int64_t base = 20000 * kDay;
  // Both later than the first reference time below: they enter the windows
  // when their buckets are reached. Hour buckets are kept only near the
  // latest event, so the 2h window no longer holds the first one.
  feed(engine,
       {{"E", base + 5 * kHour, 1, {number("properties.v", "1")}},
        {"E", base + 2 * kDay, 2, {number("properties.v", "2")}}},
       1);
  std::vector<int64_t> changes;
  int64_t as_of = base - kDay;
  for (int step = 0; step < 10; ++step) {
    RecordingFeatures now;
    int64_t next = engine.emit(1, as_of, now);
    if (next == INT64_MAX) break;
    ASSERT_GT(next, as_of);
    EXPECT_EQ(emit_all(engine, 1, next - 1), now.values) << "changed before " << next;
    EXPECT_NE(emit_all(engine, 1, next), now.values) << "no change at " << next;
    changes.push_back(next);
    as_of = next;
  }
  // 7d: day buckets enter at their day and leave 7 days later; 2h: the
  // second event's hour enters and leaves 2h later.
  EXPECT_EQ(changes, (std::vector<int64_t>{base, base + 2 * kDay, base + 2 * kDay + 2 * kHour,
                                           base + 7 * kDay, base + 9 * kDay}));
  RecordingFeatures last;
  EXPECT_EQ(engine.emit(1, base + 9 * kDay, last), INT64_MAX) << "nothing left to move";
}

TEST(AggregateEngine, SavesOnlyChangedProfilesAndRestoresThem) {
  AggregateEngine engine = engine_from(kShopFeatures);
  feed(engine, shop_events(), 1);
  feed(engine, shop_events(), 2);
  std::map<uint64_t, std::string> saved;
  auto save = [&](uint64_t p, std::string_view blob) { saved[p] = std::string(blob); };
  engine.save_dirty(save);
  EXPECT_EQ(saved.size(), 2u);
  saved.clear();
  engine.save_dirty(save);
  EXPECT_TRUE(saved.empty());
  feed(engine, {{"Order Completed", kT0 + kDay, 50, {number("properties.revenue", "0.05")}}}, 2);
  engine.save_dirty(save);
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(saved.begin()->first, 2u);

  AggregateEngine restored = engine_from(kShopFeatures);
  restored.restore(2, saved[2]);
  EXPECT_EQ(emit_all(restored, 2, kT0 + kDay), emit_all(engine, 2, kT0 + kDay));
  EXPECT_EQ(emit_all(restored, 2, kT0)["revenue"], "num:120.55");
}

TEST(AggregateEngine, CorruptStateNamesTheProfile) {
  AggregateEngine engine = engine_from(kShopFeatures);
  try {
    engine.restore(5, std::string_view("\x01\x05garbage", 9));
    FAIL() << "expected halo::Error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("corrupt state for profile 5"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(engine.profile_count(), 0u);
}

TEST(AggregateEngine, MergeFoldsAndDropsTheSource) {
  AggregateEngine engine = engine_from(kShopFeatures);
  std::vector<TestEvent> events = shop_events();
  feed(engine, std::vector<TestEvent>(events.begin(), events.begin() + 4), 1);
  feed(engine, std::vector<TestEvent>(events.begin() + 4, events.end()), 2);
  engine.merge(2, 1);
  AggregateEngine whole = engine_from(kShopFeatures);
  feed(whole, events, 9);
  EXPECT_EQ(emit_all(engine, 1, kT0), emit_all(whole, 9, kT0));
  EXPECT_EQ(emit_all(engine, 2, kT0)["orders"], "int:0");
  engine.merge(1, 3);  // into a profile without state
  EXPECT_EQ(emit_all(engine, 3, kT0), emit_all(whole, 9, kT0));
  EXPECT_EQ(engine.profile_count(), 1u);
}

TEST(AggregateEngine, HundredThousandMoneyStringsSumToTheCent) {
  AggregateEngine engine = engine_from(
      "features: { revenue: { sum: { event: Order Completed, field: properties.total } } }");
  std::mt19937_64 rng(99);
  std::uniform_int_distribution<int64_t> cents_dist(1, 9'999'999);
  int64_t cents = 0;
  uint64_t seq = 0;
  for (int batch = 0; batch < 100; ++batch) {
    std::vector<TestEvent> events;
    for (int i = 0; i < 1000; ++i) {
      int64_t c = cents_dist(rng);
      cents += c;
      std::string frac = std::to_string(c % 100);
      std::string text = std::to_string(c / 100) + "." + (frac.size() < 2 ? "0" : "") + frac;
      events.push_back({"Order Completed", kT0, ++seq, {str("properties.total", text)}});
    }
    feed(engine, std::move(events), 1);
  }
  std::string expected = std::to_string(cents / 100);
  if (cents % 100 != 0) {
    std::string frac = std::to_string(cents % 100);
    if (frac.size() < 2) frac = "0" + frac;
    if (frac.back() == '0') frac.pop_back();
    expected += "." + frac;
  }
  EXPECT_EQ(emit_all(engine, 1, kT0)["revenue"], "num:" + expected);
}

// `[]` in a field makes each element of the list a value of the event: the
// order's items are summed, averaged and compared one by one, counted as
// one order, and one bad item refuses the whole order.
TEST(AggregateEngine, BracketsMakeEveryListElementAValue) {
  AggregateEngine engine = engine_from(R"(
features:
  orders: { count: { event: Order Completed } }
  items_value: { sum: { event: Order Completed, field: 'properties.products[].price' } }
  items_value_7d: { sum: { event: Order Completed, field: 'properties.products[].price', window: 7d } }
  avg_item: { avg: { event: Order Completed, field: 'properties.products[].price' } }
  cheapest: { min: { event: Order Completed, field: 'properties.products[].price' } }
  dearest: { max: { event: Order Completed, field: 'properties.products[].price' } }
  skus: { distinct: { event: Order Completed, field: 'properties.products[].sku' } }
  first_sku: { first: { event: Order Completed, field: 'properties.products[].sku' } }
  last_sku: { last: { event: Order Completed, field: 'properties.products[].sku' } }
  tags: { distinct: { field: 'properties.tags[]' } }
)");
  const std::vector<TestEvent> events = {
      {"Order Completed",
       kT0,
       1,
       {str("properties.products.0.sku", "A"),
        number("properties.products.0.price", "10.25"),
        str("properties.products.1.sku", "B"),
        str("properties.products.1.price", "4"),
        {"properties.products.2.price", HALO_VALUE_NULL, ""},
        str("properties.tags.0", "gift"),
        number("properties.revenue", "999")}},
      {"Order Completed",
       kT0 + kHour,
       2,
       {str("properties.products.0.sku", "C"), number("properties.products.0.price", "1"),
        str("properties.products.1.sku", "A"), number("properties.products.1.price", "0.75"),
        str("properties.tags.0", "gift"), str("properties.tags.1", "sale")}},
      {"Order Completed", kT0 + 2 * kHour, 3, {}},  // an order without items
      {"Order Completed",
       kT0 + 3 * kHour,
       4,
       {str("properties.products.0.sku", "D"), number("properties.products.0.price", "3"),
        str("properties.products.1.sku", "E"), str("properties.products.1.price", "n/a")}},
  };
  std::vector<Rejected> rejected = feed(engine, events, 7);
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].index, 3u);
  EXPECT_EQ(rejected[0].reason, "not_a_number");
  EXPECT_NE(rejected[0].message.find("properties.products[].price"), std::string::npos);
  auto v = emit_all(engine, 7, kT0 + kDay);
  EXPECT_EQ(v["orders"], "int:3");
  EXPECT_EQ(v["items_value"], "num:16");
  EXPECT_EQ(v["items_value_7d"], "num:16");
  EXPECT_EQ(v["avg_item"], "num:4");  // four items, not two orders
  EXPECT_EQ(v["cheapest"], "num:0.75");
  EXPECT_EQ(v["dearest"], "num:10.25");
  EXPECT_EQ(v["skus"], "int:3");
  EXPECT_EQ(v["first_sku"], "str:A");  // the first item of the first order
  EXPECT_EQ(v["last_sku"], "str:A");   // the last item of the last order
  EXPECT_EQ(v["tags"], "int:2");
}

}  // namespace
}  // namespace halo::aggregates::testing
