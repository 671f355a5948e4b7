// pos_date_test.cpp -- till date text to ISO-8601 UTC: Jalali and
// Gregorian, Persian digits, patterns, offsets, and rejected values.
#include "pos_date.h"

#include <gtest/gtest.h>

namespace halo::plugins {
namespace {

std::string to_utc(const DateSpec &spec, std::string_view text) {
  std::string scratch, out, reason;
  EXPECT_TRUE(convert_pos_date(spec, text, scratch, out, reason)) << text << ": " << reason;
  return out;
}

std::string rejection(const DateSpec &spec, std::string_view text) {
  std::string scratch, out, reason;
  EXPECT_FALSE(convert_pos_date(spec, text, scratch, out, reason)) << text << " -> " << out;
  return reason;
}

DateSpec jalali(std::string format, int offset = 0) {
  return DateSpec{Calendar::kJalali, std::move(format), offset};
}

TEST(PosDate, JalaliWithPersianDigitsAndTehranOffset) {
  DateSpec spec = jalali("%Y/%m/%d %H:%M", 210);
  EXPECT_EQ(to_utc(spec, "۱۴۰۳/۰۱/۱۵ ۱۴:۲۲"), "2024-04-03T10:52:00Z");
  EXPECT_EQ(to_utc(spec, "1403/01/01 02:00"), "2024-03-19T22:30:00Z");  // crosses midnight
  EXPECT_EQ(to_utc(spec, "  1399/12/30   23:59 "), "2021-03-20T20:29:00Z");
}

TEST(PosDate, JalaliIsoWithoutTime) {
  EXPECT_EQ(to_utc(jalali("iso"), "1403-01-15"), "2024-04-03T00:00:00Z");
  EXPECT_EQ(to_utc(jalali("iso"), "١٤٠٢/١٢/٢٩"), "2024-03-19T00:00:00Z");  // Arabic-Indic
  EXPECT_EQ(to_utc(jalali("iso", 210), "1403-01-01T12:00:30"), "2024-03-20T08:30:30Z");
}

TEST(PosDate, GregorianIsoAndPatterns) {
  DateSpec iso;
  EXPECT_EQ(to_utc(iso, "2024-03-20 10:52"), "2024-03-20T10:52:00Z");
  EXPECT_EQ(to_utc(iso, "2024-03-20T10:52:07.25+03:30"), "2024-03-20T07:22:07.250Z");
  EXPECT_EQ(to_utc(iso, "2024-03-20T10:52:07Z"), "2024-03-20T10:52:07Z");
  DateSpec us{Calendar::kGregorian, "%m/%d/%Y %H:%M:%S", -300};
  EXPECT_EQ(to_utc(us, "12/31/2023 22:15:00"), "2024-01-01T03:15:00Z");
  DateSpec dotted{Calendar::kGregorian, "%d.%m.%Y", 60};
  EXPECT_EQ(to_utc(dotted, "01.03.2024"), "2024-02-29T23:00:00Z");  // leap day
}

TEST(PosDate, RejectsWithReasons) {
  EXPECT_NE(rejection(jalali("iso"), "1402/12/30").find("Jalali"), std::string::npos);
  EXPECT_NE(rejection(DateSpec{}, "2023-02-29").find("Gregorian"), std::string::npos);
  EXPECT_NE(rejection(jalali("%Y/%m/%d %H:%M"), "1403/01/15").find("date_format"),
            std::string::npos);
  EXPECT_NE(rejection(DateSpec{}, "2024-03-20 25:00").find("time"), std::string::npos);
  EXPECT_NE(rejection(DateSpec{}, "yesterday").find("not a date"), std::string::npos);
  EXPECT_NE(rejection(DateSpec{}, "2024-03-20 10:00 PM").find("unexpected"), std::string::npos);
  rejection(jalali("%Y/%m/%d"), "1403/01/15 extra");
}

TEST(PosDate, OffsetsAndFormatValidation) {
  int m = 0;
  EXPECT_TRUE(parse_utc_offset("+03:30", m));
  EXPECT_EQ(m, 210);
  EXPECT_TRUE(parse_utc_offset("-0500", m));
  EXPECT_EQ(m, -300);
  EXPECT_FALSE(parse_utc_offset("3:30", m));
  EXPECT_FALSE(parse_utc_offset("+15:00", m));
  std::string error;
  EXPECT_TRUE(validate_date_format("%Y/%m/%d %H:%M", error));
  EXPECT_FALSE(validate_date_format("%Y/%b/%d", error));
  EXPECT_NE(error.find("%b"), std::string::npos);
  EXPECT_FALSE(validate_date_format("%H:%M", error));
}

}  // namespace
}  // namespace halo::plugins
