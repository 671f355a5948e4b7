// gauss_hypergeometric_test.cpp -- the summed series against Boost.Math's
// general hypergeometric function, over the arguments BG/NBD produces
// (r + x, b + x, a + b + x - 1, t / (alpha + T + t)) and beyond, and the
// handover to Boost outside the series' region.
#include <gtest/gtest.h>

#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>

#include <array>
#include <cmath>
#include <exception>

#include "gauss_hypergeometric.h"

namespace halo::clv::testing {
namespace {

// NaN where Boost refuses (it throws on overflow).
double boost_2f1(double a, double b, double c, double z) {
  try {
    return boost::math::hypergeometric_pFq({a, b}, {c}, z);
  } catch (const std::exception &) {
    return std::nan("");
  }
}

TEST(Gauss2F1, AgreesWithBoostOverAGrid) {
  const double params[] = {0.05, 0.243, 0.793, 1, 2.426, 7.5, 40, 150};
  const double zs[] = {0, 1e-6, 0.01, 0.2, 0.5, 0.8, 0.95, 0.99};
  int compared = 0;
  for (double a : params) {
    for (double b : params) {
      for (double c : params) {
        for (double z : zs) {
          const double want = boost_2f1(a, b, c, z);
          if (!std::isfinite(want)) continue;
          EXPECT_NEAR(gauss_2f1(a, b, c, z), want, 1e-11 * std::abs(want))
              << "2F1(" << a << ", " << b << "; " << c << "; " << z << ")";
          ++compared;
        }
      }
    }
  }
  EXPECT_GT(compared, 3000);
}

TEST(Gauss2F1, KnownClosedForms) {
  // 2F1(1, 1; 2; z) = -ln(1 - z) / z (Abramowitz & Stegun 15.1.3).
  for (double z : {0.1, 0.5, 0.9, 0.99}) {
    EXPECT_NEAR(gauss_2f1(1, 1, 2, z), -std::log1p(-z) / z, 1e-13) << z;
  }
  // 2F1(a, b; b; z) = (1 - z)^-a.
  EXPECT_NEAR(gauss_2f1(2.5, 3, 3, 0.7), std::pow(0.3, -2.5), 1e-10);
  EXPECT_EQ(gauss_2f1(3, 4, 5, 0), 1.0);
}

TEST(Gauss2F1, OutsideTheSeriesRegionBoostAnswers) {
  // z beyond 0.99, and a negative parameter (terms change sign): each the
  // value Boost gives.
  for (auto [a, b, c, z] : {std::array{0.5, 0.7, 1.3, 0.995}, std::array{-2.0, 1.5, 2.5, 0.6}}) {
    EXPECT_EQ(gauss_2f1(a, b, c, z), boost_2f1(a, b, c, z))
        << a << " " << b << " " << c << " " << z;
  }
}

}  // namespace
}  // namespace halo::clv::testing
