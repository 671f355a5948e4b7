// loyalty_e2e_test.cpp -- the loyalty builder through `halo run`: points
// from purchases in rials and tomans, tiers, badges and ladder stages
// worked out by hand with the reason shown by `halo profile get`, refused
// orders as dead letters, rules checked by `halo validate`, and a rebuild
// equal to the incremental run.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace halo::e2e::loyalty_e2e_test {
namespace {

constexpr int64_t kDay = 86'400;
constexpr int64_t kAsOf = 1'719'705'600;  // 2024-06-30T00:00:00Z

std::string track(const std::string &id, const std::string &user, int64_t days_before,
                  const std::string &event, const std::string &properties) {
  return R"({"type":"track","event":")" + event + R"(","messageId":")" + id + R"(","userId":")" +
         user + R"(","timestamp":")" + iso_utc(kAsOf - days_before * kDay) + R"(","properties":)" +
         properties + "}\n";
}

std::string order(const std::string &id, const std::string &user, int64_t days_before,
                  const std::string &revenue, const std::string &currency = "IRR") {
  return track(id, user, days_before, "Order Completed",
               R"({"revenue":)" + revenue + R"(,"currency":")" + currency + R"("})");
}

// One point per 100,000 rials (10,000 tomans).
// a: one order of 250,000 IRR (2 points).
// b: 300,000 tomans = 3,000,000 IRR (30 points) and 2,000,000 IRR (20).
// c: three orders of 1,000,000 IRR (10 each) within 30 days and a 5-star
//    review.
// d: two orders (10 points each) within the year, one referral, an NPS
//    of 10.
// e: identified, never ordered; opened an email and clicked another.
std::string shop() {
  return order("a1", "a", 100, "250000") + order("b1", "b", 200, "300000", "IRT") +
         order("b2", "b", 10, "\"2000000\"") + order("c1", "c", 25, "1000000") +
         order("c2", "c", 15, "1000000") + order("c3", "c", 5, "1000000") +
         track("c4", "c", 4, "Product Reviewed", R"({"rating":5})") +
         order("d1", "d", 300, "1000000") + order("d2", "d", 50, "1000000") +
         track("d3", "d", 40, "Referral Completed", R"({"friend":"x"})") +
         track("d4", "d", 40, "Survey Answered", R"({"nps":10})") +
         track("e2", "e", 30, "Email Opened", "{}") +
         track("e3", "e", 20, "Email Link Clicked", "{}") +
         R"({"type":"identify","messageId":"e1","userId":"e","timestamp":"2024-01-01T00:00:00Z","traits":{"name":"Sara"}})"
         "\n";
}

std::string pipeline(const std::string &config = "{}") {
  return builder_pipeline("loyalty", "loyalty", config);
}

TEST(LoyaltyE2E, WorkedOutByHand) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline());
  write_file(dir / "events.jsonl", shop());
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Defaults: tiers Bronze (1 order) < Silver (100 points) < Gold (500) in
  // 365 days; badges loyal (3 orders in 365 days) and vip (spend at least
  // that of 95% of customers); ladder advocate > supporter > client >
  // customer > prospect.
  expect_exported(
      dir, "a",
      R"("loyalty_points":2,"loyalty_tier":"Bronze","loyalty_badges":null,)"
      R"x("loyalty_stage":"customer","loyalty_stage_reason":"1 orders in 365d (at least 1)")x");
  // b's spend (5,000,000 IRR) is the most: 3 of 4 customers spend less,
  // which is under 95%: no vip with four customers.
  expect_exported(dir, "b",
                  R"("loyalty_points":50,"loyalty_tier":"Bronze","loyalty_badges":null,)"
                  R"("loyalty_stage":"client")");
  expect_exported(
      dir, "c",
      R"("loyalty_points":30,"loyalty_tier":"Bronze","loyalty_badges":"loyal",)"
      R"("loyalty_stage":"supporter","loyalty_stage_reason":"3 orders in 365d (at least 3), )"
      R"x(1 positive feedback in 365d (at least 1)")x");
  expect_exported(dir, "d",
                  R"x("loyalty_points":20,"loyalty_tier":"Bronze","loyalty_badges":null,)x"
                  R"x("loyalty_stage":"advocate","loyalty_stage_reason":"2 orders in 365d )x"
                  R"x((at least 2), 1 referrals in 365d (at least 1)")x");
  expect_exported(dir, "e",
                  R"("loyalty_points":0,"loyalty_tier":null,"loyalty_badges":null,)"
                  R"("loyalty_stage":"prospect","loyalty_stage_reason":"no stage above it holds")");

  // The reason is part of the profile `halo profile get` prints.
  CommandResult got = run({halo_bin(), "profile", "get", dir / "p.yaml", "--id", "user_id=c"});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_NE(got.out.find(R"("loyalty_stage_reason":"3 orders in 365d)"), std::string::npos)
      << got.out;
}

TEST(LoyaltyE2E, RulesFromYamlAndAPercentileBadge) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline(R"({ currency: IRT, amount_per_point: 1000, window: 400d,
      tiers: [ { name: Member, orders: 1 }, { name: Gold, spend: 400000 } ],
      badges: [ { name: big, spend_percentile: 50 }, { name: recent, orders: 1, within: 20d } ],
      ladder: [ { name: advocate, referrals: 1 }, { name: engaged, engagements: 2 },
                { name: everyone } ] })"));
  write_file(dir / "events.jsonl", shop());
  ASSERT_EQ(run_pipeline(dir / "p.yaml").exit_code, 0);
  // In tomans: a 25,000 (25 points); b 300,000 + 200,000 (500 points); c
  // 300,000; d 200,000. Spend below b's: 3 of 4 (>= 50%); below c's: 2 of
  // 4 (>= 50%); below d's: 1 of 4.
  expect_exported(dir, "a",
                  R"("loyalty_points":25,"loyalty_tier":"Member","loyalty_badges":null,)");
  expect_exported(dir, "b",
                  R"("loyalty_points":500,"loyalty_tier":"Gold","loyalty_badges":"big,recent",)"
                  R"("loyalty_stage":"everyone")");
  expect_exported(dir, "c", R"("loyalty_tier":"Member","loyalty_badges":"big,recent",)");
  expect_exported(dir, "d",
                  R"("loyalty_badges":null,"loyalty_stage":"advocate",)"
                  R"x("loyalty_stage_reason":"1 referrals in 400d (at least 1)")x");
  expect_exported(dir, "e",
                  R"x("loyalty_stage":"engaged","loyalty_stage_reason":"2 engagements in 400d )x"
                  R"x((at least 2)")x");
  CommandResult model =
      run({halo_bin(), "model", "show", dir / "p.yaml", "loyalty", "--format", "json"});
  ASSERT_EQ(model.exit_code, 0) << model.err;
  EXPECT_NE(model.out.find(R"("params":{"customers":4,"badge1_min_spend":3e+05})"),
            std::string::npos)
      << model.out;
}

TEST(LoyaltyE2E, UnusableOrdersAreDeadLettersAndBadRulesAreRefused) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline());
  write_file(dir / "events.jsonl",
             shop() + order("x1", "x", 1, "5", "USD") + order("x2", "x", 1, "\"12,50\"") +
                 order("x3", "x", 1, "-3") +
                 track("x4", "x", 1, "Product Reviewed", R"({"rating":"good"})"));
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "feature_rejections"), 4) << r.summary;
  CommandResult letters = run({halo_bin(), "deadletters", dir / "p.yaml"});
  for (const char *reason : {"unknown_currency", "not_a_number", "negative_value"}) {
    EXPECT_NE(letters.out.find(reason), std::string::npos) << reason << "\n" << letters.out;
  }
  expect_exported(dir, "x", R"("loyalty_points":0,"loyalty_tier":null,)");

  for (const char *bad :
       {"{ ladder: [ { name: customer, orders: 1 } ] }",
        "{ tiers: [ { name: Gold, spend_percentile: 90 } ] }",
        "{ badges: [ { name: vip, orderz: 3 } ] }", "{ currency: IRR, amount_per_point: 0 }"}) {
    write_file(dir / "bad.yaml", pipeline(bad));
    CommandResult v = run({halo_bin(), "validate", dir / "bad.yaml"});
    EXPECT_NE(v.exit_code, 0) << bad << "\n" << v.out << v.err;
  }
}

TEST(LoyaltyE2E, ARebuildAgreesWithTheIncrementalRun) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline());
  write_file(dir / "events.jsonl", shop());
  ASSERT_EQ(run_pipeline(dir / "p.yaml").exit_code, 0);
  write_file(dir / "events.jsonl", shop() + order("a2", "a", 1, "90000000") +
                                       track("a3", "a", 1, "Referral Completed", "{}"));
  ASSERT_EQ(run_pipeline(dir / "p.yaml").exit_code, 0);
  expect_exported(dir, "a",
                  R"("loyalty_points":902,"loyalty_tier":"Gold","loyalty_badges":null,)"
                  R"("loyalty_stage":"advocate")");
  const std::string incremental = profiles_without_ids(dir / "var/profiles.jsonl");
  CommandResult rebuilt = run({halo_bin(), "rebuild", dir / "p.yaml", "-q"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(profiles_without_ids(dir / "var/profiles.jsonl"), incremental);
}

}  // namespace
}  // namespace halo::e2e::loyalty_e2e_test
