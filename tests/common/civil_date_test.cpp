// The one text form of an instant (common/civil_date.h) against the C
// library's gmtime_r, and at the edges gmtime_r cannot reach.
#include "common/civil_date.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <random>

namespace halo {
namespace {

// gmtime_r: the reference, for instants it can convert (years before 0
// with the sign outside the four digits).
std::string reference(int64_t ms) {
  int64_t secs = ms / 1000, frac = ms % 1000;
  if (frac < 0) {
    frac += 1000;
    --secs;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "";
  const long long year = static_cast<long long>(tm.tm_year) + 1900;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", year < 0 ? "-" : "",
                year < 0 ? -year : year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                tm.tm_sec, static_cast<int>(frac));
  return buf;
}

TEST(CivilDate, FormatsLikeGmtimeAcrossFiveMillenniaAndEveryDayEdge) {
  std::mt19937_64 rng(7);
  // -2000-01-01 .. 3000-01-01, uniformly, and the milliseconds around
  // midnights, month ends and leap days.
  std::uniform_int_distribution<int64_t> any(-125'000'000'000'000, 32'503'680'000'000);
  for (int i = 0; i < 200'000; ++i) {
    const int64_t ms = any(rng);
    ASSERT_EQ(format_iso8601_ms(ms), reference(ms)) << ms;
  }
  for (int64_t day = -800'000; day <= 800'000; day += 97) {
    for (int64_t ms : {day * 86'400'000 - 1, day * 86'400'000, day * 86'400'000 + 1}) {
      ASSERT_EQ(format_iso8601_ms(ms), reference(ms)) << ms;
    }
  }
  EXPECT_EQ(format_iso8601_ms(951782400000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_iso8601_ms(1767348000123), "2026-01-02T10:00:00.123Z");
}

TEST(CivilDate, YearsOutsideFourDigitsTakeASignOrMoreDigits) {
  EXPECT_EQ(format_iso8601_ms(-62167219200001), "-0001-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601_ms(253402300800000), "10000-01-01T00:00:00.000Z");
  // Every int64_t is a string ending in Z, without overflow (UBSan).
  EXPECT_EQ(format_iso8601_ms(INT64_MIN), "-292275055-05-16T16:47:04.192Z");
  EXPECT_EQ(format_iso8601_ms(INT64_MAX), "292278994-08-17T07:12:55.807Z");
}

TEST(CivilDate, DaysRoundTripThroughTheCivilDate) {
  for (int64_t z = -1'000'000; z <= 1'000'000; z += 13) {
    int64_t y = 0;
    unsigned m = 0, d = 0;
    civil_from_days(z, &y, &m, &d);
    ASSERT_EQ(days_from_civil(y, m, d), z);
    ASSERT_GE(d, 1u);
    ASSERT_LE(d, days_in_month(y, m));
  }
}

}  // namespace
}  // namespace halo
