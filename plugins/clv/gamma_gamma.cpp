// gamma_gamma.cpp -- see gamma_gamma.h.
#include "gamma_gamma.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "mle_fit.h"

namespace halo::clv {

double gamma_gamma_log_likelihood(const GammaGammaParams &p, const CustomerSummary &c) {
  const double x = c.x, m = c.mean_repeat_value;
  const double px = p.p * x;
  return std::lgamma(px + p.q) - std::lgamma(px) - std::lgamma(p.q) + p.q * std::log(p.v) +
         (px - 1) * std::log(m) + px * std::log(x) - (px + p.q) * std::log(x * m + p.v);
}

bool fit_gamma_gamma(std::span<const CustomerSummary> customers, GammaGammaParams &out,
                     std::string &error) {
  std::vector<CustomerSummary> repeat;
  for (const CustomerSummary &c : customers) {
    if (c.x > 0 && c.mean_repeat_value > 0) repeat.push_back(c);
  }
  // The likelihood is a floating-point sum: a fixed order makes the fit
  // independent of the order customers come in.
  std::sort(repeat.begin(), repeat.end(), [](const CustomerSummary &l, const CustomerSummary &r) {
    return std::tie(l.x, l.mean_repeat_value) < std::tie(r.x, r.mean_repeat_value);
  });
  if (repeat.empty()) {
    error = "Gamma-Gamma: no customer with a repeat purchase of positive value to fit";
    return false;
  }
  auto ll = [&](const std::vector<double> &v) {
    GammaGammaParams p{v[0], v[1], v[2]};
    double sum = 0;
    for (const CustomerSummary &c : repeat) sum += gamma_gamma_log_likelihood(p, c);
    return sum;
  };
  FitResult fit = fit_max_likelihood(ll, {1.0, 1.0, 1.0});
  if (!fit.ok) {
    error = "Gamma-Gamma: " + fit.error;
    return false;
  }
  out = {fit.params[0], fit.params[1], fit.params[2]};
  return true;
}

double gamma_gamma_expected_value(const GammaGammaParams &p, const CustomerSummary &c) {
  const double x = c.x;
  return p.p * (p.v + x * c.mean_repeat_value) / (p.p * x + p.q - 1);
}

}  // namespace halo::clv
