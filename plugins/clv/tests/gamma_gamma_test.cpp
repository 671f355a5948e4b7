// gamma_gamma_test.cpp -- the Gamma-Gamma fit on CDNOW against the
// published parameters, and the expected value's closed form.
#include <gtest/gtest.h>

#include <cmath>

#include "cdnow.h"
#include "gamma_gamma.h"

namespace halo::clv::testing {
namespace {

// Fader, Hardie & Lee (2005, JMR): p = 6.25, q = 3.74, gamma (v) = 15.44;
// lifetimes prints p: 6.25, q: 3.74, v: 15.45 on the same 946 customers.
constexpr GammaGammaParams kPublishedSpend{6.25, 3.74, 15.44};

TEST(GammaGamma, CdnowFitIsWithinOnePercentOfThePublishedParameters) {
  const std::vector<CustomerSummary> customers = as_vector(published_summaries());
  GammaGammaParams fit;
  std::string error;
  ASSERT_TRUE(fit_gamma_gamma(customers, fit, error)) << error;
  EXPECT_LE(std::abs(fit.p - kPublishedSpend.p), 0.01 * kPublishedSpend.p) << fit.p;
  EXPECT_LE(std::abs(fit.q - kPublishedSpend.q), 0.01 * kPublishedSpend.q) << fit.q;
  EXPECT_LE(std::abs(fit.v - kPublishedSpend.v), 0.01 * kPublishedSpend.v) << fit.v;
  std::cout << "[ gamma    ] p " << fit.p << " q " << fit.q << " v " << fit.v << "\n";
}

TEST(GammaGamma, ExpectedValueWeighsThePopulationAgainstTheCustomer) {
  const GammaGammaParams p{6.25, 3.74, 15.44};
  // Population mean p v / (q - 1) = 6.25 * 15.44 / 2.74 = 35.2189781
  EXPECT_NEAR(gamma_gamma_expected_value(p, {0, 0, 10, 0}), 35.2189781, 1e-6);
  // x = 2, zbar = 22.35: 6.25 * (15.44 + 44.7) / (12.5 + 2.74) = 24.6637139
  EXPECT_NEAR(gamma_gamma_expected_value(p, {2, 30, 38, 22.35}), 24.6637139, 1e-6);
  // Many transactions: close to the customer's own mean.
  EXPECT_NEAR(gamma_gamma_expected_value(p, {500, 30, 38, 22.35}), 22.35, 0.05);
}

TEST(GammaGamma, CustomersWithoutARepeatPurchaseAreNotFitted) {
  GammaGammaParams fit;
  std::string error;
  const std::vector<CustomerSummary> none = {{0, 0, 10, 0}, {3, 2, 10, 0}};
  EXPECT_FALSE(fit_gamma_gamma(none, fit, error));
  EXPECT_NE(error.find("no customer with a repeat purchase"), std::string::npos) << error;
}

}  // namespace
}  // namespace halo::clv::testing
