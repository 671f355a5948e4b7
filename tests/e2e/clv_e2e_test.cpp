// clv_e2e_test.cpp -- the population step (fit(), plugin ABI 1.2) end to
// end: the CDNOW sample log as order events through `halo run` with the
// `clv` builder; `halo model show` prints BG/NBD and Gamma-Gamma parameters
// within 1% of the published fits, a profile's expected purchases match
// the paper's workbook, every clv_percentile is the share of customers at
// or below that CLV, a run with nothing new fits nothing, and a rebuild
// fits the same parameters and exports the same profiles.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "e2e_support.h"

namespace halo::e2e::clv_e2e_test {
namespace {

// One order event per line of the sample log (customer, sample id,
// YYYYMMDD, CDs, dollars), at noon UTC.
std::string cdnow_events() {
  std::ifstream in(source_dir() + "/tests/data/cdnow/CDNOW_sample.txt");
  EXPECT_TRUE(in);
  std::string customer, date, out;
  int sample = 0, cds = 0, line = 0;
  std::string dollars;
  while (in >> customer >> sample >> date >> cds >> dollars) {
    ++line;
    out += R"({"type":"track","event":"Order Completed","messageId":"m)" + std::to_string(line) +
           R"(","userId":"c)" + std::to_string(sample) + R"(","timestamp":")" + date.substr(0, 4) +
           "-" + date.substr(4, 2) + "-" + date.substr(6, 2) +
           R"(T12:00:00Z","properties":{"revenue":)" + dollars + "}}\n";
  }
  return out;
}

// The calibration period of the published fits ends with 1997-09-30; the
// log runs on to 1998-06-30 (the hold-out), which the models leave out.
const char *kPipeline = R"(version: 1
store: { kind: sqlite, path: var/halo.db }
run: { as_of: "1997-09-30T23:59:59Z" }
sources:
  - { name: orders, plugin: file-jsonl, config: { path: events.jsonl } }
features:
  - { name: lifetime, plugin: clv, config: { time_unit: 7d, horizon: 273d } }
  - { name: orders, plugin: aggregates, config: { features: { orders: { count: {} } } } }
destinations:
  - { name: out, plugin: file-jsonl, config: { path: var/profiles.jsonl } }
)";

std::string model_json(const TempDir &dir) {
  CommandResult r =
      run({halo_bin(), "model", "show", dir / "p.yaml", "lifetime", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(ClvE2E, FitsTheCdnowModelsInsideAPipeline) {
  TempDir dir;
  write_file(dir / "p.yaml", kPipeline);
  write_file(dir / "events.jsonl", cdnow_events());
  // No run yet: no store.
  EXPECT_EQ(run({halo_bin(), "model", "show", dir / "p.yaml", "lifetime"}).exit_code, 3);
  RunOutcome first = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(summary_count(first.summary, "profiles"), 2357);

  const std::string model = model_json(dir);
  const std::vector<std::pair<const char *, double>> published = {
      {"r", 0.242593}, {"alpha", 4.413532}, {"a", 0.792886}, {"b", 2.425752},
      {"p", 6.25},     {"q", 3.74},         {"v", 15.44}};
  for (const auto &[name, want] : published) {
    double got = json_number(model, name);
    EXPECT_LE(std::abs(got - want), 0.01 * want) << name << " in " << model;
  }
  EXPECT_EQ(json_number(model, "customers"), 2357) << model;
  EXPECT_EQ(json_number(model, "profiles"), 2357) << model;
  EXPECT_NE(model.find(R"("builder":"lifetime","plugin":"clv")"), std::string::npos) << model;
  EXPECT_NE(model.find(R"("as_of":"1997-09-30T23:59:59.000Z")"), std::string::npos) << model;

  // A builder without a population step never fits; a name that is no
  // builder of the pipeline is a usage error.
  CommandResult no_fit = run({halo_bin(), "model", "show", dir / "p.yaml", "orders"});
  EXPECT_EQ(no_fit.exit_code, 3) << no_fit.err;
  EXPECT_NE(no_fit.err.find("has not fitted"), std::string::npos) << no_fit.err;
  EXPECT_EQ(run({halo_bin(), "model", "show", dir / "p.yaml", "nope"}).exit_code, 2);

  // Customer 1: x = 2, t_x = 30.43, T = 38.86 weeks; 39 weeks ahead the
  // paper's workbook expects 1.226 purchases.
  CommandResult one = run({halo_bin(), "profile", "get", dir / "p.yaml", "--id", "user_id=c1"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NEAR(json_number(one.out, "expected_purchases"), 1.226, 0.003) << one.out;
  const double alive = json_number(one.out, "p_alive");
  EXPECT_GT(alive, 0);
  EXPECT_LT(alive, 1);
  EXPECT_NEAR(json_number(one.out, "churn_probability"), 1 - alive, 1e-12);
  EXPECT_NEAR(
      json_number(one.out, "clv"),
      json_number(one.out, "expected_purchases") * json_number(one.out, "expected_order_value"),
      1e-9);

  // clv_percentile: 100 * (customers whose CLV is at most this one's) / all.
  std::vector<std::pair<double, double>> clvs;  // (clv, percentile)
  simdjson::dom::parser parser;
  for (const std::string &line : read_lines(dir / "var/profiles.jsonl")) {
    simdjson::dom::element features = parser.parse(line)["features"];
    double clv = 0, percentile = 0;
    if (features["clv"].get_double().get(clv) ||
        features["clv_percentile"].get_double().get(percentile)) {
      ADD_FAILURE() << "no clv or clv_percentile: " << line;
      continue;
    }
    clvs.emplace_back(clv, percentile);
  }
  ASSERT_EQ(clvs.size(), 2357u);
  double top = 0;
  for (const auto &[clv, percentile] : clvs) {
    const auto at_most = std::count_if(clvs.begin(), clvs.end(),
                                       [&](const auto &other) { return other.first <= clv; });
    EXPECT_DOUBLE_EQ(percentile, 100.0 * static_cast<double>(at_most) / 2357) << clv;
    top = std::max(top, percentile);
  }
  EXPECT_EQ(top, 100.0);

  // Nothing new: nothing emitted, nothing fitted again.
  RunOutcome again = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(summary_count(again.summary, "features_emitted"), 0);
  EXPECT_EQ(model_json(dir), model);

  // A rebuild fits the same parameters and exports the same profiles.
  const std::string exported = profiles_without_ids(dir / "var/profiles.jsonl");
  CommandResult rebuilt = run({halo_bin(), "rebuild", dir / "p.yaml", "-q"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  const std::string refit = model_json(dir);
  for (const auto &[name, want] : published) {
    EXPECT_EQ(json_number(refit, name), json_number(model, name)) << name;
  }
  EXPECT_EQ(profiles_without_ids(dir / "var/profiles.jsonl"), exported);

  // 10% a year: customer 1's 39 weeks of purchases are worth about 3.5% less
  // today (each week's share discounted to the reference time).
  std::string discounted = kPipeline;
  discounted.replace(discounted.find("horizon: 273d }"), 15, "horizon: 273d, discount_rate: 0.1 }");
  write_file(dir / "p.yaml", discounted);
  CommandResult fitted = run({halo_bin(), "model", "fit", dir / "p.yaml", "-q"});
  ASSERT_EQ(fitted.exit_code, 0) << fitted.err;
  CommandResult later = run({halo_bin(), "profile", "get", dir / "p.yaml", "--id", "user_id=c1"});
  const double undiscounted =
      json_number(later.out, "expected_purchases") * json_number(later.out, "expected_order_value");
  const double ratio = json_number(later.out, "clv") / undiscounted;
  EXPECT_GT(ratio, 0.95) << later.out;
  EXPECT_LT(ratio, 0.98) << later.out;
}

// An order without a usable value is refused by the builder (a dead letter
// naming the reason), never counted as an order of value 0.
TEST(ClvE2E, AnOrderWithoutAUsableValueIsADeadLetter) {
  TempDir dir;
  write_file(dir / "p.yaml", kPipeline);
  write_file(
      dir / "events.jsonl",
      R"({"type":"track","event":"Order Completed","messageId":"a","userId":"u1","timestamp":"1997-02-01T12:00:00Z","properties":{"revenue":"12,50"}})"
      "\n"
      R"({"type":"track","event":"Order Completed","messageId":"b","userId":"u1","timestamp":"1997-03-01T12:00:00Z","properties":{}})"
      "\n"
      R"({"type":"track","event":"Order Completed","messageId":"c","userId":"u1","timestamp":"1997-04-01T12:00:00Z","properties":{"revenue":-5}})"
      "\n"
      R"({"type":"track","event":"Order Completed","messageId":"d","userId":"u1","timestamp":"1997-05-01T12:00:00Z","properties":{"revenue":1e300}})"
      "\n");
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "feature_rejections"), 4) << r.summary;
  CommandResult letters = run({halo_bin(), "deadletters", dir / "p.yaml"});
  ASSERT_EQ(letters.exit_code, 0) << letters.err;
  for (const char *reason :
       {"not_a_number", "missing_value", "negative_value", "number_out_of_range"}) {
    EXPECT_NE(letters.out.find(reason), std::string::npos) << reason << "\n" << letters.out;
  }
  // One customer: too few to fit; the model says so and the features are null.
  const std::string model = model_json(dir);
  EXPECT_EQ(json_number(model, "customers"), 0) << model;
  EXPECT_TRUE(std::isnan(json_number(model, "r"))) << model;
}

}  // namespace
}  // namespace halo::e2e::clv_e2e_test
