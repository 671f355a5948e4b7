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

// One profile's record and the pools its slots refer to.
struct Record {
  explicit Record(const std::vector<AggregateSpec> &specs)
      : layout(RecordLayout::of(specs)), bytes(layout.record_bytes) {}
  std::byte *slot(size_t f) { return bytes.data() + layout.offsets[f]; }
  RecordLayout layout;
  std::vector<std::byte> bytes;  // zero: every slot fresh
  StatePools pools;
};

void fill_sample(Record &r) {
  store(r.slot(0), CountSlot{300});
  WindowState &windowed = window_of(r.slot(1), r.pools);
  windowed.latest_bucket = 20010;
  for (int64_t day : {20004, 20007, 20010}) {
    Stats s;
    s.events = s.numeric = day - 20000;
    s.sum = *Decimal::parse("-12345678901234567890.123456789");
    s.min = *Decimal::parse("-1.5");
    s.max = *Decimal::parse("99999.99");
    windowed.buckets.push_back({day, s});
  }
  store(r.slot(2), ExtremeSlot{1, *Decimal::parse("0.05")});
  PickSlot pick;
  observe_pick(pick, r.pools, Op::kLast, -5, 7, PickKind::kString, "پرو");
  store(r.slot(3), pick);
  for (const char *v : {"17", "SKU-9", "x"}) observe_distinct(hashes_of(r.slot(4), r.pools), v);
}

std::string encode(const std::vector<AggregateSpec> &specs, Record &r) {
  std::string blob;
  encode_states(specs, r.layout, r.bytes.data(), r.pools, blob);
  return blob;
}

TEST(StateCodec, RoundTripIsExact) {
  auto specs = parse_specs(YamlOptions(kFeatures));
  Record sample(specs);
  fill_sample(sample);
  std::string blob = encode(specs, sample);
  EXPECT_EQ(static_cast<uint8_t>(blob[0]), kStateVersion);

  Record decoded(specs);
  EXPECT_EQ(decode_states(specs, decoded.layout, blob, decoded.bytes.data(), decoded.pools), 0u);
  EXPECT_EQ(encode(specs, decoded), blob);

  const WindowState &w = decoded.pools.windows.at(load<HandleSlot>(decoded.slot(1)).handle);
  ASSERT_EQ(w.buckets.size(), 3u);
  EXPECT_EQ(w.latest_bucket, 20010);
  EXPECT_EQ(w.buckets[2].stats.sum.to_string(), "-12345678901234567890.123456789");
  EXPECT_EQ(w.buckets[1].stats.max.to_string(), "99999.99");
  EXPECT_EQ(load<ExtremeSlot>(decoded.slot(2)).value.to_string(), "0.05");
  const PickSlot p = load<PickSlot>(decoded.slot(3));
  EXPECT_EQ(p.kind, PickKind::kString);
  EXPECT_EQ(p.timestamp, -5);
  EXPECT_EQ(decoded.pools.text(p.text), "پرو");
  EXPECT_EQ(decoded.pools.hashes.at(load<HandleSlot>(decoded.slot(4)).handle).size(), 3u);
}

TEST(StateCodec, EveryTruncationIsRejectedAndOwnsNothingAfterRelease) {
  auto specs = parse_specs(YamlOptions(kFeatures));
  Record sample(specs);
  fill_sample(sample);
  std::string blob = encode(specs, sample);
  Record r(specs);
  for (size_t len = 0; len < blob.size(); ++len) {
    EXPECT_THROW(
        decode_states(specs, r.layout, std::string_view(blob.data(), len), r.bytes.data(), r.pools),
        std::runtime_error)
        << "prefix of " << len << " bytes";
    // What a failed decode attached to the slots is released with them.
    for (size_t f = 0; f < specs.size(); ++f) release(r.layout.kinds[f], r.slot(f), r.pools);
    EXPECT_EQ(r.pools.texts.live() + r.pools.windows.live() + r.pools.hashes.live(), 0u)
        << "prefix of " << len << " bytes";
  }
  std::string longer = blob + "x";
  EXPECT_THROW(decode_states(specs, r.layout, longer, r.bytes.data(), r.pools), std::runtime_error);
}

// A blob written by the plugin before states were stored in compact slots
// (every op then kept events, numeric, sum, min and max): it is read with
// the same values, and rewritten in the same format with the decimals an op
// does not keep written as 0 (sum of min/max, min/max of sum/avg).
TEST(StateCodec, ReadsBlobsWrittenBeforeCompactSlots) {
  const char *features = R"(
features:
  orders: { count: { event: Order Completed } }
  revenue: { sum: { event: Order Completed, field: properties.revenue } }
  avg_order: { avg: { event: Order Completed, field: properties.revenue } }
  low: { min: { field: properties.revenue } }
  high: { max: { field: properties.revenue } }
  revenue_7d: { sum: { field: properties.revenue, window: 7d } }
  first_seen: { first: {} }
  last_plan: { last: { field: context.traits.plan } }
  last_vip: { last: { field: traits.vip } }
  products: { distinct: { field: properties.product_id } }
)";
  const std::string tail =  // revenue_7d .. products: unchanged bytes
      "1f0d40c046cab80203c0b802010180c6f9f7940180c6f9f7940180c6f9f79401c6b8020101ffdb9afd28ffdb9a"
      "fd28ffdb9afd28cab802010180c0a8ca9a3a80c0a8ca9a3a80c0a8ca9a3aa6c37c480a01d08f9ccdca64010400"
      "511f929f100180c0e796cd64030206d9bed8b1d9885811839b0e0180d0b4c4cc640203047472756562ed94bd11"
      "02dbe2ed2c541d4ba28876fc15f2b41ade";
  const std::string before =
      "010a898fce6403030000be2f3fce13030380aa87c5863bffdb9afd2880c0a8ca9a3ac6c6c06e13030380aa87c5"
      "863bffdb9afd2880c0a8ca9a3a40b510a413030380aa87c5863bffdb9afd2880c0a8ca9a3af035df7213030380"
      "aa87c5863bffdb9afd2880c0a8ca9a3a" +
      tail;
  const std::string after =
      "010a898fce6403030000be2f3fce0a030380aa87c5863b0000c6c6c06e0a030380aa87c5863b000040b510a409"
      "030300ffdb9afd2800f035df720a0303000080c0a8ca9a3a" +
      tail;
  auto unhex = [](const std::string &hex) {
    std::string out;
    for (size_t i = 0; i < hex.size(); i += 2) {
      out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
  };
  AggregateEngine engine = engine_from(features);
  engine.restore(7, unhex(before));
  EXPECT_EQ(engine.take_stale_features(), 0u);
  const int64_t as_of = 20006LL * 86'400'000;
  const std::map<std::string, std::string> expected = {
      {"avg_order", "num:338.163333"},
      {"first_seen", "str:2024-10-04T00:00:01.000Z"},
      {"high", "num:1000"},
      {"last_plan", "str:پرو"},
      {"last_vip", "bool:true"},
      {"low", "num:-5.5"},
      {"orders", "int:3"},
      {"products", "int:2"},
      {"revenue", "num:1014.49"},
      {"revenue_7d", "num:1014.49"}};
  EXPECT_EQ(emit_all(engine, 7, as_of), expected);

  engine.merge(7, 8);  // marks 8 dirty with the same states
  std::string rewritten;
  engine.save_dirty([&](uint64_t, std::string_view b) { rewritten = std::string(b); });
  EXPECT_EQ(rewritten, unhex(after));
  AggregateEngine again = engine_from(features);
  again.restore(8, rewritten);
  EXPECT_EQ(emit_all(again, 8, as_of), expected);
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
