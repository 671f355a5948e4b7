// sms_text_test.cpp -- SMS segment counts at the GSM-7 and UCS-2 limits
// (160/153 and 70/67), extension characters counting two septets,
// characters outside the BMP counting two UTF-16 units, and invalid UTF-8
// never counted as GSM-7.
#include "common/sms_text.h"

#include <gtest/gtest.h>

#include <string>

namespace halo::plugins {
namespace {

std::string repeat(const std::string &s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

TEST(SmsSegments, Gsm7LimitsAre160And153) {
  EXPECT_EQ(sms_segments("").segments, 1u);
  EXPECT_EQ(sms_segments(repeat("a", 160)).segments, 1u);
  EXPECT_EQ(sms_segments(repeat("a", 161)).segments, 2u);
  EXPECT_EQ(sms_segments(repeat("a", 306)).segments, 2u);
  EXPECT_EQ(sms_segments(repeat("a", 307)).segments, 3u);
  const SmsSegments s = sms_segments("Your code is 123 @ £5, è!");
  EXPECT_EQ(s.encoding, SmsSegments::Encoding::kGsm7);
  EXPECT_EQ(s.units, 25u);
}

TEST(SmsSegments, ExtensionCharactersTakeTwoSeptets) {
  const SmsSegments s = sms_segments(repeat("€", 80));
  EXPECT_EQ(s.encoding, SmsSegments::Encoding::kGsm7);
  EXPECT_EQ(s.units, 160u);
  EXPECT_EQ(s.segments, 1u);
  EXPECT_EQ(sms_segments(repeat("€", 80) + "{").segments, 2u);  // 162 septets
}

TEST(SmsSegments, PersianIsUcs2At70And67) {
  const std::string sin = "س";  // one BMP character
  EXPECT_EQ(sms_segments(repeat(sin, 70)).segments, 1u);
  EXPECT_EQ(sms_segments(repeat(sin, 71)).segments, 2u);
  EXPECT_EQ(sms_segments(repeat(sin, 134)).segments, 2u);
  EXPECT_EQ(sms_segments(repeat(sin, 135)).segments, 3u);
  // One non-GSM character makes the whole text UCS-2.
  const SmsSegments mixed = sms_segments(repeat("a", 100) + "۲");
  EXPECT_EQ(mixed.encoding, SmsSegments::Encoding::kUcs2);
  EXPECT_EQ(mixed.units, 101u);
  EXPECT_EQ(mixed.segments, 2u);
  EXPECT_STREQ(encoding_name(mixed.encoding), "UCS-2");
}

TEST(SmsSegments, AstralCharactersTakeTwoUnits) {
  const SmsSegments s = sms_segments(repeat("🛒", 35));
  EXPECT_EQ(s.units, 70u);
  EXPECT_EQ(s.segments, 1u);
  EXPECT_EQ(sms_segments(repeat("🛒", 36)).segments, 2u);
}

TEST(SmsSegments, InvalidUtf8IsNeverGsm7) {
  for (const std::string &bad : {std::string("abc\xff"), std::string("\xc3"),
                                 std::string("\xed\xa0\x80"), std::string("\xc0\xaf")}) {
    const SmsSegments s = sms_segments(bad);
    EXPECT_EQ(s.encoding, SmsSegments::Encoding::kUcs2) << bad;
    EXPECT_GE(s.units, 1u);
  }
}

}  // namespace
}  // namespace halo::plugins
