// jalali_calendar_test.cpp -- Jalali -> Gregorian against known pairs
// (Nowruz dates, leap Esfand 30, the Unix epoch) and calendar properties.
#include "jalali_calendar.h"

#include <gtest/gtest.h>

namespace halo::plugins {
namespace {

CivilDate convert(int y, int m, int d) {
  CivilDate g;
  EXPECT_TRUE(jalali_to_gregorian({y, m, d}, g)) << y << "-" << m << "-" << d;
  return g;
}

TEST(JalaliCalendar, KnownPairs) {
  struct Pair {
    CivilDate jalali, gregorian;
  };
  const Pair pairs[] = {
      {{1403, 1, 1}, {2024, 3, 20}},    {{1402, 12, 29}, {2024, 3, 19}},
      {{1399, 12, 30}, {2021, 3, 20}},  {{1400, 1, 1}, {2021, 3, 21}},
      {{1403, 12, 30}, {2025, 3, 20}},  {{1404, 1, 1}, {2025, 3, 21}},
      {{1348, 10, 11}, {1970, 1, 1}},   {{1357, 11, 22}, {1979, 2, 11}},
      {{1398, 1, 1}, {2019, 3, 21}},    {{1395, 1, 1}, {2016, 3, 20}},
      {{1403, 6, 31}, {2024, 9, 21}},   {{1403, 7, 1}, {2024, 9, 22}},
      {{1403, 10, 11}, {2024, 12, 31}}, {{1403, 10, 12}, {2025, 1, 1}},
      {{1402, 7, 1}, {2023, 9, 23}},    {{1379, 12, 10}, {2001, 2, 28}},
  };
  for (const Pair &p : pairs) {
    EXPECT_EQ(convert(p.jalali.year, p.jalali.month, p.jalali.day), p.gregorian)
        << p.jalali.year << "-" << p.jalali.month << "-" << p.jalali.day;
  }
}

TEST(JalaliCalendar, RejectsDatesThatDoNotExist) {
  CivilDate g;
  EXPECT_FALSE(jalali_to_gregorian({1402, 12, 30}, g));  // 1402 is a common year
  EXPECT_TRUE(jalali_to_gregorian({1403, 12, 30}, g));   // 1403 is leap
  EXPECT_FALSE(jalali_to_gregorian({1403, 7, 31}, g));   // Mehr has 30 days
  EXPECT_FALSE(jalali_to_gregorian({1403, 13, 1}, g));
  EXPECT_FALSE(jalali_to_gregorian({1403, 0, 1}, g));
  EXPECT_FALSE(jalali_to_gregorian({1403, 1, 0}, g));
  EXPECT_FALSE(jalali_to_gregorian({1403, 1, 32}, g));
}

// Every day of 1300..1500 maps to the day after its predecessor, and a
// 33-year cycle holds exactly 8 leap years.
TEST(JalaliCalendar, ConsecutiveDaysAndLeapCycle) {
  int64_t previous = days_from_civil(convert(1299, 12, jalali_month_length(1299, 12)));
  for (int y = 1300; y <= 1500; ++y) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= jalali_month_length(y, m); ++d) {
        int64_t day = days_from_civil(convert(y, m, d));
        ASSERT_EQ(day, previous + 1) << y << "-" << m << "-" << d;
        previous = day;
      }
    }
  }
  int leaps = 0;
  for (int y = 1370; y < 1403; ++y) leaps += jalali_month_length(y, 12) == 30;
  EXPECT_EQ(leaps, 8);
  EXPECT_EQ(jalali_month_length(1399, 12), 30);
  EXPECT_EQ(jalali_month_length(1408, 12), 30);
  EXPECT_EQ(jalali_month_length(1404, 12), 29);
}

TEST(GregorianDays, RoundTripAndEpoch) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);
  for (int64_t d = -800000; d <= 800000; d += 997) {
    EXPECT_EQ(days_from_civil(civil_from_days(d)), d);
  }
  EXPECT_FALSE(is_valid_gregorian({2023, 2, 29}));
  EXPECT_TRUE(is_valid_gregorian({2024, 2, 29}));
  EXPECT_FALSE(is_valid_gregorian({1900, 2, 29}));
}

}  // namespace
}  // namespace halo::plugins
