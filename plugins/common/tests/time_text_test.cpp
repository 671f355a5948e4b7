// time_text_test.cpp -- floor division of negative times and the ISO-8601
// text of timestamps.
#include <gtest/gtest.h>

#include "common/time_text.h"

namespace halo::plugins {
namespace {

TEST(TimeText, FloorDivisionRoundsTowardNegativeInfinity) {
  EXPECT_EQ(floor_div(7, 2), 3);
  EXPECT_EQ(floor_div(-7, 2), -4);
  EXPECT_EQ(floor_div(-1, kDayMs), -1);
  EXPECT_EQ(floor_div(-kDayMs, kDayMs), -1);
  EXPECT_EQ(floor_div(7, -2), -4);
}

TEST(TimeText, FormatsTimestampsAsIso8601Utc) {
  EXPECT_EQ(format_iso8601(1767348000000), "2026-01-02T10:00:00.000Z");
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601(1709251199123), "2024-02-29T23:59:59.123Z");
}

// Years outside 0000-9999 keep printf's "%04lld" form; the ends of int64
// neither overflow nor cut the text.
TEST(TimeText, FormatsEveryYearAsPrintfWould) {
  EXPECT_EQ(format_iso8601(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601(253402300800000), "10000-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(-62167219200000), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(-62167219200001), "-001-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601(INT64_MAX), "292278994-08-17T07:12:55.807Z");
  EXPECT_EQ(format_iso8601(INT64_MIN), "-292275055-05-16T16:47:04.192Z");
  EXPECT_EQ(format_date(1403, 4, 9), "1403-04-09");
  EXPECT_EQ(format_date(7, 12, 31), "0007-12-31");
  EXPECT_EQ(format_date(-7, 1, 1), "-007-01-01");
  EXPECT_EQ(format_date(123456, 1, 1), "123456-01-01");
}

}  // namespace
}  // namespace halo::plugins
