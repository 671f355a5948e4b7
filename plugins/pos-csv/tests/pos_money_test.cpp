// pos_money_test.cpp -- money text to exact decimal text: toman/rial
// scaling, separators, Persian digits, signs, and rejected values.
#include "pos_money.h"

#include <gtest/gtest.h>

namespace halo::plugins {
namespace {

MoneySpec toman_to_rial() {
  return {MoneyUnit::kToman, MoneyUnit::kRial, '.'};
}

std::string amount(const MoneySpec &spec, std::string_view text, bool *negative = nullptr) {
  std::string scratch, out, reason;
  bool neg = false;
  EXPECT_TRUE(convert_pos_money(spec, text, scratch, out, neg, reason)) << text << ": " << reason;
  if (negative) *negative = neg;
  return out;
}

bool rejected(const MoneySpec &spec, std::string_view text) {
  std::string scratch, out, reason;
  bool neg = false;
  return !convert_pos_money(spec, text, scratch, out, neg, reason) && !reason.empty();
}

TEST(PosMoney, TomanToRialIsExact) {
  EXPECT_EQ(amount(toman_to_rial(), "125,000"), "1250000");
  EXPECT_EQ(amount(toman_to_rial(), "۱۲۵٬۰۰۰"), "1250000");
  EXPECT_EQ(amount(toman_to_rial(), "12.5"), "125");
  EXPECT_EQ(amount(toman_to_rial(), "12.57"), "125.7");
  EXPECT_EQ(amount(toman_to_rial(), "0"), "0");
  EXPECT_EQ(amount(toman_to_rial(), "99,999,999,999,999,999,999"), "999999999999999999990");
}

TEST(PosMoney, RialToTomanAndNoScaling) {
  MoneySpec r2t{MoneyUnit::kRial, MoneyUnit::kToman, '.'};
  EXPECT_EQ(amount(r2t, "1,250,000"), "125000");
  EXPECT_EQ(amount(r2t, "5"), "0.5");
  MoneySpec plain;
  EXPECT_EQ(amount(plain, "00042.500"), "42.5");
  MoneySpec european{MoneyUnit::kNone, MoneyUnit::kNone, ','};
  EXPECT_EQ(amount(european, "1.234,50"), "1234.5");
}

TEST(PosMoney, NegativesInEveryNotation) {
  bool negative = false;
  EXPECT_EQ(amount(toman_to_rial(), "-12,000", &negative), "-120000");
  EXPECT_TRUE(negative);
  EXPECT_EQ(amount(toman_to_rial(), "12,000-", &negative), "-120000");
  EXPECT_TRUE(negative);
  EXPECT_EQ(amount(toman_to_rial(), "(12,000)", &negative), "-120000");
  EXPECT_TRUE(negative);
  EXPECT_EQ(amount(toman_to_rial(), "−۵۰۰", &negative), "-5000");
  EXPECT_TRUE(negative);
  EXPECT_EQ(amount(toman_to_rial(), "-0", &negative), "0");
  EXPECT_FALSE(negative);
  EXPECT_EQ(amount(toman_to_rial(), "+7", &negative), "70");
  EXPECT_FALSE(negative);
}

TEST(PosMoney, RejectsAmbiguousOrForeignText) {
  MoneySpec plain;
  EXPECT_TRUE(rejected(plain, "1,2,3"));  // groups must be 3 digits
  EXPECT_TRUE(rejected(plain, "12,34"));
  EXPECT_TRUE(rejected(plain, ",123"));
  EXPECT_TRUE(rejected(plain, "1,234."));
  EXPECT_TRUE(rejected(plain, "12 ریال"));
  EXPECT_TRUE(rejected(plain, "--5"));
  EXPECT_TRUE(rejected(plain, "(-5)"));
  EXPECT_TRUE(rejected(plain, "1.2.3"));
  EXPECT_TRUE(rejected(plain, ""));
  EXPECT_TRUE(rejected(plain, "abc"));
}

}  // namespace
}  // namespace halo::plugins
