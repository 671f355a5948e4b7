// timestamp_test.cpp -- ISO-8601 parsing (zones, fractions, zone-less forms,
// calendar validation) and canonical formatting.
#include <gtest/gtest.h>

#include "common/iso_time.h"

namespace halo {
namespace {

constexpr int64_t k20260102T10 = 1767348000000;  // 2026-01-02T10:00:00Z

TEST(ParseIso8601, Forms) {
  const struct {
    const char *text;
    int64_t ms;
  } cases[] = {
      {"2026-01-02T10:00:00Z", k20260102T10},
      {"2026-01-02T10:00:00.000Z", k20260102T10},
      {"2026-01-02T10:00:00.5Z", k20260102T10 + 500},
      {"2026-01-02T10:00:00.123456789Z", k20260102T10 + 123},
      {"2026-01-02T13:30:00+03:30", k20260102T10},
      {"2026-01-02T13:30:00.250+0330", k20260102T10 + 250},
      {"2026-01-02T05:00:00-05:00", k20260102T10},
      {"2026-01-02T12:00:00+02", k20260102T10},
      {"2026-01-02T10:00:00", k20260102T10},
      {"2026-01-02 10:00:00", k20260102T10},
      {"2026-01-02t10:00:00z", k20260102T10},
      {"2026-01-02T10:00Z", k20260102T10},
      {"2026-01-02", k20260102T10 - 10 * 3600000},
      {"1970-01-01T00:00:00Z", 0},
      {"1969-12-31T23:59:59.999Z", -1},
      {"2024-02-29T00:00:00Z", 1709164800000},
      {"2000-02-29", 951782400000},
  };
  for (const auto &c : cases) {
    auto got = parse_iso8601_ms(c.text);
    ASSERT_TRUE(got.has_value()) << c.text;
    EXPECT_EQ(*got, c.ms) << c.text;
  }
}

TEST(ParseIso8601, RejectsInvalid) {
  const char *bad[] = {
      "",
      "yesterday",
      "2026-1-2",
      "2026/01/02",
      "2026-13-01",
      "2026-00-10",
      "2026-02-29",  // not a leap year
      "1900-02-29",  // century, not a leap year
      "2026-04-31",
      "2026-01-02T24:00:00Z",
      "2026-01-02T10:60:00Z",
      "2026-01-02T10:00:61Z",
      "2026-01-02T10:00:00.Z",
      "2026-01-02T10:00:00+25:00",
      "2026-01-02T10:00:00 Z",
      "2026-01-02T10:00:00Zjunk",
      "2026-01-02T",
      "1767348000000",
  };
  for (const char *b : bad) {
    EXPECT_FALSE(parse_iso8601_ms(b).has_value()) << b;
  }
}

TEST(FormatIso8601, Canonical) {
  EXPECT_EQ(format_iso8601_ms(k20260102T10), "2026-01-02T10:00:00.000Z");
  EXPECT_EQ(format_iso8601_ms(k20260102T10 + 123), "2026-01-02T10:00:00.123Z");
  EXPECT_EQ(format_iso8601_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601_ms(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601_ms(1709164800000), "2024-02-29T00:00:00.000Z");
}

TEST(FormatIso8601, RoundTripsEveryDayOfFourYears) {
  const int64_t start = *parse_iso8601_ms("2023-01-01T00:00:00Z");
  for (int64_t day = 0; day < 4 * 366; ++day) {
    int64_t ms = start + day * 86400000 + 37 * 60000 + 123;
    std::string text = format_iso8601_ms(ms);
    auto back = parse_iso8601_ms(text);
    ASSERT_TRUE(back.has_value()) << text;
    ASSERT_EQ(*back, ms) << text;
  }
}

}  // namespace
}  // namespace halo
