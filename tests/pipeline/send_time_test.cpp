// send_time_test.cpp -- the next local time of day a trigger's wait ends
// at: today's when it is still ahead, else tomorrow's; in zones with a fixed
// offset, and across a clock change that skips or repeats the time.
#include "pipeline/send_time.h"

#include <gtest/gtest.h>

#include "common/time_units.h"

namespace halo {
namespace {

constexpr int64_t kJan5 = 1'767'571'200'000;  // 2026-01-05T00:00:00Z

cctz::time_zone zone(const std::string &name) {
  auto z = find_time_zone(name);
  EXPECT_TRUE(z.has_value()) << name;
  return z.value_or(cctz::utc_time_zone());
}

TEST(SendTime, TodayWhenAheadElseTomorrow) {
  const cctz::time_zone utc = zone("UTC");
  EXPECT_EQ(next_local_time(kJan5 + 8 * kHourMs, utc, 9 * 60), kJan5 + 9 * kHourMs);
  EXPECT_EQ(next_local_time(kJan5 + 9 * kHourMs, utc, 9 * 60), kJan5 + 9 * kHourMs);  // at it
  EXPECT_EQ(next_local_time(kJan5 + 9 * kHourMs + 1, utc, 9 * 60), kJan5 + 33 * kHourMs);
  EXPECT_EQ(next_local_time(kJan5 + 23 * kHourMs, utc, 0), kJan5 + 24 * kHourMs);
}

TEST(SendTime, LocalTimeInAFixedOffsetZone) {
  // Tehran is UTC+03:30 (no daylight saving since 2022): 09:00 is 05:30Z.
  const cctz::time_zone tehran = zone("Asia/Tehran");
  EXPECT_EQ(next_local_time(kJan5, tehran, 9 * 60), kJan5 + 5 * kHourMs + 30 * kMinuteMs);
  EXPECT_EQ(next_local_time(kJan5 + 6 * kHourMs, tehran, 9 * 60),
            kJan5 + 29 * kHourMs + 30 * kMinuteMs);
}

TEST(SendTime, ClockChangesSkipOrRepeatTheTime) {
  const cctz::time_zone berlin = zone("Europe/Berlin");
  // 2026-03-29: clocks jump from 02:00 to 03:00 CET (01:00Z); 02:30 does not
  // exist that day, so the wait ends when the clocks jump.
  constexpr int64_t kMar29 = 1'774'742'400'000;  // 2026-03-29T00:00:00Z
  EXPECT_EQ(next_local_time(kMar29, berlin, 2 * 60 + 30), kMar29 + 1 * kHourMs);
  // 2026-10-25: 02:30 happens twice (00:30Z and 01:30Z); the first counts.
  constexpr int64_t kOct25 = 1'792'886'400'000;  // 2026-10-25T00:00:00Z
  EXPECT_EQ(next_local_time(kOct25, berlin, 2 * 60 + 30), kOct25 + 30 * kMinuteMs);
}

TEST(SendTime, UnknownZonesAreNone) {
  EXPECT_FALSE(find_time_zone("Mars/Olympus_Mons").has_value());
  EXPECT_TRUE(find_time_zone("Asia/Tehran").has_value());
}

TEST(SendTime, QuietSpansWrapMidnightInTheLocalZone) {
  const cctz::time_zone utc = zone("UTC"), tehran = zone("Asia/Tehran");
  // 21:00 .. 09:00 wraps midnight: 23:00 and 08:59 are in, 09:00 and 20:59 out.
  EXPECT_TRUE(in_local_span(kJan5 - kHourMs, utc, 21 * 60, 9 * 60));
  EXPECT_TRUE(in_local_span(kJan5 + 9 * kHourMs - 60'000, utc, 21 * 60, 9 * 60));
  EXPECT_FALSE(in_local_span(kJan5 + 9 * kHourMs, utc, 21 * 60, 9 * 60));
  EXPECT_FALSE(in_local_span(kJan5 + 21 * kHourMs - 60'000, utc, 21 * 60, 9 * 60));
  // 12:00 .. 13:00 does not wrap.
  EXPECT_TRUE(in_local_span(kJan5 + 12 * kHourMs, utc, 12 * 60, 13 * 60));
  EXPECT_FALSE(in_local_span(kJan5 + 13 * kHourMs, utc, 12 * 60, 13 * 60));
  // 06:00Z is 09:30 in Tehran: outside 21:00 .. 09:00 there, inside in UTC terms shifted.
  EXPECT_FALSE(in_local_span(kJan5 + 6 * kHourMs, tehran, 21 * 60, 9 * 60));
  EXPECT_TRUE(in_local_span(kJan5 + 5 * kHourMs, tehran, 21 * 60, 9 * 60));  // 08:30 there
}

}  // namespace
}  // namespace halo
