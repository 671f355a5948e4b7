// exact_number_test.cpp -- number texts ordered by value, exactly.
#include "segment/exact_number.h"

#include <gtest/gtest.h>

namespace halo::segment {
namespace {

TEST(ExactNumber, EqualValuesWrittenApart) {
  EXPECT_EQ(compare_numbers("19.90", "19.9"), 0);
  EXPECT_EQ(compare_numbers("1e3", "1000"), 0);
  EXPECT_EQ(compare_numbers("-0", "0.000"), 0);
  EXPECT_EQ(compare_numbers("0012.50", "12.5"), 0);
  EXPECT_EQ(compare_numbers("1.5E-2", "0.015"), 0);
}

TEST(ExactNumber, OrdersWhereADoubleCannot) {
  EXPECT_EQ(compare_numbers("0.1", "0.10000000000000001"), -1);
  EXPECT_EQ(compare_numbers("9007199254740993", "9007199254740992"), 1);
  EXPECT_EQ(compare_numbers("-2", "-10"), 1);
  EXPECT_EQ(compare_numbers("-0.5", "0"), -1);
  EXPECT_EQ(compare_numbers("0", "-0.5"), 1);
  EXPECT_EQ(compare_numbers("99", "100"), -1);
  EXPECT_EQ(compare_numbers("1e-7", "0.0000001"), 0);
}

// Whole numbers of up to 18 digits take a shorter road; it must agree
// with the long one at its edges.
TEST(ExactNumber, WholeNumbersAtTheEdgesOfTheShortRoad) {
  EXPECT_EQ(compare_numbers("999999999999999999", "1000000000000000000"), -1);  // 18 vs 19 digits
  EXPECT_EQ(compare_numbers("-999999999999999999", "-1000000000000000000"), 1);
  EXPECT_EQ(compare_numbers("000000000000000007", "7"), 0);
  EXPECT_EQ(compare_numbers("-0", "0"), 0);
  EXPECT_EQ(compare_numbers("-3", "2"), -1);
  EXPECT_EQ(compare_numbers("12", "12.0"), 0);
  EXPECT_EQ(compare_numbers("+5", "5"), 0);
  EXPECT_EQ(compare_numbers("--5", "5"), std::nullopt);
}

TEST(ExactNumber, TextThatIsNoNumberIsNotCompared) {
  for (const char *bad :
       {"", "-", ".", "1e", "1e+", "1.2.3", "12a", "1e1234567", " 1", "0x10", "-", "1-"}) {
    EXPECT_EQ(compare_numbers(bad, "1"), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace halo::segment
