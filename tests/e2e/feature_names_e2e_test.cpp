// feature_names_e2e_test.cpp -- what segments and triggers read is checked
// against what the feature builders write (describe_features, plugin.h):
// a `features.` name no builder writes is refused by `halo validate` and
// `halo run` alike, with the nearest name as a suggestion, in a segment, a
// trigger's `if` and a trigger variable; every bundled builder names
// exactly what it writes (a run over events each of them reads logs no
// undescribed name); a builder that does not say leaves names unchecked;
// a test a feature's kind can never pass is refused.
#include <gtest/gtest.h>

#include <string>

#include "e2e_support.h"

namespace halo::e2e::feature_names_e2e_test {
namespace {

constexpr int64_t kAsOf = 1'767'225'600;  // 2026-01-01T00:00:00Z, seconds

const char *kOrders =
    "{ orders: { count: { event: Order Completed } }, revenue: { sum: { event: Order "
    "Completed, field: properties.revenue } } }";

std::string with(const std::string &segment, const std::string &condition,
                 const std::string &variable) {
  return "segments:\n  - { name: repeat, expression: \"" + segment +
         "\" }\ntriggers:\n  - name: thanks\n    on: { entered: repeat }\n    if: \"" + condition +
         "\"\n    send: { channel: email, destination: mail, template: thanks, variables: { "
         "total: " +
         variable + " } }\n";
}

TEST(FeatureNames, ANameNoBuilderWritesIsRefusedWithASuggestion) {
  TempDir dir;
  write_file(dir / "events.jsonl", "");
  const std::string p = dir / "p.yaml";
  write_file(p, segment_pipeline_text(
                    kAsOf, kOrders,
                    with("features.ordrs >= 2", "features.revenu > 100", "features.revnue")));
  CommandResult v = run({halo_bin(), "validate", p});
  EXPECT_EQ(v.exit_code, 2) << v.err;
  EXPECT_NE(v.err.find("segments[0].expression: features.ordrs: no feature builder of the "
                       "pipeline writes a feature named 'ordrs' (did you mean 'orders'?)"),
            std::string::npos)
      << v.err;
  EXPECT_NE(v.err.find("triggers[0].if: features.revenu: no feature builder of the pipeline "
                       "writes a feature named 'revenu' (did you mean 'revenue'?)"),
            std::string::npos)
      << v.err;
  EXPECT_NE(v.err.find("triggers[0].send.variables.total: features.revnue: no feature builder"),
            std::string::npos)
      << v.err;
  EXPECT_EQ(run_pipeline(p).exit_code, 2);

  write_file(p, segment_pipeline_text(
                    kAsOf, kOrders,
                    with("features.orders >= 2", "features.revenue > 100", "features.revenue")));
  CommandResult fixed = run({halo_bin(), "validate", p});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
}

// A builder's described value gives its feature a kind: a test that kind
// can never pass is refused, in a segment and in a trigger's `if`; tests
// that suit it, and tests against null, pass.
TEST(FeatureNames, ATestAFeaturesKindCanNeverPassIsRefused) {
  TempDir dir;
  write_file(dir / "events.jsonl", "");
  const std::string p = dir / "p.yaml";
  write_file(p, segment_pipeline_text(
                    kAsOf, kOrders,
                    with("features.orders > 'two' or features.orders contains '1'",
                         "features.revenue in [100, 'a lot'] or features.orders", "profile_id")));
  CommandResult v = run({halo_bin(), "validate", p});
  EXPECT_EQ(v.exit_code, 2) << v.err;
  for (const char *expected :
       {"segments[0].expression: features.orders holds a number; comparing it with text is "
        "false for every profile",
        "segments[0].expression: features.orders holds a number; 'contains', a test of text, is "
        "false for every profile",
        "triggers[0].if: features.revenue holds a number; comparing it with text is false",
        "triggers[0].if: features.orders holds a number; comparing it with true or false"}) {
    EXPECT_NE(v.err.find(expected), std::string::npos) << expected << "\n" << v.err;
  }
  EXPECT_EQ(run_pipeline(p).exit_code, 2);

  write_file(p,
             segment_pipeline_text(
                 kAsOf, kOrders,
                 with("features.orders > 2 or features.orders == null",
                      "features.revenue in [100, 250.5] and features.orders != 1", "profile_id")));
  CommandResult fixed = run({halo_bin(), "validate", p});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
}

std::string event(const std::string &name, const std::string &id, const std::string &user,
                  int64_t seconds_before, const std::string &properties) {
  return R"({"type":"track","event":")" + name + R"(","messageId":")" + id + R"(","userId":")" +
         user + R"(","timestamp":")" + iso_utc(kAsOf - seconds_before) + R"(","properties":{)" +
         properties + "}}\n";
}

TEST(FeatureNames, EveryBundledBuilderNamesWhatItWrites) {
  TempDir dir;
  std::string events;
  for (int c = 0; c < 12; ++c) {
    const std::string u = "c" + std::to_string(c);
    for (int k = 0; k <= c % 3; ++k) {
      events += event("Order Completed", u + "o" + std::to_string(k), u, (30 * k + c + 2) * 86'400,
                      R"("revenue":)" + std::to_string(100 + 10 * c) +
                          R"(,"products":[{"product_id":"p)" + std::to_string((c + k) % 4) +
                          R"(","category":"shoes","quantity":1}])");
    }
    events += event("Email Opened", u + "e", u, 3 * 86'400 + c * 3600, R"("channel":"email")");
    events += event("Product Viewed", u + "v", u, 86'400, R"("category":"shoes")");
    events += event("Survey Answered", u + "s", u, 86'400, R"("nps":)" + std::to_string(c % 11));
    events += event("Product Reviewed", u + "r", u, 86'400, R"("rating":4)");
  }
  write_file(dir / "events.jsonl", events);
  const std::string builders =
      "features:\n"
      "  - { name: orders, plugin: aggregates, config: { features: " +
      std::string(kOrders) +
      " } }\n"
      "  - { name: lifetime, plugin: clv, config: {} }\n"
      "  - { name: rfm, plugin: rfm, config: { window: 365d } }\n"
      "  - { name: recs, plugin: recommendations, config: { min_together: 1 } }\n"
      "  - { name: engagement, plugin: engagement, config: {} }\n"
      "  - { name: loyalty, plugin: loyalty, config: {} }\n"
      "  - { name: voice, plugin: satisfaction, config: {} }\n";
  auto pipeline = [&](const std::string &segments) {
    return "version: 1\nstore: { kind: sqlite, path: halo.db }\nrun: { as_of: \"" + iso_utc(kAsOf) +
           "\" }\nsources:\n  - { name: events, plugin: file-jsonl, config: { path: "
           "events.jsonl } }\n" +
           builders +
           "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: "
           "profiles.jsonl } }\n" +
           segments;
  };
  const std::string p = dir / "p.yaml";
  write_file(p, pipeline("segments:\n"
                         "  - name: everyone\n"
                         "    expression: \"exists(features.orders) or exists(features.clv) or "
                         "exists(features.rfm_segment) or exists(features.recommended_products) "
                         "or exists(features.best_send_hour) or exists(features.loyalty_stage) or "
                         "exists(features.nps)\"\n"));
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("did not name"), std::string::npos) << r.err;
  const std::string profile = exported_profile(dir / "profiles.jsonl", "c4");
  for (const char *written :
       {"\"orders\":", "\"clv\":", "\"rfm_segment\":", "\"recommended_products\":",
        "\"best_send_hour\":", "\"loyalty_stage\":", "\"nps\":4"}) {
    EXPECT_NE(profile.find(written), std::string::npos) << written << " in " << profile;
  }
  write_file(p, pipeline("segments:\n  - { name: lost, expression: \"features.clvv > 1\" }\n"));
  CommandResult v = run({halo_bin(), "validate", p});
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_NE(v.err.find("named 'clvv' (did you mean 'clv'?)"), std::string::npos) << v.err;
}

// A pipeline whose only feature builder is the test plugin `plugin`
// (tests/e2e/faulty_plugin.cpp) with `config`, and one segment.
std::string test_builder(const std::string &plugin, const std::string &config,
                         const std::string &expression) {
  return "version: 1\nstore: { kind: sqlite, path: halo.db }\nsources:\n  - { name: events, "
         "plugin: file-jsonl, config: { path: events.jsonl } }\nfeatures:\n  - { name: counts, "
         "plugin: " +
         plugin + ", config: " + config +
         " }\ndestinations:\n  - { name: out, plugin: file-jsonl, config: { path: "
         "profiles.jsonl } }\nsegments:\n  - { name: s, expression: \"" +
         expression + "\" }\n";
}

CommandResult with_test_plugins(const std::string &command, const std::string &pipeline) {
  return run({halo_bin(), command, pipeline, "--plugin-dir", HALO_TEST_PLUGIN_DIR});
}

TEST(FeatureNames, OnlyWhatEveryBuilderNamesIsChecked) {
  TempDir dir;
  write_file(dir / "events.jsonl",
             R"({"type":"identify","userId":"u1","messageId":"m1","traits":{"city":"Yazd"}})"
             "\n");
  const std::string p = dir / "p.yaml";
  // A builder that does not say: nothing to check against.
  write_file(p, test_builder("faulty-features", "{}", "features.anything > 1"));
  EXPECT_EQ(with_test_plugins("validate", p).exit_code, 0);
  // One that says: its names are checked.
  write_file(
      p, test_builder("named-features", "{ named: \"seen,seen_days\" }", "features.seen_day > 1"));
  CommandResult v = with_test_plugins("validate", p);
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_NE(v.err.find("named 'seen_day' (did you mean 'seen_days'?)"), std::string::npos) << v.err;
  // One whose describe_features fails: an error naming the builder.
  write_file(p, test_builder("named-features", "{ fail_describe: true }", "features.seen > 1"));
  v = with_test_plugins("validate", p);
  EXPECT_NE(v.exit_code, 0);
  EXPECT_NE(v.err.find("cannot say which features it writes"), std::string::npos) << v.err;
  // One that writes a name it did not give: logged once, as its fault.
  write_file(p, test_builder("named-features", "{ named: other }", "features.other > 1"));
  CommandResult r = with_test_plugins("run", p);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("emit() wrote feature 'seen', which describe_features() did not name"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace halo::e2e::feature_names_e2e_test
