// order_history_test.cpp -- recency, frequency and monetary value as of a
// reference time and over a window; exact money; merges in any order; the
// next time the values change; the stored form and its damage checks.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include "order_history.h"

namespace halo::rfm {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kWindow = 30 * kDay;

Decimal money(const char *text) {
  return *Decimal::parse(text);
}

TEST(OrderHistory, ValuesAsOfAReferenceTimeOverTheWindow) {
  OrderHistory h;
  h.add(10 * kDay, money("19.99"));
  h.add(40 * kDay + 5, money("5.01"));
  h.add(45 * kDay, money("0.1"));
  h.add(45 * kDay, money("0.2"));
  h.add(90 * kDay, money("100"));  // after the reference time: not yet
  auto v = h.values(50 * kDay + kDay / 2, kWindow);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->recency_days, 5);               // 5.5 days since the last order
  EXPECT_EQ(v->frequency, 3);                  // the order of day 10 is outside the 30 days
  EXPECT_EQ(v->monetary.to_string(), "5.31");  // exact: never 5.3100000000000005
  // The window is (as_of - window, as_of]: an order exactly `window` old is out.
  EXPECT_EQ(h.values(40 * kDay - 1, kWindow)->frequency, 1);
  EXPECT_EQ(h.values(40 * kDay, kWindow)->frequency, 0);
  // An empty window: a customer still, recency from the last order ever.
  auto quiet = h.values(80 * kDay, kWindow);
  ASSERT_TRUE(quiet);
  EXPECT_EQ(quiet->frequency, 0);
  EXPECT_EQ(quiet->monetary.to_string(), "0");
  EXPECT_EQ(quiet->recency_days, 35);
  // Before the first order: not a customer yet.
  EXPECT_FALSE(h.values(10 * kDay - 1, kWindow));
  EXPECT_FALSE(OrderHistory().values(0, kWindow));
}

TEST(OrderHistory, NextChangeIsTheEarliestOfDayWindowAndNextOrder) {
  OrderHistory h;
  h.add(10 * kDay, money("1"));
  h.add(20 * kDay + 7, money("1"));
  h.add(60 * kDay, money("1"));
  // Recency ticks at day 31 + 7 ms; the order of day 10 leaves at day 40.
  EXPECT_EQ(h.next_change(30 * kDay + 8, kWindow), 31 * kDay + 7);
  // At day 39.5: day 10's order leaves at day 40, before the next tick.
  EXPECT_EQ(h.next_change(39 * kDay + kDay / 2, kWindow), 40 * kDay);
  // Nothing in the window after day 50 + 7 ms: the next order comes first.
  EXPECT_EQ(h.next_change(59 * kDay + 100, kWindow), 60 * kDay);
  EXPECT_EQ(h.next_change(0, kWindow), 10 * kDay);  // not a customer until then
}

TEST(OrderHistory, MergesInAnyOrderToTheSameStoredForm) {
  std::mt19937 rng(3);
  std::vector<Order> orders;
  for (int i = 0; i < 40; ++i) {
    orders.push_back({static_cast<int64_t>(rng() % 20) * kDay, Decimal::from_int(rng() % 5)});
  }
  auto build = [&](const std::vector<size_t> &pick) {
    OrderHistory h;
    for (size_t i : pick) h.add(orders[i].at_ms, orders[i].value);
    return h;
  };
  std::vector<size_t> all(orders.size()), even, odd;
  for (size_t i = 0; i < orders.size(); ++i) (all[i] = i, (i % 2 ? odd : even).push_back(i));
  const std::string whole = build(all).encode();
  OrderHistory a = build(even), b = build(odd);
  a.merge(build(odd));
  b.merge(build(even));
  EXPECT_EQ(a.encode(), whole);
  EXPECT_EQ(b.encode(), whole);
  std::shuffle(all.begin(), all.end(), rng);
  EXPECT_EQ(build(all).encode(), whole);
}

TEST(OrderHistory, StoredFormRoundTripsAndRefusesDamage) {
  OrderHistory h;
  h.add(-5 * kDay, money("12.345678901"));  // before 1970 too
  h.add(7 * kDay, money("10000000000000"));
  const std::string blob = h.encode();
  EXPECT_EQ(OrderHistory::decode(blob).encode(), blob);
  EXPECT_EQ(blob.size(), 5u + 2 * 24);
  EXPECT_THROW(OrderHistory::decode(""), std::runtime_error);
  EXPECT_THROW(OrderHistory::decode(blob.substr(0, blob.size() - 1)), std::runtime_error);
  std::string version = blob;
  version[0] = 2;
  EXPECT_THROW(OrderHistory::decode(version), std::runtime_error);
  std::string swapped = blob.substr(0, 5) + blob.substr(29, 24) + blob.substr(5, 24);
  EXPECT_THROW(OrderHistory::decode(swapped), std::runtime_error);
  std::string negative = blob;
  negative[5 + 8 + 15] = static_cast<char>(0x80);  // the value's sign bit
  EXPECT_THROW(OrderHistory::decode(negative), std::runtime_error);
  std::string huge = blob;
  huge[5 + 24 + 8 + 12] = 1;  // far above 1e13
  EXPECT_THROW(OrderHistory::decode(huge), std::runtime_error);
}

}  // namespace
}  // namespace halo::rfm
