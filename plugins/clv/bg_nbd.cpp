// bg_nbd.cpp -- see bg_nbd.h.
#include "bg_nbd.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "gauss_hypergeometric.h"
#include "mle_fit.h"

namespace halo::clv {

namespace {

// ln(e^u + e^v) without overflow.
double log_add_exp(double u, double v) {
  double hi = std::max(u, v);
  return hi + std::log1p(std::exp(std::min(u, v) - hi));
}

// The term a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x) that P(alive) and the
// conditional expectation share, as a logarithm; only for x > 0.
double log_dropout_odds(const BgNbdParams &p, const CustomerSummary &c) {
  return std::log(p.a) - std::log(p.b + c.x - 1) +
         (p.r + c.x) * (std::log(p.alpha + c.T) - std::log(p.alpha + c.t_x));
}

// The parts of the log-likelihood that depend on x alone (its six log-gamma
// terms and three of its logarithms): the fit's customers are sorted by x,
// so each distinct x computes them once per evaluation instead of once per
// customer. The sums keep the paper's terms in the same order.
struct RepeatTerms {
  double x = -1;
  double ln_a12 = 0;       // ln A1 + ln A2 without the parts in t_x and T
  double ln_a4_front = 0;  // ln a - ln(b + x - 1), for x > 0
};

RepeatTerms repeat_terms(const BgNbdParams &p, double x) {
  const double ln_a1 = std::lgamma(p.r + x) - std::lgamma(p.r) + p.r * std::log(p.alpha);
  const double ln_a2 =
      std::lgamma(p.a + p.b) + std::lgamma(p.b + x) - std::lgamma(p.b) - std::lgamma(p.a + p.b + x);
  return {x, ln_a1 + ln_a2, x > 0 ? std::log(p.a) - std::log(p.b + x - 1) : 0.0};
}

double log_likelihood(const BgNbdParams &p, const RepeatTerms &k, const CustomerSummary &c) {
  const double ln_a3 = -(p.r + c.x) * std::log(p.alpha + c.T);
  if (c.x == 0) return k.ln_a12 + ln_a3;
  const double ln_a4 = k.ln_a4_front - (p.r + c.x) * std::log(p.alpha + c.t_x);
  return k.ln_a12 + log_add_exp(ln_a3, ln_a4);
}

}  // namespace

double bg_nbd_log_likelihood(const BgNbdParams &p, const CustomerSummary &c) {
  return log_likelihood(p, repeat_terms(p, c.x), c);
}

bool fit_bg_nbd(std::span<const CustomerSummary> customers, BgNbdParams &out, std::string &error) {
  if (customers.empty()) {
    error = "BG/NBD: no customers to fit";
    return false;
  }
  // The likelihood sees a customer only through (x, t_x, T): customers with
  // equal summaries (many, when time is counted in days) are evaluated once
  // and weighted, in a fixed order.
  std::vector<CustomerSummary> sorted(customers.begin(), customers.end());
  auto key = [](const CustomerSummary &c) { return std::tie(c.x, c.t_x, c.T); };
  std::sort(sorted.begin(), sorted.end(),
            [&](const CustomerSummary &l, const CustomerSummary &r) { return key(l) < key(r); });
  std::vector<std::pair<CustomerSummary, double>> groups;
  for (const CustomerSummary &c : sorted) {
    if (!groups.empty() && key(groups.back().first) == key(c)) {
      groups.back().second += 1;
    } else {
      groups.emplace_back(c, 1.0);
    }
  }
  auto ll = [&](const std::vector<double> &v) {
    BgNbdParams p{v[0], v[1], v[2], v[3]};
    double sum = 0;
    RepeatTerms terms;
    for (const auto &[c, count] : groups) {
      if (c.x != terms.x) terms = repeat_terms(p, c.x);
      sum += count * log_likelihood(p, terms, c);
    }
    return sum;
  };
  FitResult fit = fit_max_likelihood(ll, {1.0, 1.0, 1.0, 1.0});
  if (!fit.ok) {
    error = "BG/NBD: " + fit.error;
    return false;
  }
  out = {fit.params[0], fit.params[1], fit.params[2], fit.params[3]};
  return true;
}

double bg_nbd_p_alive(const BgNbdParams &p, const CustomerSummary &c) {
  if (c.x == 0) return 1.0;  // no repeat purchase: no chance to drop out yet
  return 1.0 / (1.0 + std::exp(log_dropout_odds(p, c)));
}

double bg_nbd_expected_purchases(const BgNbdParams &p, const CustomerSummary &c, double t) {
  const double x = c.x;
  const double z = t / (p.alpha + c.T + t);
  const double hyp2f1 = gauss_2f1(p.r + x, p.b + x, p.a + p.b + x - 1, z);
  const double numerator = (p.a + p.b + x - 1) / (p.a - 1) *
                           (1 - std::pow((p.alpha + c.T) / (p.alpha + c.T + t), p.r + x) * hyp2f1);
  const double denominator = 1 + (c.x > 0 ? std::exp(log_dropout_odds(p, c)) : 0.0);
  return numerator / denominator;
}

double bg_nbd_discounted_purchases(const BgNbdParams &p, const CustomerSummary &c, double t,
                                   double step, double rate) {
  if (!(step > 0)) step = t;  // one step
  double total = 0, before = 0;
  for (double end = std::min(step, t); before < t; end = std::min(end + step, t)) {
    const double purchases =
        bg_nbd_expected_purchases(p, c, end) - bg_nbd_expected_purchases(p, c, before);
    total += purchases / std::pow(1 + rate, end);
    before = end;
  }
  return total;
}

}  // namespace halo::clv
