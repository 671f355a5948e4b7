// purchase_history_test.cpp -- summaries of a customer's days with an order
// (PurchaseDays): built from the CDNOW sample log they equal the published
// ones; same-day purchases are one occasion; the test's date reader is
// strict.
#include <gtest/gtest.h>

#include <cmath>

#include "cdnow.h"

namespace halo::clv::testing {
namespace {

TEST(PurchaseHistory, CdnowSampleGivesThePublishedSummaries) {
  const std::map<int, CustomerSummary> published = published_summaries();
  const std::map<int, PurchaseDays> log = sample_purchases();
  ASSERT_EQ(published.size(), 2357u);
  ASSERT_EQ(log.size(), 2357u);
  const int64_t end = day_of_yyyymmdd("19970930");
  size_t repeaters = 0;
  for (const auto &[id, days] : log) {
    CustomerSummary mine;
    ASSERT_TRUE(days.summarize(end, 7.0, mine)) << id;
    const CustomerSummary &want = published.at(id);
    EXPECT_EQ(mine.x, want.x) << id;
    // The published file prints two decimals.
    EXPECT_NEAR(mine.t_x, want.t_x, 0.005 + 1e-9) << id;
    EXPECT_NEAR(mine.T, want.T, 0.005 + 1e-9) << id;
    EXPECT_NEAR(mine.mean_repeat_value, want.mean_repeat_value, 0.005 + 1e-9) << id;
    repeaters += mine.x > 0;
  }
  EXPECT_EQ(repeaters, 946u);
}

TEST(PurchaseHistory, SameDayPurchasesAreOneOccasionAndLaterOnesAreOutside) {
  const int64_t d = day_of_yyyymmdd("20260101");
  CustomerSummary s;
  PurchaseDays days;
  const std::pair<int64_t, double> orders[] = {
      {d + 14, 5.0}, {d, 10.0}, {d + 14, 7.0}, {d + 30, 99.0}};
  for (auto [day, value] : orders) {
    days.add(static_cast<int32_t>(day), value);
  }
  EXPECT_EQ(days.size(), 3u);
  ASSERT_TRUE(days.summarize(d + 21, 7.0, s));
  EXPECT_EQ(s.x, 1u);
  EXPECT_DOUBLE_EQ(s.t_x, 2.0);
  EXPECT_DOUBLE_EQ(s.T, 3.0);
  EXPECT_DOUBLE_EQ(s.mean_repeat_value, 12.0);
  CustomerSummary untouched{7, 1, 2, 3};
  PurchaseDays later;
  later.add(static_cast<int32_t>(d + 30), 1.0);
  EXPECT_FALSE(later.summarize(d + 21, 7.0, untouched));
  EXPECT_EQ(untouched.x, 7u);
}

TEST(PurchaseHistory, DatesAreReadStrictly) {
  EXPECT_EQ(day_of_yyyymmdd("19700101"), 0);
  EXPECT_EQ(day_of_yyyymmdd("19970930") - day_of_yyyymmdd("19970101"), 272);
  EXPECT_EQ(day_of_yyyymmdd("20240229") - day_of_yyyymmdd("20240228"), 1);
  for (const char *bad : {"20230229", "19971301", "19970100", "1997093", "1997-9-30", "abcdefgh"}) {
    EXPECT_EQ(day_of_yyyymmdd(bad), -1) << bad;
  }
}

}  // namespace
}  // namespace halo::clv::testing
