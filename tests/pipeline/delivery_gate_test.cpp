// delivery_gate_test.cpp -- a destination's rate limit and circuit breaker
// (pipeline/delivery_gate.h) on simulated wall-clock times: no window of
// `per` ever lets more than `messages` go, a page is never larger than the
// limit, and N retries in a row open the breaker for the cooldown while
// anything else resets the count.
#include <gtest/gtest.h>

#include <deque>

#include "pipeline/delivery_gate.h"

namespace halo {
namespace {

PluginUse limited(int64_t messages, int64_t per_ms) {
  PluginUse u;
  u.rate_messages = messages;
  u.rate_per_ms = per_ms;
  u.breaker_failures = 0;
  return u;
}

TEST(DeliveryGate, NoLimitNeverWaits) {
  PluginUse u;
  u.breaker_failures = 0;
  DeliveryGate gate(u);
  EXPECT_EQ(gate.page_limit(100), 100u);
  EXPECT_EQ(gate.wait_ms(100, 0), 0);
  gate.take(100, 0);
  EXPECT_EQ(gate.wait_ms(100, 0), 0);
}

TEST(DeliveryGate, NoWindowSeesMoreThanTheLimit) {
  DeliveryGate gate(limited(5, 1'000));
  EXPECT_EQ(gate.page_limit(100), 5u);
  // Send as fast as the gate allows, in calls of 1 to 5, and keep every
  // send time.
  std::deque<int64_t> sent;
  int64_t now = 1'000'000;
  for (int round = 0; sent.size() < 120; ++round) {
    const size_t n = round < 10 ? 1 + round % 5 : 5;
    now += gate.wait_ms(n, now);
    gate.take(n, now);
    for (size_t k = 0; k < n; ++k) sent.push_back(now);
  }
  for (size_t i = 0; i < sent.size(); ++i) {
    size_t in_window = 0;
    for (size_t j = i; j < sent.size() && sent[j] < sent[i] + 1'000; ++j) ++in_window;
    EXPECT_LE(in_window, 5u) << "at " << sent[i];
  }
  // In full calls the rate is the limit: 120 messages take about 23 s.
  EXPECT_GE(sent.back() - sent.front(), (120 - 5) * 1'000 / 5 - 2'000);
  EXPECT_LE(sent.back() - sent.front(), (120 - 5) * 1'000 / 5 + 2'000);
}

TEST(DeliveryGate, ASendLeavesTheWindowAfterPer) {
  DeliveryGate gate(limited(10, 2'000));
  EXPECT_EQ(gate.wait_ms(10, 0), 0);
  gate.take(4, 0);
  gate.take(6, 500);
  EXPECT_EQ(gate.wait_ms(1, 600), 1'400);  // the first four leave at 2000
  EXPECT_EQ(gate.wait_ms(4, 600), 1'400);
  EXPECT_EQ(gate.wait_ms(5, 600), 1'900);  // and one of those sent at 500
  EXPECT_EQ(gate.wait_ms(4, 2'000), 0);
  EXPECT_EQ(gate.wait_ms(50, 2'000), 500);  // more than the limit: an empty window
  EXPECT_EQ(gate.wait_ms(50, 2'500), 0);
}

TEST(DeliveryGate, RetriesInARowOpenTheBreakerForTheCooldown) {
  PluginUse u;
  u.breaker_failures = 3;
  u.breaker_cooldown_ms = 60'000;
  DeliveryGate gate(u);
  EXPECT_EQ(gate.page_limit(100), 3u);  // small calls until a message got through
  EXPECT_FALSE(gate.record(true, 0));
  EXPECT_FALSE(gate.record(true, 0));
  EXPECT_FALSE(gate.record(false, 0));  // a delivery resets the count
  EXPECT_EQ(gate.page_limit(100), 100u);
  EXPECT_FALSE(gate.record(true, 10));
  EXPECT_FALSE(gate.record(true, 10));
  EXPECT_FALSE(gate.open(10));
  EXPECT_TRUE(gate.record(true, 10));
  EXPECT_TRUE(gate.open(10));
  EXPECT_EQ(gate.page_limit(100), 3u);  // probing again after the cooldown
  EXPECT_TRUE(gate.open(60'009));
  EXPECT_FALSE(gate.open(60'010));

  u.breaker_failures = 0;  // never opens
  DeliveryGate never(u);
  EXPECT_EQ(never.page_limit(100), 100u);
  for (int i = 0; i < 1'000; ++i) EXPECT_FALSE(never.record(true, i));
}

}  // namespace
}  // namespace halo
