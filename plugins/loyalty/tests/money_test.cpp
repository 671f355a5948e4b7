// money_test.cpp -- rial and toman without configuration, configured rates,
// exact products, points per full amount.
#include <gtest/gtest.h>

#include "money.h"
#include "test_support.h"

namespace halo::loyalty {
namespace {

TEST(Money, RialAndTomanConvertByTen) {
  Money rial("IRR", {});
  EXPECT_EQ(rial.convert(dec("125000"), "IRT"), dec("1250000"));
  EXPECT_EQ(rial.convert(dec("125000"), "irt"), dec("1250000"));
  EXPECT_EQ(rial.convert(dec("125000"), "IRR"), dec("125000"));
  EXPECT_EQ(rial.convert(dec("125000"), ""), dec("125000"));
  Money toman("IRT", {});
  EXPECT_EQ(toman.convert(dec("125005"), "IRR"), dec("12500.5"));
  EXPECT_FALSE(rial.convert(dec("1"), "USD").has_value());
}

TEST(Money, ConfiguredRatesAreExact) {
  Money rial("IRR", {{"usd", dec("615000.5")}});
  EXPECT_EQ(rial.convert(dec("0.1"), "USD"), dec("61500.05"));
  EXPECT_EQ(multiply(dec("0.3"), dec("0.1")), dec("0.03"));
  // Rounded half-even at 10^-9.
  EXPECT_EQ(multiply(dec("0.000000001"), dec("0.5")), dec("0"));
  EXPECT_EQ(multiply(dec("0.000000003"), dec("0.5")), dec("0.000000002"));
  EXPECT_EQ(multiply(dec("-2"), dec("1.5")), dec("-3"));
  EXPECT_FALSE(multiply(dec("1e19"), dec("1e19")).has_value());
}

TEST(Money, PointsPerFullAmount) {
  EXPECT_EQ(points_for(dec("299999"), dec("100000"), 1000), 2);
  EXPECT_EQ(points_for(dec("300000"), dec("100000"), 1000), 3);
  EXPECT_EQ(points_for(dec("99999.99"), dec("100000"), 1000), 0);
  EXPECT_EQ(points_for(dec("1e15"), dec("1"), 1000), 1000);  // capped
  EXPECT_EQ(points_for(dec("0"), dec("1"), 1000), 0);
}

}  // namespace
}  // namespace halo::loyalty
