// merge_order_test.cpp -- results are independent of batching, delivery
// order, persistence and merge order: a random event stream split across
// profiles (shuffled, in random batches, saved and restored midway) and then
// merged in random order gives exactly the features of one profile that
// received every event.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "test_support.h"

namespace halo::aggregates::testing {
namespace {

constexpr int64_t kMergeBase = 20500 * kDay;

const char *kEveryOp = R"(
features:
  events: { count: {} }
  orders: { count: { event: Order Completed } }
  revenue: { sum: { event: Order Completed, field: properties.revenue } }
  revenue_7d: { sum: { event: Order Completed, field: properties.revenue, window: 7d } }
  avg_order: { avg: { event: Order Completed, field: properties.revenue } }
  min_order: { min: { event: Order Completed, field: properties.revenue } }
  max_order_30d: { max: { event: Order Completed, field: properties.revenue, window: 30d } }
  views_3h: { count: { event: Product Viewed, window: 3h } }
  first_seen: { first: {} }
  last_seen: { last: { field: timestamp } }
  first_plan: { first: { field: context.traits.plan } }
  last_plan: { last: { field: context.traits.plan } }
  products: { distinct: { event: Product Viewed, field: properties.product_id } }
  sources: { distinct: { field: source } }
  pages: { count: { type: page } }
)";

std::vector<TestEvent> random_stream(std::mt19937_64 &rng, size_t n) {
  const char *names[] = {"Order Completed", "Product Viewed", "Signed In"};
  const char *plans[] = {"basic", "pro", "gold"};
  const char *sources[] = {"shop", "pos", "web"};
  std::vector<TestEvent> events;
  for (size_t i = 0; i < n; ++i) {
    TestEvent e;
    e.name = names[rng() % 3];
    e.type = rng() % 10 == 0 ? HALO_EVENT_PAGE : HALO_EVENT_TRACK;
    e.timestamp_ms = kMergeBase + static_cast<int64_t>(rng() % (40 * 24)) * kHour;  // many ties
    e.sequence = i + 1;
    e.source = sources[rng() % 3];
    uint64_t r = rng() % 20;
    if (r == 0) {
      e.fields.push_back(str("properties.revenue", "n/a"));
    } else if (r != 1) {
      int64_t cents = static_cast<int64_t>(rng() % 2'000'000) - 1000;
      std::string frac = std::to_string(std::abs(cents % 100));
      std::string text = std::to_string(cents / 100) + (frac.size() < 2 ? ".0" : ".") + frac;
      if (cents < 0 && cents > -100) text = "-" + text;
      e.fields.push_back(r % 2 ? number("properties.revenue", text)
                               : str("properties.revenue", text));
    }
    if (rng() % 3 == 0) e.fields.push_back(str("context.traits.plan", plans[rng() % 3]));
    e.fields.push_back(number("properties.product_id", std::to_string(rng() % 50)));
    events.push_back(std::move(e));
  }
  return events;
}

// Saves every dirty profile of `engine` and restores them into a fresh one.
AggregateEngine reload(AggregateEngine &engine) {
  AggregateEngine fresh = engine_from(kEveryOp);
  engine.save_dirty([&](uint64_t profile, std::string_view blob) { fresh.restore(profile, blob); });
  return fresh;
}

void check_split_equals_whole(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<TestEvent> events = random_stream(rng, 3000);

  AggregateEngine whole = engine_from(kEveryOp);
  size_t whole_rejected = 0;
  for (size_t at = 0; at < events.size(); at += 500) {
    whole_rejected +=
        feed(whole, std::vector<TestEvent>(events.begin() + at, events.begin() + at + 500), 1)
            .size();
  }

  std::shuffle(events.begin(), events.end(), rng);
  std::vector<uint64_t> profiles = {10, 11, 12, 13, 14, 15, 16, 17};
  AggregateEngine split = engine_from(kEveryOp);
  size_t at = 0;
  uint64_t skipped = 0;
  bool reloaded = false;
  while (at < events.size()) {
    size_t n = std::min<size_t>(1 + rng() % 300, events.size() - at);
    std::vector<uint64_t> ids(n);
    for (uint64_t &id : ids) id = profiles[rng() % profiles.size()];
    skipped += update(split, std::vector<TestEvent>(events.begin() + at, events.begin() + at + n),
                      ids.data())
                   .size();
    at += n;
    if (!reloaded && at > events.size() / 2) {
      split = reload(split);
      reloaded = true;
    }
  }
  std::shuffle(profiles.begin(), profiles.end(), rng);
  while (profiles.size() > 1) {
    size_t from = rng() % profiles.size(), into = rng() % (profiles.size() - 1);
    if (into >= from) ++into;
    split.merge(profiles[from], profiles[into]);
    profiles.erase(profiles.begin() + static_cast<long>(from));
  }
  EXPECT_EQ(split.profile_count(), 1u);
  int64_t last_view = 0;
  for (const TestEvent &e : events) {
    if (e.name == "Product Viewed") last_view = std::max(last_view, e.timestamp_ms);
  }
  for (int64_t as_of : {kMergeBase + 41 * kDay, last_view, kMergeBase + 60 * kDay}) {
    EXPECT_EQ(emit_all(split, profiles[0], as_of), emit_all(whole, 1, as_of))
        << "seed " << seed << " as_of " << as_of;
  }
  EXPECT_EQ(skipped, whole_rejected);
  // Sanity: the stream exercised non-trivial values.
  auto v = emit_all(whole, 1, last_view);
  EXPECT_NE(v["revenue_7d"], "num:0");
  EXPECT_NE(v["views_3h"], "int:0");
  EXPECT_NE(v["products"], "int:0");
}

TEST(MergeOrder, SplitStreamsMergedInAnyOrderEqualOneProfile) {
  for (uint64_t seed : {1u, 2u, 3u, 4u, 5u}) check_split_equals_whole(seed);
}

}  // namespace
}  // namespace halo::aggregates::testing
