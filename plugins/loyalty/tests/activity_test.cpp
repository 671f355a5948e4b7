// activity_test.cpp -- window totals as of a time, merges independent of
// direction, the next change, the stored form and its refusals.
#include <gtest/gtest.h>

#include <stdexcept>

#include "activity.h"
#include "test_support.h"

namespace halo::loyalty {
namespace {

Activity sample() {
  Activity a;
  a.purchase({10 * kDay, dec("150000.5"), 1});
  a.purchase({40 * kDay, dec("250000"), 2});
  a.positive_feedback(20 * kDay);
  a.engagement(25 * kDay);
  a.engagement(35 * kDay);
  a.referral(45 * kDay);
  return a;
}

TEST(Activity, TotalsCountWhatIsInTheWindow) {
  const Activity a = sample();
  Totals all = a.totals(50 * kDay, INT64_MAX);
  EXPECT_EQ(all.orders, 2);
  EXPECT_EQ(all.spend, dec("400000.5"));
  EXPECT_EQ(all.points, 3);
  EXPECT_EQ(all.positive_feedback, 1);
  EXPECT_EQ(all.engagements, 2);
  EXPECT_EQ(all.referrals, 1);
  // (20d, 50d]: the feedback at exactly 20d is out, the second order in.
  Totals month = a.totals(50 * kDay, 30 * kDay);
  EXPECT_EQ(month.orders, 1);
  EXPECT_EQ(month.points, 2);
  EXPECT_EQ(month.positive_feedback, 0);
  EXPECT_EQ(month.engagements, 2);
  EXPECT_EQ(month.referrals, 1);
  // Later events wait for their time.
  EXPECT_EQ(a.totals(39 * kDay, INT64_MAX).orders, 1);
  EXPECT_FALSE(a.has_purchase_by(9 * kDay));
  EXPECT_TRUE(a.has_purchase_by(10 * kDay));
}

TEST(Activity, NextChangeIsTheFirstEventLeavingOrComingDue) {
  const Activity a = sample();
  // As of 30d with a 30d window: the engagement at 35d comes due first
  // (before the order at 10d leaves at 40d and the order at 40d comes due).
  EXPECT_EQ(a.next_change(30 * kDay, {30 * kDay}), 35 * kDay);
  // As of 45d: the feedback at 20d leaves at 50d.
  EXPECT_EQ(a.next_change(45 * kDay, {30 * kDay}), 50 * kDay);
  EXPECT_EQ(a.next_change(45 * kDay, {INT64_MAX}), INT64_MAX);
}

TEST(Activity, MergeDoesNotDependOnDirectionAndRoundTrips) {
  Activity a = sample(), b;
  b.purchase({5 * kDay, dec("1"), 0});
  b.referral(1);
  Activity ab = a, ba = b;
  ab.merge(b);
  ba.merge(a);
  EXPECT_EQ(ab.encode(), ba.encode());
  EXPECT_EQ(Activity::decode(ab.encode()).encode(), ab.encode());
  EXPECT_EQ(ab.totals(100 * kDay, INT64_MAX).referrals, 2);
}

TEST(Activity, DamagedStoredFormsAreRefused) {
  const std::string good = sample().encode();
  EXPECT_THROW(Activity::decode(""), std::runtime_error);
  EXPECT_THROW(Activity::decode(good.substr(0, good.size() - 1)), std::runtime_error);
  EXPECT_THROW(Activity::decode(good + "x"), std::runtime_error);
  // A negative amount: one purchase at 0 of raw -1.
  EXPECT_THROW(Activity::decode(std::string("\x01\x01\x00\x01\x00\x00\x00\x00", 8)),
               std::runtime_error);
  // A non-minimal varint for the purchase count.
  EXPECT_THROW(Activity::decode(std::string("\x01\x80\x00\x00\x00\x00", 6)), std::runtime_error);
  EXPECT_NO_THROW(Activity::decode(std::string("\x01\x00\x00\x00\x00", 5)));
}

}  // namespace
}  // namespace halo::loyalty
