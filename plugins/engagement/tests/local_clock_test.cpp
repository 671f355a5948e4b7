// local_clock_test.cpp -- local days and hours in Asia/Tehran: +03:30 now,
// +04:30 in summers before Iran ended daylight saving in 2022; days before
// 1970; unknown zones refused.
#include <gtest/gtest.h>

#include <stdexcept>

#include "local_clock.h"

namespace halo::engagement {
namespace {

constexpr int64_t kHour = 3'600'000;
constexpr int64_t k20240630 = 1'719'705'600'000;  // 2024-06-30T00:00:00Z, day 19904
constexpr int64_t k20210630 = 1'625'011'200'000;  // 2021-06-30T00:00:00Z, day 18808

TEST(LocalClock, TehranHoursWithAndWithoutSummerTime) {
  LocalClock tehran("Asia/Tehran");
  EXPECT_EQ(tehran.at(k20240630).hour, 3);  // 03:30
  EXPECT_EQ(tehran.at(k20240630).day, 19904);
  EXPECT_EQ(tehran.at(k20210630).hour, 4);  // 04:30, summer time
  // 21:00Z on 2024-06-29 is 00:30 on the 30th in Tehran.
  EXPECT_EQ(tehran.at(k20240630 - 3 * kHour).day, 19904);
  EXPECT_EQ(tehran.at(k20240630 - 3 * kHour - kHour).day, 19903);
  EXPECT_EQ(tehran.start_of_day(19904), k20240630 - 3 * kHour - kHour / 2);
  LocalClock utc("UTC");
  EXPECT_EQ(utc.at(-1).day, -1);
  EXPECT_EQ(utc.at(-1).hour, 23);
  EXPECT_EQ(utc.start_of_day(0), 0);
}

TEST(LocalClock, UnknownZonesAreRefused) {
  EXPECT_THROW(LocalClock("Asia/Tehrn"), std::invalid_argument);
  EXPECT_THROW(LocalClock(""), std::invalid_argument);
}

}  // namespace
}  // namespace halo::engagement
