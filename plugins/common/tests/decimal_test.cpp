// decimal_test.cpp -- exact parsing, rounding and printing of Decimal, and
// exact money sums checked against an independent integer-cent sum.
#include <gtest/gtest.h>

#include <random>

#include "common/decimal.h"

namespace halo::plugins {
namespace {

std::string parsed(std::string_view text) {
  auto d = Decimal::parse(text);
  return d ? d->to_string() : "<none>";
}

TEST(Decimal, ParsesLiteralsAndMoneyStringsExactly) {
  EXPECT_EQ(parsed("42.00"), "42");
  EXPECT_EQ(parsed("120.50"), "120.5");
  EXPECT_EQ(parsed("0.05"), "0.05");
  EXPECT_EQ(parsed("-0.05"), "-0.05");
  EXPECT_EQ(parsed(" 7 "), "7");
  EXPECT_EQ(parsed("+3"), "3");
  EXPECT_EQ(parsed("1e3"), "1000");
  EXPECT_EQ(parsed("1.5E-2"), "0.015");
  EXPECT_EQ(parsed("000123.4500"), "123.45");
  EXPECT_EQ(parsed(".5"), "0.5");
  EXPECT_EQ(parsed("-0"), "0");
  // 0.1 + 0.2 is exact here, unlike in binary floating point.
  Decimal sum = *Decimal::parse("0.1");
  ASSERT_TRUE(sum.add(*Decimal::parse("0.2")));
  EXPECT_EQ(sum.to_string(), "0.3");
}

TEST(Decimal, RejectsNonNumbers) {
  for (const char *bad : {"", " ", "abc", "1.2.3", "--1", "1e", "1e+", ".", "12abc", "$5", "1,000",
                          "1e99999", "1e40", "NaN"}) {
    EXPECT_FALSE(Decimal::parse(bad).has_value()) << bad;
  }
}

TEST(Decimal, RoundsBeyondNineDigitsHalfEven) {
  EXPECT_EQ(parsed("0.0000000005"), "0");            // tie -> even (0)
  EXPECT_EQ(parsed("0.0000000015"), "0.000000002");  // tie -> even (2)
  EXPECT_EQ(parsed("0.00000000050001"), "0.000000001");
  EXPECT_EQ(parsed("-0.0000000025"), "-0.000000002");
  EXPECT_EQ(parsed("1e-12"), "0");
}

TEST(Decimal, AverageRoundsHalfEvenToSixDigits) {
  EXPECT_EQ(Decimal::from_int(10).divide_rounded(3, 6).to_string(), "3.333333");
  EXPECT_EQ(Decimal::from_int(2).divide_rounded(3, 6).to_string(), "0.666667");
  EXPECT_EQ(Decimal::parse("0.0000005")->divide_rounded(1, 6).to_string(), "0");
  EXPECT_EQ(Decimal::parse("0.0000015")->divide_rounded(1, 6).to_string(), "0.000002");
  EXPECT_EQ(Decimal::parse("-0.0000015")->divide_rounded(1, 6).to_string(), "-0.000002");
  EXPECT_EQ(Decimal::parse("241")->divide_rounded(2, 6).to_string(), "120.5");
}

TEST(Decimal, AddReportsOverflow) {
  Decimal big = *Decimal::parse("99999999999999999999999999999");  // 29 digits
  Decimal acc = big;
  bool ok = true;
  for (int i = 0; i < 10 && ok; ++i) ok = acc.add(big);
  EXPECT_FALSE(ok);
}

// Formats integer cents as an amount string without using Decimal.
std::string cents_text(int64_t cents) {
  std::string sign = cents < 0 ? "-" : "";
  int64_t a = cents < 0 ? -cents : cents;
  std::string frac = std::to_string(a % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return sign + std::to_string(a / 100) + "." + frac;
}

TEST(Decimal, HundredThousandMoneyAmountsSumExactly) {
  std::mt19937_64 rng(2026);
  std::uniform_int_distribution<int64_t> amount(-5'000'00, 250'000'000'00);
  Decimal total;
  int64_t cents = 0;
  for (int i = 0; i < 100'000; ++i) {
    int64_t c = amount(rng);
    cents += c;
    ASSERT_TRUE(total.add(*Decimal::parse(cents_text(c))));
  }
  std::string expected = cents_text(cents);
  // cents_text always prints two digits; Decimal prints the shortest form.
  while (expected.back() == '0') expected.pop_back();
  if (expected.back() == '.') expected.pop_back();
  EXPECT_EQ(total.to_string(), expected);
}

}  // namespace
}  // namespace halo::plugins
