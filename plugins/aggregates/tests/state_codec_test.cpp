// state_codec_test.cpp -- the persisted blob: exact round trips of every
// state kind, every truncation and a wrong version rejected with a message,
// and state of a changed feature ignored (and counted) instead of misread.
#include <gtest/gtest.h>

#include <halo/sdk.hpp>

#include "state_codec.h"
#include "test_support.h"

namespace halo::aggregates::testing {
namespace {

const char *kFeatures = R"(
features:
  orders: { count: { event: Order Completed } }
  revenue_7d: { sum: { field: properties.revenue, window: 7d } }
  low: { min: { field: properties.revenue } }
  last_plan: { last: { field: context.traits.plan } }
  products: { distinct: { field: properties.product_id } }
)";

std::vector<FeatureState> sample_states(const std::vector<AggregateSpec> &specs) {
  std::vector<FeatureState> states;
  for (const auto &spec : specs) states.push_back(make_state(spec));
  std::get<NumericState>(states[0]).total.events = 300;
  auto &windowed = std::get<NumericState>(states[1]);
  windowed.latest_bucket = 20010;
  for (int64_t day : {20004, 20007, 20010}) {
    Stats s;
    s.events = s.numeric = day - 20000;
    s.sum = *Decimal::parse("-12345678901234567890.123456789");
    s.min = *Decimal::parse("-1.5");
    s.max = *Decimal::parse("99999.99");
    windowed.buckets.push_back({day, s});
  }
  auto &low = std::get<NumericState>(states[2]);
  low.total.numeric = 1;
  low.total.sum = low.total.min = low.total.max = *Decimal::parse("0.05");
  observe_pick(std::get<PickState>(states[3]), Op::kLast, -5, 7, PickKind::kString, "پرو");
  for (const char *v : {"17", "SKU-9", "x"})
    observe_distinct(std::get<DistinctState>(states[4]), v);
  return states;
}

TEST(StateCodec, RoundTripIsExact) {
  auto specs = parse_specs(YamlOptions(kFeatures));
  std::vector<FeatureState> states = sample_states(specs);
  std::string blob;
  encode_states(specs, states, blob);
  EXPECT_EQ(static_cast<uint8_t>(blob[0]), kStateVersion);

  std::vector<FeatureState> decoded;
  for (const auto &spec : specs) decoded.push_back(make_state(spec));
  EXPECT_EQ(decode_states(specs, blob, decoded), 0u);
  std::string again;
  encode_states(specs, decoded, again);
  EXPECT_EQ(again, blob);

  const auto &w = std::get<NumericState>(decoded[1]);
  ASSERT_EQ(w.buckets.size(), 3u);
  EXPECT_EQ(w.latest_bucket, 20010);
  EXPECT_EQ(w.buckets[2].stats.sum.to_string(), "-12345678901234567890.123456789");
  EXPECT_EQ(w.buckets[1].stats.max.to_string(), "99999.99");
  const auto &p = std::get<PickState>(decoded[3]);
  EXPECT_TRUE(p.has);
  EXPECT_EQ(p.timestamp, -5);
  EXPECT_EQ(p.text, "پرو");
  EXPECT_EQ(std::get<DistinctState>(decoded[4]).hashes.size(), 3u);
}

TEST(StateCodec, EveryTruncationIsRejected) {
  auto specs = parse_specs(YamlOptions(kFeatures));
  std::string blob;
  encode_states(specs, sample_states(specs), blob);
  for (size_t len = 0; len < blob.size(); ++len) {
    std::vector<FeatureState> states;
    for (const auto &spec : specs) states.push_back(make_state(spec));
    EXPECT_THROW(decode_states(specs, std::string_view(blob.data(), len), states),
                 std::runtime_error)
        << "prefix of " << len << " bytes";
  }
  std::string longer = blob + "x";
  std::vector<FeatureState> states;
  for (const auto &spec : specs) states.push_back(make_state(spec));
  EXPECT_THROW(decode_states(specs, longer, states), std::runtime_error);
}

TEST(StateCodec, WrongVersionIsReportedWithProfile) {
  AggregateEngine engine = engine_from(kFeatures);
  try {
    engine.restore(42, std::string_view("\x07\x00", 2));
    FAIL() << "expected halo::Error";
  } catch (const Error &e) {
    std::string m = e.what();
    EXPECT_NE(m.find("profile 42"), std::string::npos) << m;
    EXPECT_NE(m.find("unknown state version 7"), std::string::npos) << m;
  }
}

TEST(StateCodec, StateOfAChangedFeatureIsIgnoredAndCounted) {
  AggregateEngine before = engine_from(kFeatures);
  feed(before,
       {{"Order Completed",
         1000,
         1,
         {number("properties.revenue", "5"), number("properties.product_id", "1")}}},
       3);
  std::string blob;
  before.save_dirty([&](uint64_t, std::string_view b) { blob = std::string(b); });

  // `orders` now counts a different event: its old state must not be used.
  AggregateEngine after = engine_from(R"(
features:
  orders: { count: { event: Order Refunded } }
  low: { min: { field: properties.revenue } }
)");
  after.restore(3, blob);
  EXPECT_EQ(after.take_stale_features(), 4u);  // orders, revenue_7d, last_plan, products
  auto v = emit_all(after, 3, 2000);
  EXPECT_EQ(v["orders"], "int:0");
  EXPECT_EQ(v["low"], "num:5");
}

}  // namespace
}  // namespace halo::aggregates::testing
