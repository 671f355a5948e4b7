// gamma_gamma.cpp -- see gamma_gamma.h.
#include "gamma_gamma.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "mle_fit.h"

namespace halo::clv {

namespace {

// The part of the log-likelihood that depends on x alone (its three
// log-gamma terms): the fit's customers are sorted by x, so each distinct x
// computes it once per evaluation instead of once per customer.
struct SpendTerms {
  double x = -1;
  double front = 0;  // ln Gamma(px + q) - ln Gamma(px) - ln Gamma(q) + q ln v
};

SpendTerms spend_terms(const GammaGammaParams &p, double x) {
  const double px = p.p * x;
  return {x, std::lgamma(px + p.q) - std::lgamma(px) - std::lgamma(p.q) + p.q * std::log(p.v)};
}

double log_likelihood(const GammaGammaParams &p, const SpendTerms &k, const CustomerSummary &c) {
  const double x = c.x, m = c.mean_repeat_value;
  const double px = p.p * x;
  return k.front + (px - 1) * std::log(m) + px * std::log(x) - (px + p.q) * std::log(x * m + p.v);
}

}  // namespace

double gamma_gamma_log_likelihood(const GammaGammaParams &p, const CustomerSummary &c) {
  return log_likelihood(p, spend_terms(p, c.x), c);
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
    SpendTerms terms;
    for (const CustomerSummary &c : repeat) {
      if (c.x != terms.x) terms = spend_terms(p, c.x);
      sum += log_likelihood(p, terms, c);
    }
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
