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

}  // namespace
}  // namespace halo::plugins
