// bg_nbd.h -- the BG/NBD model of repeat purchasing: Fader, Hardie & Lee
// (2005), "Counting Your Customers the Easy Way: An Alternative to the
// Pareto/NBD Model", Marketing Science 24(2), 275-284. While alive, a
// customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha);
// after each purchase they drop out with probability p ~ Beta(a, b).
//
// Formulas (numbers are the paper's equations): the individual
// log-likelihood (6), P(alive) (from its technical note "Computing P(alive)
// using the BG/NBD model") and the conditional expectation (10). Time is in
// whatever unit the summaries use (CDNOW: weeks).
#pragma once

#include <span>
#include <string>

#include "purchase_history.h"

namespace halo::clv {

struct BgNbdParams {
  double r = 0, alpha = 0, a = 0, b = 0;
};

// ln L(r, alpha, a, b | x, t_x, T) of one customer.
double bg_nbd_log_likelihood(const BgNbdParams &p, const CustomerSummary &c);

// The parameters that maximise the summed log-likelihood (whatever the
// order of `customers`). Returns false
// with `error` when there is nothing to fit or the optimizer fails.
bool fit_bg_nbd(std::span<const CustomerSummary> customers, BgNbdParams &out, std::string &error);

// P(the customer is still alive at T | x, t_x, T).
double bg_nbd_p_alive(const BgNbdParams &p, const CustomerSummary &c);

// E[number of purchases in (T, T + t] | x, t_x, T]. The closed form divides
// by a - 1: for a == 1 exactly (never the result of a fit on real data) it
// is not defined and the result is not finite.
double bg_nbd_expected_purchases(const BgNbdParams &p, const CustomerSummary &c, double t);

// The purchases of (T, T + t] discounted to T: t cut into steps of `step`
// (the last one shorter), the purchases expected in step k (the difference
// of two conditional expectations) weighed by 1 / (1 + rate)^(end of step
// k), `rate` per unit of time. With rate 0 the sum is
// bg_nbd_expected_purchases(p, c, t) up to rounding. The usual discrete
// discounting of CLV (Fader, Hardie & Lee 2005b, "RFM and CLV", and the
// lifetimes package's customer_lifetime_value).
double bg_nbd_discounted_purchases(const BgNbdParams &p, const CustomerSummary &c, double t,
                                   double step, double rate);

}  // namespace halo::clv
