// memory_test.cpp -- what a profile costs the engine: each op pays only for
// the slot it needs (README "Memory"), features that accumulate the same
// state share one slot, variable-size parts exist only while non-empty and
// are freed with their profile, and the bench pipeline's four features
// (bench/pipeline.yaml) stay within 56 bytes per profile at 100k profiles,
// after updates and after a restore.
#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "test_support.h"

namespace halo::aggregates::testing {
namespace {

constexpr int64_t kMemoryBase = 20000 * kDay;

const char *kBenchFeatures = R"(
features:
  order_count: { count: { event: Order Completed } }
  revenue:     { sum:   { event: Order Completed, field: properties.revenue } }
  avg_basket:  { avg:   { event: Order Completed, field: properties.revenue } }
  last_seen:   { last:  {} }
)";

size_t record_bytes_of(const std::string &aggregate) {
  return engine_from("features: { f: " + aggregate + " }").record_bytes();
}

TEST(Memory, EachOpPaysOnlyForItsSlot) {
  EXPECT_EQ(record_bytes_of("{ count: {} }"), 8u);
  EXPECT_EQ(record_bytes_of("{ sum: { field: v } }"), 24u);
  EXPECT_EQ(record_bytes_of("{ avg: { field: v } }"), 24u);
  EXPECT_EQ(record_bytes_of("{ min: { field: v } }"), 24u);
  EXPECT_EQ(record_bytes_of("{ max: { field: v } }"), 24u);
  EXPECT_EQ(record_bytes_of("{ first: {} }"), 21u);
  EXPECT_EQ(record_bytes_of("{ last: { field: plan } }"), 21u);
  EXPECT_EQ(record_bytes_of("{ count: { window: 30d } }"), 4u);
  EXPECT_EQ(record_bytes_of("{ sum: { field: v, window: 7d } }"), 4u);
  EXPECT_EQ(record_bytes_of("{ distinct: { field: v } }"), 4u);
  // revenue and avg_basket share one slot (see below).
  EXPECT_EQ(engine_from(kBenchFeatures).record_bytes(), 8u + 24 + 21);
}

TEST(Memory, FeaturesThatAccumulateTheSameStateShareOneSlot) {
  auto bytes = [](const std::string &features) {
    return engine_from("features: {" + features + "}").record_bytes();
  };
  EXPECT_EQ(bytes("a: { sum: { field: v } }, b: { avg: { field: v } }"), 24u);
  EXPECT_EQ(bytes("a: { count: {} }, b: { count: {} }"), 8u);
  EXPECT_EQ(bytes("a: { max: { field: v } }, b: { max: { field: v } }"), 24u);
  EXPECT_EQ(bytes("a: { sum: { field: v, window: 7d } }, b: { max: { field: v, window: 7d } }"),
            4u);
  // A different field, event, window or op-specific state: a slot each.
  EXPECT_EQ(bytes("a: { sum: { field: v } }, b: { avg: { field: w } }"), 48u);
  EXPECT_EQ(bytes("a: { sum: { field: v } }, b: { avg: { event: Paid, field: v } }"), 48u);
  EXPECT_EQ(bytes("a: { min: { field: v } }, b: { max: { field: v } }"), 48u);
  EXPECT_EQ(bytes("a: { first: {} }, b: { last: {} }"), 42u);
  EXPECT_EQ(bytes("a: { sum: { field: v, window: 7d } }, b: { sum: { field: v, window: 30d } }"),
            8u);
  EXPECT_EQ(bytes("a: { count: { window: 7d } }, b: { sum: { field: v, window: 7d } }"), 8u);
}

// One shared slot is updated, folded and freed once, whatever the number
// of features reading it: the values equal those of separate instances.
TEST(Memory, SharedSlotsGiveTheValuesOfSeparateFeatures) {
  const std::vector<std::string> features = {
      "total: { sum: { field: v } }", "mean: { avg: { field: v } }",
      "week_sum: { sum: { field: v, window: 7d } }", "week_max: { max: { field: v, window: 7d } }",
      "week_avg: { avg: { field: v, window: 7d } }"};
  std::string all;
  for (const std::string &f : features) all += (all.empty() ? "" : ", ") + f;
  AggregateEngine shared = engine_from("features: {" + all + "}");
  auto events = [](int64_t at, uint64_t seq, const char *v) {
    return std::vector<TestEvent>{{"Paid", kMemoryBase + at, seq, {number("v", v)}}};
  };
  auto feed_all = [&](AggregateEngine &e) {
    feed(e, events(0, 1, "10.5"), 1);
    feed(e, events(kDay, 2, "4"), 2);
    feed(e, events(2 * kDay, 3, "7.25"), 2);
    e.merge(2, 1);
  };
  feed_all(shared);
  // One window for three features, profile 2's freed once by the merge.
  EXPECT_EQ(shared.pools().windows.live(), 1u);
  std::map<uint64_t, std::string> blobs;
  shared.save_dirty([&](uint64_t id, std::string_view blob) { blobs[id] = std::string(blob); });
  AggregateEngine restored = engine_from("features: {" + all + "}");
  restored.restore(1, blobs.at(1));
  std::map<std::string, std::string> separate;
  for (const std::string &f : features) {
    AggregateEngine alone = engine_from("features: {" + f + "}");
    feed_all(alone);
    separate.merge(emit_all(alone, 1, kMemoryBase + 3 * kDay));
  }
  EXPECT_EQ(separate["total"], "num:21.75");
  EXPECT_EQ(separate["week_max"], "num:10.5");
  EXPECT_EQ(emit_all(shared, 1, kMemoryBase + 3 * kDay), separate);
  EXPECT_EQ(emit_all(restored, 1, kMemoryBase + 3 * kDay), separate);
}

TEST(Memory, OutOfLinePartsExistOnlyWhileNonEmptyAndLeaveWithTheirProfile) {
  AggregateEngine engine = engine_from(R"(
features:
  last_plan: { last: { field: plan } }
  last_seen: { last: {} }
  views_7d: { count: { event: Viewed, window: 7d } }
  products: { distinct: { event: Viewed, field: sku } }
)");
  feed(engine, {{"Signed In", kMemoryBase, 1, {}}}, 1);  // no plan, not a view
  EXPECT_EQ(engine.pools().texts.live(), 0u);
  EXPECT_EQ(engine.pools().windows.live(), 0u);
  EXPECT_EQ(engine.pools().hashes.live(), 0u);

  feed(engine, {{"Viewed", kMemoryBase, 2, {str("plan", "pro"), str("sku", "A")}}}, 2);
  feed(engine, {{"Viewed", kMemoryBase, 3, {str("plan", "basic"), str("sku", "B")}}}, 3);
  EXPECT_EQ(engine.pools().texts.live(), 2u);
  EXPECT_EQ(engine.pools().windows.live(), 2u);
  EXPECT_EQ(engine.pools().hashes.live(), 2u);

  engine.merge(2, 3);  // 2's parts are folded into 3's and freed
  EXPECT_EQ(engine.pools().texts.live(), 1u);
  EXPECT_EQ(engine.pools().windows.live(), 1u);
  EXPECT_EQ(engine.pools().hashes.live(), 1u);
  auto v = emit_all(engine, 3, kMemoryBase);
  EXPECT_EQ(v["last_plan"], "str:basic");
  EXPECT_EQ(v["views_7d"], "int:2");
  EXPECT_EQ(v["products"], "int:2");

  // A text that becomes empty gives its storage back; the handle is reused.
  feed(engine, {{"Renamed", kMemoryBase + 1, 4, {str("plan", "")}}}, 3);
  EXPECT_EQ(engine.pools().texts.live(), 0u);
  EXPECT_EQ(emit_all(engine, 3, kMemoryBase)["last_plan"], "str:");
}

// Before slots were shared, a sum and an avg of one field kept a state
// each, and a feature added without a rebuild saw fewer events than the
// other. Restoring such a blob, the fuller state wins, whatever the order of
// the features in the config or in the blob.
TEST(Memory, AStateStoredBeforeSharingKeepsTheFeatureThatSawMoreEvents) {
  auto saved = [](const char *features, const std::vector<const char *> &values) {
    AggregateEngine engine = engine_from(features);
    uint64_t seq = 1;
    for (const char *v : values) {
      feed(engine, {{"Paid", kMemoryBase + static_cast<int64_t>(seq), seq, {number("v", v)}}}, 1);
      ++seq;
    }
    std::string blob;
    engine.save_dirty([&](uint64_t, std::string_view b) { blob = std::string(b); });
    return blob;
  };
  const std::string total = saved("features: { total: { sum: { field: v } } }", {"1", "2", "4"});
  const std::string mean = saved("features: { mean: { avg: { field: v } } }", {"4"});
  // u8 version | varint count | entries: two one-entry blobs make one.
  ASSERT_EQ(total[1], '\x01');
  const std::string header = std::string(1, total[0]) + '\x02';
  for (const std::string &blob :
       {header + total.substr(2) + mean.substr(2), header + mean.substr(2) + total.substr(2)}) {
    for (const char *config :
         {"features: { total: { sum: { field: v } }, mean: { avg: { field: v } } }",
          "features: { mean: { avg: { field: v } }, total: { sum: { field: v } } }"}) {
      AggregateEngine restored = engine_from(config);
      ASSERT_EQ(restored.record_bytes(), 24u);
      restored.restore(1, blob);
      auto v = emit_all(restored, 1, kMemoryBase + kDay);
      EXPECT_EQ(v["total"], "num:7") << config;
      EXPECT_EQ(v["mean"], "num:2.333333") << config;
    }
  }
}

// Every profile is seen (last_seen); every third also completed an order.
std::vector<TestEvent> bench_events(uint64_t first, uint64_t count, std::vector<uint64_t> &ids) {
  std::vector<TestEvent> events;
  ids.clear();
  for (uint64_t id = first; id < first + count; ++id) {
    events.push_back({"Page Viewed", kMemoryBase + static_cast<int64_t>(id), id, {}});
    ids.push_back(id);
    if (id % 3 == 0) {
      std::string revenue = std::to_string(id % 1000) + "." + std::to_string(10 + id % 90);
      events.push_back({"Order Completed",
                        kMemoryBase + static_cast<int64_t>(id),
                        id + (1u << 30),
                        {number("properties.revenue", revenue)}});
      ids.push_back(id);
    }
  }
  return events;
}

TEST(Memory, BenchFeaturesStayWithin56BytesPerProfile) {
  constexpr uint64_t kProfiles = 100'000, kBatch = 10'000;
  constexpr double kMaxBytesPerProfile = 56;
  AggregateEngine engine = engine_from(kBenchFeatures);
  std::vector<uint64_t> ids;
  for (uint64_t first = 1; first <= kProfiles; first += kBatch) {
    std::vector<TestEvent> events = bench_events(first, kBatch, ids);
    EXPECT_TRUE(update(engine, std::move(events), ids.data()).empty());
  }
  ASSERT_EQ(engine.profile_count(), kProfiles);
  double per_profile = static_cast<double>(engine.memory_bytes()) / kProfiles;
  EXPECT_LE(per_profile, kMaxBytesPerProfile);
  std::cout << "[ memory   ] bench features: " << engine.record_bytes() << " bytes per record, "
            << per_profile << " bytes per profile held\n";

  std::map<uint64_t, std::string> blobs;
  engine.save_dirty([&](uint64_t id, std::string_view blob) { blobs[id] = std::string(blob); });
  ASSERT_EQ(blobs.size(), kProfiles);
  AggregateEngine restored = engine_from(kBenchFeatures);
  for (const auto &[id, blob] : blobs) restored.restore(id, blob);
  EXPECT_LE(static_cast<double>(restored.memory_bytes()) / kProfiles, kMaxBytesPerProfile);
  for (uint64_t id : {1u, 3u, 99'999u}) {
    EXPECT_EQ(emit_all(restored, id, kMemoryBase + kDay), emit_all(engine, id, kMemoryBase + kDay));
  }
  EXPECT_EQ(emit_all(restored, 3, kMemoryBase + kDay)["revenue"], "num:3.13");
}

}  // namespace
}  // namespace halo::aggregates::testing
