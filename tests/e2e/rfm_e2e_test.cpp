// rfm_e2e_test.cpp -- the rfm builder through `halo run`: ten customers
// whose recency, frequency and monetary scores are worked out by hand
// (ties and an empty window included), the fitted thresholds in `halo model
// show`, segment maps from YAML and their checks in `halo validate`, orders
// without a usable value as dead letters, and a rebuild equal to the
// incremental run after a new order changes everyone's scores.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace halo::e2e::rfm_e2e_test {
namespace {

constexpr int64_t kDay = 86'400;
constexpr int64_t kAsOf = 1'719'705'600;  // 2024-06-30T00:00:00Z

// One order a day at most per customer: the message id says which.
std::string order(const std::string &user, int64_t days_before, const std::string &revenue) {
  return R"({"type":"track","event":"Order Completed","messageId":")" + user + "-" +
         std::to_string(days_before) + R"(","userId":")" + user + R"(","timestamp":")" +
         iso_utc(kAsOf - days_before * kDay) + R"(","properties":{"revenue":)" + revenue + "}}\n";
}

// c0 ordered once, 500 days ago (outside the 365-day window); c1..c9 last
// ordered 100 - 10i days ago: one order each for c1..c5, two for c6..c8,
// five for c9, every order of ci worth (i + 1) x 1.10. c10 never ordered.
std::string customers() {
  std::string out = order("c0", 500, "9.99");
  for (int i = 1; i <= 9; ++i) {
    const int orders = i <= 5 ? 1 : i <= 8 ? 2 : 5;
    char value[16];
    std::snprintf(value, sizeof value, "%d.%02d", (i + 1) * 110 / 100, (i + 1) * 110 % 100);
    for (int k = 0; k < orders; ++k) out += order("c" + std::to_string(i), 100 - 10 * i + k, value);
  }
  out +=
      R"({"type":"identify","messageId":"i10","userId":"c10","timestamp":"2024-01-01T00:00:00Z","traits":{"name":"Sara"}})"
      "\n";
  return out;
}

std::string pipeline(const std::string &rfm_config,
                     const std::string &as_of = "2024-06-30T00:00:00Z") {
  return builder_pipeline("rfm", "rfm", rfm_config, as_of);
}

TEST(RfmE2E, ScoresAndSegmentsWorkedOutByHand) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("{ window: 365d }"));
  write_file(dir / "events.jsonl", customers());
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "profiles"), 11);
  // Recency orders c0..c9 worst to best: scores 1 1 2 2 3 3 4 4 5 5.
  // Frequency 0 (c0), 1 x5, 2 x3, 5: 1 scores 1 (one value below), 2
  // scores 4 (six below), 5 scores 5. Monetary 0, 2.2 .. 6.6, 15.4, 17.6,
  // 19.8, 55: 1 1 2 2 3 3 4 4 5 5.
  expect_exported(dir, "c0",
                  R"("recency_days":500,"frequency":0,"monetary":0,"r_score":1,"f_score":1,)"
                  R"("m_score":1,"rfm_score":"111","rfm_segment":"Lost")");
  expect_exported(dir, "c1", R"("rfm_score":"111","rfm_segment":"Lost")");
  expect_exported(dir, "c3",
                  R"("recency_days":70,"frequency":1,"monetary":4.4,"r_score":2,"f_score":1,)"
                  R"("m_score":2,"rfm_score":"212","rfm_segment":"Hibernating")");
  expect_exported(dir, "c5", R"("rfm_score":"313","rfm_segment":"About to Sleep")");
  expect_exported(dir, "c7",
                  R"("recency_days":30,"frequency":2,"monetary":17.6,"r_score":4,"f_score":4,)"
                  R"("m_score":4,"rfm_score":"444","rfm_segment":"Loyal")");
  expect_exported(dir, "c8", R"("rfm_score":"545","rfm_segment":"Champions")");
  expect_exported(dir, "c9",
                  R"("recency_days":10,"frequency":5,"monetary":55,"r_score":5,"f_score":5,)"
                  R"("m_score":5,"rfm_score":"555","rfm_segment":"Champions")");
  expect_exported(dir, "c10", R"("recency_days":null)");
  expect_exported(dir, "c10", R"("rfm_segment":null)");

  // The thresholds: the most days, the fewest orders, the least spend that
  // score at least 2..5.
  CommandResult model =
      run({halo_bin(), "model", "show", dir / "p.yaml", "rfm", "--format", "json"});
  ASSERT_EQ(model.exit_code, 0) << model.err;
  for (const char *param : {R"("customers":10)", R"("r2":80)", R"("r5":20)", R"("f2":2)",
                            R"("f4":2)", R"("f5":5)", R"("m2":3.3)", R"("m5":19.8)"}) {
    EXPECT_NE(model.out.find(param), std::string::npos) << param << " in " << model.out;
  }
}

// A new order for c1 makes it the most recent customer: every profile's
// scores move, and the incremental run equals a rebuild.
TEST(RfmE2E, ANewOrderRescoresEveryoneAndARebuildAgrees) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("{}"));
  write_file(dir / "events.jsonl", customers());
  ASSERT_EQ(run_pipeline(dir / "p.yaml").exit_code, 0);
  write_file(dir / "events.jsonl", customers() + order("c1", 1, "\"2.20\""));
  RunOutcome again = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  expect_exported(dir, "c1", R"("recency_days":1,"frequency":2,"monetary":4.4,"r_score":5,)");
  expect_exported(dir, "c9", R"("recency_days":10,"frequency":5,"monetary":55,"r_score":5,)");
  expect_exported(dir, "c8", R"("recency_days":20,"frequency":2,"monetary":19.8,"r_score":4,)");
  const std::string incremental = profiles_without_ids(dir / "var/profiles.jsonl");
  CommandResult rebuilt = run({halo_bin(), "rebuild", dir / "p.yaml", "-q"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(profiles_without_ids(dir / "var/profiles.jsonl"), incremental);
}

// `halo model fit` reads no source: 30 days on, everyone's recency grows by
// 30 and the new order in the input waits for the next run.
TEST(RfmE2E, ModelFitRescoresWithoutReadingSources) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("{}"));
  CommandResult none = run({halo_bin(), "model", "fit", dir / "p.yaml", "-q"});
  EXPECT_EQ(none.exit_code, 3) << none.err;  // no store yet
  EXPECT_NE(none.err.find("run the pipeline first"), std::string::npos) << none.err;
  write_file(dir / "events.jsonl", customers());
  ASSERT_EQ(run_pipeline(dir / "p.yaml").exit_code, 0);
  write_file(dir / "events.jsonl", customers() + order("c11", 1, "5"));
  write_file(dir / "p.yaml", pipeline("{}", "2024-07-30T00:00:00Z"));
  CommandResult fit =
      run({halo_bin(), "model", "fit", dir / "p.yaml", "-q", "--summary-json", "-"});
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  EXPECT_EQ(summary_count(fit.out, "records_read"), 0) << fit.out;
  expect_exported(dir, "c9", R"("recency_days":40,"frequency":5,)");
  expect_exported(dir, "c0", R"("recency_days":530,)");
  EXPECT_EQ(read_file(dir / "var/profiles.jsonl").find("c11"), std::string::npos);
  CommandResult model =
      run({halo_bin(), "model", "show", dir / "p.yaml", "rfm", "--format", "json"});
  EXPECT_NE(model.out.find(R"("as_of":"2024-07-30T00:00:00.000Z")"), std::string::npos)
      << model.out;

  // A pipeline without a population step has nothing to fit.
  write_file(dir / "plain.yaml", R"(version: 1
store: { kind: sqlite, path: var/halo.db }
sources:
  - { name: orders, plugin: file-jsonl, config: { path: events.jsonl } }
features:
  - { name: orders, plugin: aggregates, config: { features: { n: { count: {} } } } }
destinations:
  - { name: out, plugin: file-jsonl, config: { path: var/profiles.jsonl } }
)");
  CommandResult nothing = run({halo_bin(), "model", "fit", dir / "plain.yaml", "-q"});
  EXPECT_EQ(nothing.exit_code, 2) << nothing.err;
  EXPECT_NE(nothing.err.find("population step"), std::string::npos) << nothing.err;
}

TEST(RfmE2E, SegmentMapsFromYamlAndTheirChecks) {
  TempDir dir;
  write_file(dir / "p.yaml",
             pipeline("{ segments: [ { name: Big spenders, m: 5 }, { name: Recent, r: 4-5 }, "
                      "{ name: Others } ] }"));
  write_file(dir / "events.jsonl", customers());
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_exported(dir, "c9", R"("rfm_segment":"Big spenders")");
  expect_exported(dir, "c7", R"("rfm_segment":"Recent")");
  expect_exported(dir, "c2", R"("rfm_segment":"Others")");

  // validate reports what run would refuse, with the option's path.
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"{ segments: [ { name: Recent, r: 4-5 } ] }", "no rule names the scores r=1 f=1 m=1"},
      {"{ segments: [ { name: A, r: 6 }, { name: B } ] }", "segments[0].r"},
      {"{ segments: [ { name: A, x: 1 }, { name: B } ] }", "segments[0].x"},
      {"{ segments: [ { r: 1 }, { name: B } ] }", "segments[0].name"},
      {"{ window: 0d }", "window"},
  };
  for (const auto &[config, message] : bad) {
    write_file(dir / "bad.yaml", pipeline(config));
    CommandResult v = run({halo_bin(), "validate", dir / "bad.yaml"});
    EXPECT_NE(v.exit_code, 0) << config;
    EXPECT_NE(v.err.find(message), std::string::npos) << config << "\n" << v.err;
  }
}

// An order without a usable value is a dead letter of the builder, never
// an order of value 0: c1's refused orders change nothing.
TEST(RfmE2E, AnOrderWithoutAUsableValueIsADeadLetter) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("{}"));
  write_file(dir / "events.jsonl", customers() + order("c1", 1, "\"12,50\"") +
                                       order("c1", 2, "-5") + order("c1", 3, "null") +
                                       order("c1", 4, "true") + order("c1", 5, "2e13") +
                                       order("c1", 6, "1e300") + order("c1", 7, "\"1e40\""));
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "feature_rejections"), 7) << r.summary;
  CommandResult letters = run({halo_bin(), "deadletters", dir / "p.yaml"});
  ASSERT_EQ(letters.exit_code, 0) << letters.err;
  for (const char *reason :
       {"not_a_number", "missing_value", "negative_value", "number_out_of_range"}) {
    EXPECT_NE(letters.out.find(reason), std::string::npos) << reason << "\n" << letters.out;
  }
  // Above 1e13, and numbers of more than 38 digits (a JSON number, a
  // numeric string): out of range, not "not a number".
  size_t out_of_range = 0;
  for (size_t at = 0; (at = letters.out.find("number_out_of_range", at)) != std::string::npos;
       ++at) {
    ++out_of_range;
  }
  EXPECT_EQ(out_of_range, 3u) << letters.out;
  expect_exported(dir, "c1", R"("recency_days":90,"frequency":1,"monetary":2.2,)");
}

}  // namespace
}  // namespace halo::e2e::rfm_e2e_test
