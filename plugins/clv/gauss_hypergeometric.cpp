// gauss_hypergeometric.cpp -- see gauss_hypergeometric.h.
#include "gauss_hypergeometric.h"

// gamma.hpp first: Boost 1.74's hypergeometric_pFq.hpp uses lgamma without
// including its definition.
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace halo::clv {

namespace {

// Beyond this z the series needs more than ~3,700 terms for full precision
// (its terms shrink by about z each), and their rounding adds up.
constexpr double kSeriesMaxZ = 0.99;
constexpr int kMaxTerms = 20'000;

// The power series, or nullopt when it does not settle within kMaxTerms or
// overflows. Term k+1 is term k times rho_k = z (a+k)(b+k) / ((c+k)(k+1)),
// and rho_j = z (1 + g(j)) with g(j) = (A j + B) / ((c+j)(j+1)),
// A = a + b - c - 1, B = ab - c. For every j >= m, g(j) <= max(A, 0)/(m+1)
// + max(B, 0)/((c+m)(m+1)), so once that bound R is below 1 the rest of the
// series after a term is at most term * R / (1 - R).
std::optional<double> power_series(double a, double b, double c, double z) {
  const double A = std::max(a + b - c - 1, 0.0), B = std::max(a * b - c, 0.0);
  const double eps = std::numeric_limits<double>::epsilon() / 2;
  double term = 1, sum = 1;
  for (int k = 0; k < kMaxTerms; ++k) {
    term *= z * (a + k) * (b + k) / ((c + k) * (k + 1));
    sum += term;
    if (!std::isfinite(sum)) return std::nullopt;
    const double m = k + 1;
    const double R = z * (1 + A / (m + 1) + B / ((c + m) * (m + 1)));
    if (R < 1 && term * R <= eps * sum * (1 - R)) return sum;
  }
  return std::nullopt;
}

}  // namespace

double gauss_2f1(double a, double b, double c, double z) {
  if (a > 0 && b > 0 && c > 0 && z >= 0 && z <= kSeriesMaxZ) {
    if (std::optional<double> s = power_series(a, b, c, z)) return *s;
  }
  return boost::math::hypergeometric_pFq({a, b}, {c}, z);
}

}  // namespace halo::clv
