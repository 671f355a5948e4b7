// iso_time_test.cpp -- ISO-8601 parsing in the forms pipeline files use (run.as_of).
#include "common/iso_time.h"

#include <gtest/gtest.h>

namespace halo {
namespace {

TEST(Iso8601, ParsesUtcAndOffsets) {
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_iso8601_ms("2026-01-01T00:00:00Z"), int64_t{1767225600} * 1000);
  EXPECT_EQ(parse_iso8601_ms("2026-01-01"), int64_t{1767225600} * 1000);
  EXPECT_EQ(parse_iso8601_ms("2026-01-01T03:30:00+03:30"), int64_t{1767225600} * 1000);
  EXPECT_EQ(parse_iso8601_ms("2025-12-31T19:00:00-0500"), int64_t{1767225600} * 1000);
  EXPECT_EQ(parse_iso8601_ms("2026-01-01 00:00:00.250Z"), int64_t{1767225600} * 1000 + 250);
  EXPECT_EQ(parse_iso8601_ms("2024-02-29T12:00"), int64_t{1709208000} * 1000);
  EXPECT_EQ(parse_iso8601_ms("1969-12-31T23:59:59Z"), -1000);
}

TEST(Iso8601, RejectsMalformedAndOutOfRange) {
  for (const char *bad : {"", "2026", "2026-13-01", "2026-02-30", "2025-02-29", "2026-01-01T24:00",
                          "2026-01-01T10:00:00Zjunk", "yesterday", "2026-01-01T10", "2026-1-1",
                          "2026-01-01T10:00:00+25:00", "2026-01-01T10:00:00."}) {
    EXPECT_FALSE(parse_iso8601_ms(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace halo
