// aggregate_spec_test.cpp -- the `features` option: valid specs parse into
// the right filters/fields/windows; every mistake is reported at its option
// path with a hint.
#include <gtest/gtest.h>

#include <halo/sdk.hpp>

#include "test_support.h"

namespace halo::aggregates::testing {
namespace {

void expect_error(const std::string &yaml, const std::string &path, const std::string &hint) {
  try {
    parse_specs(YamlOptions(yaml));
    FAIL() << "expected ConfigError at " << path;
  } catch (const ConfigError &e) {
    EXPECT_EQ(e.path(), path) << e.what();
    EXPECT_NE(std::string(e.what()).find(hint), std::string::npos) << e.what();
  }
}

TEST(AggregateSpec, ParsesFiltersFieldsAndWindows) {
  auto specs = parse_specs(YamlOptions(R"(
features:
  orders: { count: { event: Order Completed } }
  revenue_30d: { sum: { event: [Order Completed, Order Refunded], field: properties.revenue, window: 30d } }
  pages_36h: { count: { type: page, window: 36h } }
  recent: { max: { field: properties.total, window: 90m } }
  last_seen: { last: {} }
  first_source: { first: { field: source } }
  fortnight: { count: { window: 2w } }
)"));
  ASSERT_EQ(specs.size(), 7u);
  EXPECT_EQ(specs[0].op, Op::kCount);
  EXPECT_EQ(specs[0].events, std::vector<std::string>{"Order Completed"});
  EXPECT_FALSE(specs[0].windowed());
  EXPECT_EQ(specs[1].events.size(), 2u);
  EXPECT_EQ(specs[1].field_kind, FieldKind::kPath);
  EXPECT_EQ(specs[1].field_path, "properties.revenue");
  EXPECT_EQ(specs[1].window_ms, 30LL * 86'400'000);
  EXPECT_EQ(specs[1].bucket_ms, 86'400'000);
  EXPECT_EQ(specs[2].event_type, HALO_EVENT_PAGE);
  EXPECT_EQ(specs[2].bucket_ms, 3'600'000);
  EXPECT_EQ(specs[2].window_buckets(), 36);
  EXPECT_EQ(specs[3].bucket_ms, 60'000);
  EXPECT_EQ(specs[4].field_kind, FieldKind::kNone);
  EXPECT_EQ(specs[5].field_kind, FieldKind::kSource);
  EXPECT_EQ(specs[6].window_ms, 14LL * 86'400'000);  // the pipeline duration syntax
  EXPECT_EQ(specs[6].bucket_ms, 86'400'000);
  EXPECT_NE(specs[0].fingerprint, specs[1].fingerprint);
}

TEST(AggregateSpec, FingerprintChangesWithMeaning) {
  auto a = parse_specs(YamlOptions("features: { n: { count: { event: A } } }"));
  auto b = parse_specs(YamlOptions("features: { n: { count: { event: B } } }"));
  auto c = parse_specs(YamlOptions("features: { n: { count: { event: A } } }"));
  EXPECT_NE(a[0].fingerprint, b[0].fingerprint);
  EXPECT_EQ(a[0].fingerprint, c[0].fingerprint);
}

TEST(AggregateSpec, BucketRefinesTheWindowAndItsMeaning) {
  auto specs = parse_specs(YamlOptions(R"(
features:
  day: { count: { event: A, window: 1d } }
  sliding: { count: { event: A, window: 1d, bucket: 1m } }
  hourly: { sum: { field: properties.v, window: 2d, bucket: 1h } }
)"));
  ASSERT_EQ(specs.size(), 3u);
  EXPECT_EQ(specs[0].bucket_ms, 86'400'000);
  EXPECT_EQ(specs[1].bucket_ms, 60'000);
  EXPECT_EQ(specs[1].window_buckets(), 1440);
  EXPECT_EQ(specs[2].window_buckets(), 48);
  // The same feature with another bucket means something else; one
  // without `bucket` keeps the fingerprint it had before the key existed.
  auto plain = parse_specs(YamlOptions("features: { day: { count: { event: A, window: 1d } } }"));
  auto fine = parse_specs(
      YamlOptions("features: { day: { count: { event: A, window: 1d, bucket: 1m } } }"));
  EXPECT_EQ(plain[0].fingerprint, specs[0].fingerprint);
  EXPECT_NE(plain[0].fingerprint, fine[0].fingerprint);

  expect_error("features: { c: { count: { bucket: 1m } } }", "features.c.count.bucket",
               "needs a window");
  expect_error("features: { c: { count: { window: 1h, bucket: 7m } } }", "features.c.count.bucket",
               "divide the window");
  expect_error("features: { c: { count: { window: 1h, bucket: 30s } } }", "features.c.count.bucket",
               "bad bucket '30s'");
}

TEST(AggregateSpec, ReportsMistakesAtTheirPath) {
  expect_error("other: 1", "features", "expected a map of feature name");
  expect_error("features: { revenue: { sume: { field: properties.revenue } } }",
               "features.revenue.sume", "did you mean sum?");
  expect_error("features: { total: { sum: { event: Order Completed } } }", "features.total.sum",
               "needs a field");
  expect_error("features: { c: { count: { window: 7x } } }", "features.c.count.window",
               "bad window '7x'");
  expect_error("features: { c: { count: { window: 0d } } }", "features.c.count.window",
               "Nm, Nh, Nd or Nw");
  // The pipeline duration syntax, but a window is whole minutes.
  expect_error("features: { c: { count: { window: 90s } } }", "features.c.count.window",
               "bad window '90s'");
  expect_error("features: { c: { count: { window: 10000000d } } }", "features.c.count.window",
               "at most 9999999d");
  expect_error("features: { s: { sum: { feild: properties.x } } }", "features.s.sum.feild",
               "did you mean field?");
  expect_error("features: { p: { count: { type: trak } } }", "features.p.count.type",
               "did you mean track?");
  expect_error("features: { d: { distinct: { field: event, window: 7d } } }",
               "features.d.distinct.window", "not supported for distinct");
  expect_error("features: { x: { count: {}, sum: { field: a } } }", "features.x",
               "exactly one aggregate");
  expect_error("features: { x: { count: { event: [] } } }", "features.x.count.event",
               "non-empty list");
  expect_error("features: { a.b: { count: {} } }", "features.a.b", "without '.'");
  for (const char *bad : {"'properties.products[0].price'", "'properties.[].price'",
                          "'properties.products[]price'", "'properties.tags]'"}) {
    expect_error(std::string("features: { s: { sum: { field: ") + bad + " } } }",
                 "features.s.sum.field", "`[]` follows a key");
  }
}

// halo validate lists every mistake: each bad feature is one error, in
// config order, and the good ones still parse.
TEST(AggregateSpec, CollectsEveryBadFeature) {
  std::vector<ConfigError> errors;
  auto specs = parse_specs(YamlOptions(R"(
features:
  a: { cuont: { event: A } }
  ok: { count: { event: A } }
  m: { count: { event: A, window: 1month } }
)"),
                           errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path(), "features.a.cuont");
  EXPECT_EQ(errors[1].path(), "features.m.count.window");
  EXPECT_NE(std::string(errors[1].what()).find("bad window '1month'"), std::string::npos);
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(specs[0].name, "ok");
  // The throwing form reports the first.
  expect_error("features: { a: { cuont: {} }, m: { count: { window: 1month } } }",
               "features.a.cuont", "did you mean count?");
}

}  // namespace
}  // namespace halo::aggregates::testing
