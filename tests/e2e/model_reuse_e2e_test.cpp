// model_reuse_e2e_test.cpp -- a feature builder's `refit` policy end to
// end: with `refit: on_request` or an interval, a run reuses the stored fit
// (load_model, plugin ABI 1.2) and emits only the profiles that changed;
// `halo model fit`, an old fit, another configuration or a damaged stored
// model fit again; a rebuild reuses the fit as the runs did and exports
// the same profiles; `refit` on a builder that cannot reuse a fit, or with
// a value that is no policy, is a configuration error.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cmath>
#include <string>

#include "e2e_support.h"

namespace halo::e2e::model_reuse_e2e_test {
namespace {

constexpr int64_t kDay = 86'400;
constexpr int64_t kAsOf = 1'719'705'600;  // 2024-06-30T00:00:00Z

std::string order(const std::string &id, const std::string &user, int64_t days_before, int revenue,
                  const std::string &product) {
  return R"({"type":"track","event":"Order Completed","messageId":")" + id + R"(","userId":")" +
         user + R"(","timestamp":")" + iso_utc(kAsOf - days_before * kDay) +
         R"(","properties":{"revenue":)" + std::to_string(revenue) +
         R"(,"products":[{"product_id":")" + product + R"(","quantity":1}]}})" + "\n";
}

std::string opened(const std::string &id, const std::string &user, int64_t seconds_before) {
  return R"({"type":"track","event":"Email Opened","messageId":")" + id + R"(","userId":")" + user +
         R"(","timestamp":")" + iso_utc(kAsOf - seconds_before) + R"("})" + "\n";
}

// 40 customers with 1 to 4 orders each, of products p0..p5, weeks apart,
// and an email opened at an hour of their own.
std::string shop() {
  std::string out;
  for (int c = 0; c < 40; ++c) {
    const std::string user = "c" + std::to_string(c);
    for (int k = 0; k <= c % 4; ++k) {
      out += order(user + "o" + std::to_string(k), user, 20 + 30 * k + c, 10 + 7 * c + k,
                   "p" + std::to_string((c + k) % 6));
    }
    out += opened(user + "e", user, (c % 24) * 3600 + 5 * kDay);
  }
  return out;
}

// Every builder with a population step, each with `refit`.
std::string pipeline(const std::string &refit, const std::string &as_of = iso_utc(kAsOf),
                     const std::string &rfm_window = "365d") {
  const std::string r = "refit: " + refit + ", ";
  return "version: 1\nstore: { kind: sqlite, path: var/halo.db }\nrun: { as_of: \"" + as_of +
         "\" }\nsources:\n  - { name: events, plugin: file-jsonl, config: { path: events.jsonl } "
         "}\nfeatures:\n"
         "  - { name: lifetime, plugin: clv, " +
         r + "config: {} }\n  - { name: rfm, plugin: rfm, " + r +
         "config: { window: " + rfm_window + " } }\n  - { name: recs, plugin: recommendations, " +
         r + "config: { min_together: 1 } }\n  - { name: engagement, plugin: engagement, " + r +
         "config: {} }\n  - { name: loyalty, plugin: loyalty, " + r +
         "config: { badges: [ { name: vip, spend_percentile: 80 } ] } }\n"
         "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: "
         "var/profiles.jsonl } }\n";
}

// The number of live profiles the latest fit of `builder` saw.
double fitted_profiles(const TempDir &dir, const std::string &builder) {
  CommandResult r = run({halo_bin(), "model", "show", dir / "p.yaml", builder, "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json_number(r.out, "profiles");
}

void expect_fitted(const TempDir &dir, double profiles) {
  for (const char *b : {"lifetime", "rfm", "recs", "engagement", "loyalty"}) {
    EXPECT_EQ(fitted_profiles(dir, b), profiles) << b;
  }
}

// Runs `sql` on the pipeline's store, as someone editing it by hand would.
void edit_store(const TempDir &dir, const char *sql) {
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "var/halo.db").c_str(), &db), SQLITE_OK);
  char *err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

void append(const TempDir &dir, const std::string &events) {
  write_file(dir / "events.jsonl", read_file(dir / "events.jsonl") + events);
}

TEST(ModelReuseE2E, AStoredFitIsReusedUntilAskedToFitAgain) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("on_request"));
  write_file(dir / "events.jsonl", shop());
  RunOutcome first = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(summary_count(first.summary, "features_emitted"), 40);
  expect_fitted(dir, 40);
  const std::string untouched = exported_profile(dir / "var/profiles.jsonl", "c2");

  // c1 orders again and a new customer shows up: only those two are
  // emitted, with the stored fit (still of 40 profiles).
  append(dir, order("n1", "c1", 3, 55, "p2") + order("n2", "new", 2, 70, "p3"));
  RunOutcome second = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(summary_count(second.summary, "features_emitted"), 2) << second.summary;
  expect_fitted(dir, 40);
  EXPECT_EQ(exported_profile(dir / "var/profiles.jsonl", "c2"), untouched);
  const std::string fresh = exported_profile(dir / "var/profiles.jsonl", "new");
  EXPECT_NE(fresh.find(R"("rfm_segment":)"), std::string::npos) << fresh;
  EXPECT_NE(fresh.find(R"("recommended_products":)"), std::string::npos) << fresh;
  EXPECT_NE(fresh.find(R"("p_alive":)"), std::string::npos) << fresh;

  // A rebuild reuses the same fit: the same profiles as the runs.
  const std::string incremental = profiles_without_ids(dir / "var/profiles.jsonl");
  CommandResult rebuilt = run({halo_bin(), "rebuild", dir / "p.yaml", "-q"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  expect_fitted(dir, 40);
  EXPECT_EQ(profiles_without_ids(dir / "var/profiles.jsonl"), incremental);

  // Asked: every builder fits again, over 41 profiles.
  CommandResult fitted = run({halo_bin(), "model", "fit", dir / "p.yaml", "-q"});
  ASSERT_EQ(fitted.exit_code, 0) << fitted.err;
  expect_fitted(dir, 41);
}

TEST(ModelReuseE2E, AFitOlderThanTheIntervalIsFittedAgain) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("7d"));
  write_file(dir / "events.jsonl", shop());
  ASSERT_EQ(run_pipeline(dir / "p.yaml").exit_code, 0);
  expect_fitted(dir, 40);
  // Six days on: the fit is still good.
  append(dir, order("n1", "new1", 1, 55, "p2"));
  write_file(dir / "p.yaml", pipeline("7d", iso_utc(kAsOf + 6 * kDay)));
  RunOutcome within = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(within.exit_code, 0) << within.err;
  expect_fitted(dir, 40);
  // Seven days after the fit: fitted again, with no new event, and every
  // profile emitted.
  write_file(dir / "p.yaml", pipeline("7d", iso_utc(kAsOf + 7 * kDay)));
  RunOutcome due = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(due.exit_code, 0) << due.err;
  expect_fitted(dir, 41);
  EXPECT_EQ(summary_count(due.summary, "features_emitted"), 41) << due.summary;
}

TEST(ModelReuseE2E, AnotherConfigurationOrADamagedModelFitsAgain) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("on_request"));
  write_file(dir / "events.jsonl", shop());
  ASSERT_EQ(run_pipeline(dir / "p.yaml").exit_code, 0);
  // The rfm window changes: rfm's stored fit is another configuration's.
  append(dir, order("n1", "new1", 1, 55, "p2"));
  write_file(dir / "p.yaml", pipeline("on_request", iso_utc(kAsOf), "180d"));
  RunOutcome changed = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_EQ(fitted_profiles(dir, "rfm"), 41);
  EXPECT_EQ(fitted_profiles(dir, "lifetime"), 40);
  EXPECT_NE(changed.err.find("another configuration"), std::string::npos) << changed.err;

  // Damaged stored models: each builder refuses its bytes, says so, and
  // fits again instead.
  edit_store(dir, "UPDATE model_fits SET model = x'01ff'");
  append(dir, order("n2", "new2", 1, 65, "p4"));
  RunOutcome damaged = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(damaged.exit_code, 0) << damaged.err;
  expect_fitted(dir, 42);
  for (const char *b : {"clv", "rfm", "recommendations", "engagement", "loyalty"}) {
    EXPECT_NE(damaged.err.find(std::string("(") + b + "): load_model"), std::string::npos)
        << b << "\n"
        << damaged.err;
  }
  EXPECT_EQ(summary_count(damaged.summary, "features_emitted"), 42) << damaged.summary;
}

// A clv model stored before clv_percentile (version 1: no ranked CLVs)
// still loads: the fit is reused and the percentile is null until the
// next fit gives it again.
TEST(ModelReuseE2E, AClvModelOfVersionOneStillLoads) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("on_request"));
  write_file(dir / "events.jsonl", shop());
  ASSERT_EQ(run_pipeline(dir / "p.yaml").exit_code, 0);
  EXPECT_NE(exported_profile(dir / "var/profiles.jsonl", "c1").find(R"("clv_percentile":)"),
            std::string::npos);
  // Version byte 1, then the flags and the seven parameters, no ranks.
  edit_store(dir,
             "UPDATE model_fits SET model = x'01' || substr(model, 2, 57) "
             "WHERE instance = 'lifetime'");
  append(dir, order("n1", "c1", 3, 55, "p2"));
  RunOutcome reused = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(reused.exit_code, 0) << reused.err;
  EXPECT_EQ(reused.err.find("load_model"), std::string::npos) << reused.err;
  EXPECT_EQ(fitted_profiles(dir, "lifetime"), 40);  // reused, not fitted again
  const std::string c1 = exported_profile(dir / "var/profiles.jsonl", "c1");
  EXPECT_NE(c1.find(R"("clv_percentile":null)"), std::string::npos) << c1;
  EXPECT_EQ(c1.find(R"("clv":null)"), std::string::npos) << c1;
  ASSERT_EQ(run({halo_bin(), "model", "fit", dir / "p.yaml", "-q"}).exit_code, 0);
  EXPECT_EQ(exported_profile(dir / "var/profiles.jsonl", "c1").find(R"("clv_percentile":null)"),
            std::string::npos);
}

TEST(ModelReuseE2E, RefitNeedsABuilderThatReusesFitsAndAPolicy) {
  TempDir dir;
  write_file(dir / "events.jsonl", shop());
  write_file(dir / "p.yaml",
             builder_pipeline("orders", "aggregates", "{ features: { n: { count: {} } } }"));
  std::string text = read_file(dir / "p.yaml");
  text.replace(text.find("plugin: aggregates,"), 19, "plugin: aggregates, refit: on_request,");
  write_file(dir / "p.yaml", text);
  CommandResult v = run({halo_bin(), "validate", dir / "p.yaml"});
  EXPECT_NE(v.exit_code, 0);
  EXPECT_NE(v.err.find("`refit` needs a builder that can reuse a stored fit"), std::string::npos)
      << v.err;
  EXPECT_NE(v.err.find("p.yaml:7:"), std::string::npos) << v.err;

  write_file(dir / "p.yaml", pipeline("sometimes"));
  v = run({halo_bin(), "validate", dir / "p.yaml"});
  EXPECT_NE(v.exit_code, 0);
  EXPECT_NE(v.err.find("refit 'sometimes' must be each_run, on_request or a duration"),
            std::string::npos)
      << v.err;
  write_file(dir / "p.yaml", pipeline("each_run"));
  v = run({halo_bin(), "validate", dir / "p.yaml"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
}

}  // namespace
}  // namespace halo::e2e::model_reuse_e2e_test
