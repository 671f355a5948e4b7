// program_rules_test.cpp -- tiers, badges and ladder stages of customers
// worked out by hand, the percentile tie rule, reasons, and refused rule
// sets.
#include <gtest/gtest.h>

#include <stdexcept>

#include <halo/units.hpp>

#include "program_rules.h"
#include "test_support.h"

namespace halo::loyalty {
namespace {

constexpr int64_t kAsOf = 400 * kDay;

Minimums min(int64_t orders, int64_t points = 0, int64_t feedback = 0, int64_t referrals = 0,
             int64_t within = 365 * kDay) {
  Minimums m;
  m.orders = orders, m.points = points, m.positive_feedback = feedback, m.referrals = referrals;
  m.within_ms = within;
  return m;
}

Activity customer(int orders, int64_t points_each, const char *amount_each, int feedback = 0,
                  int referrals = 0) {
  Activity a;
  for (int i = 0; i < orders; ++i) {
    a.purchase({kAsOf - (i + 1) * kDay, *Decimal::parse(amount_each), points_each});
  }
  for (int i = 0; i < feedback; ++i) a.positive_feedback(kAsOf - kDay);
  for (int i = 0; i < referrals; ++i) a.referral(kAsOf - kDay);
  return a;
}

ProgramRules program() {
  Minimums vip;
  vip.spend_percentile = 80;
  vip.within_ms = 365 * kDay;
  return ProgramRules({{"Bronze", min(1)}, {"Silver", min(0, 10)}, {"Gold", min(0, 50)}},
                      {{"loyal", min(3, 0, 0, 0, 30 * kDay)}, {"vip", vip}},
                      {{"advocate", min(2, 0, 0, 1)},
                       {"supporter", min(3, 0, 1)},
                       {"client", min(2)},
                       {"customer", min(1)},
                       {"prospect", {}}});
}

TEST(ProgramRules, StandingsWorkedOutByHand) {
  // Five customers, spend 10, 20, 20, 30, 40 (x 100): the 80th percentile
  // needs spend no less than 80% of customers' -- 40 x 100 (4 of 5 below).
  std::vector<Activity> people = {customer(1, 3, "1000"), customer(2, 5, "1000"),
                                  customer(4, 4, "500", 1), customer(3, 20, "1000", 0, 1),
                                  customer(4, 20, "1000")};
  ProgramRules rules = program();
  for (const Activity &a : people) rules.add_customer(a, kAsOf);
  rules.add_customer(Activity(), kAsOf);  // no purchase: not a customer
  rules.finish();
  ASSERT_TRUE(rules.percentile_spend(1).has_value());
  EXPECT_EQ(*rules.percentile_spend(1), *Decimal::parse("4000"));
  EXPECT_FALSE(rules.percentile_spend(0).has_value());

  Standing s0 = rules.standing(&people[0], kAsOf);
  EXPECT_EQ(s0.tier, "Bronze");
  EXPECT_TRUE(s0.badges.empty());
  EXPECT_EQ(s0.stage, "customer");
  EXPECT_EQ(s0.reason, "1 orders in 365d (at least 1)");

  Standing s1 = rules.standing(&people[1], kAsOf);
  EXPECT_EQ(s1.tier, "Silver");  // 10 points
  EXPECT_EQ(s1.stage, "client");

  Standing s2 = rules.standing(&people[2], kAsOf);
  EXPECT_EQ(s2.tier, "Silver");  // 16 points
  EXPECT_EQ(s2.badges, (std::vector<std::string>{"loyal"}));
  EXPECT_EQ(s2.stage, "supporter");
  EXPECT_EQ(s2.reason, "4 orders in 365d (at least 3), 1 positive feedback in 365d (at least 1)");

  Standing s3 = rules.standing(&people[3], kAsOf);
  EXPECT_EQ(s3.tier, "Gold");  // 60 points
  EXPECT_EQ(s3.stage, "advocate");
  EXPECT_EQ(s3.reason, "3 orders in 365d (at least 2), 1 referrals in 365d (at least 1)");

  Standing s4 = rules.standing(&people[4], kAsOf);
  EXPECT_EQ(s4.badges, (std::vector<std::string>{"loyal", "vip"}));

  Standing nobody = rules.standing(nullptr, kAsOf);
  EXPECT_FALSE(nobody.tier.has_value());
  EXPECT_TRUE(nobody.badges.empty());
  EXPECT_EQ(nobody.stage, "prospect");
  EXPECT_EQ(nobody.reason, "no stage above it holds");
}

TEST(ProgramRules, WindowsMoveStandingsWithTime) {
  ProgramRules rules = program();
  Activity a = customer(3, 1, "1");
  rules.add_customer(a, kAsOf);
  rules.finish();
  EXPECT_EQ(rules.standing(&a, kAsOf).badges, (std::vector<std::string>{"loyal"}));
  EXPECT_EQ(rules.standing(&a, kAsOf).stage, "client");  // 3 orders, no feedback
  // 30 days on, the three orders are out of loyal's 30-day window (and a
  // lone customer has nobody spending less: never vip).
  EXPECT_TRUE(rules.standing(&a, kAsOf + 30 * kDay).badges.empty());
  EXPECT_EQ(rules.standing(&a, kAsOf + 30 * kDay).stage, "client");
  EXPECT_EQ(rules.standing(&a, kAsOf + 400 * kDay).stage, "prospect");
}

TEST(ProgramRules, EqualSpendIsTreatedAlike) {
  Minimums top;
  top.spend_percentile = 50;
  ProgramRules rules({}, {{"top", top}}, {{"anyone", {}}});
  // Spend 1, 1, 1, 2: below 2 are 3 of 4 (75% >= 50%); below 1 none.
  std::vector<Activity> people = {customer(1, 0, "1"), customer(1, 0, "1"), customer(1, 0, "1"),
                                  customer(1, 0, "2")};
  for (const Activity &a : people) rules.add_customer(a, kAsOf);
  rules.finish();
  EXPECT_TRUE(rules.standing(&people[0], kAsOf).badges.empty());
  EXPECT_TRUE(rules.standing(&people[1], kAsOf).badges.empty());
  EXPECT_EQ(rules.standing(&people[3], kAsOf).badges.size(), 1u);
}

TEST(ProgramRules, RefusesALadderWithoutADefaultStage) {
  EXPECT_THROW(ProgramRules({}, {}, {}), std::invalid_argument);
  EXPECT_THROW(ProgramRules({}, {}, {{"customer", min(1)}}), std::invalid_argument);
  Minimums p;
  p.spend_percentile = 90;
  EXPECT_THROW(ProgramRules({{"Gold", p}}, {}, {{"anyone", {}}}), std::invalid_argument);
  EXPECT_NO_THROW(ProgramRules({}, {{"vip", p}}, {{"anyone", {}}}));
}

TEST(DurationText, ShortestExactUnit) {
  EXPECT_EQ(duration_text(365 * kDay), "365d");
  EXPECT_EQ(duration_text(36 * 3'600'000), "36h");
  EXPECT_EQ(duration_text(90'000), "90s");
  EXPECT_EQ(duration_text(1500), "1500ms");
}

}  // namespace
}  // namespace halo::loyalty
