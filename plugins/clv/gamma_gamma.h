// gamma_gamma.h -- the Gamma-Gamma model of spend per transaction: Fader,
// Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer
// Base Analysis", Journal of Marketing Research 42(4), 415-430, and Fader &
// Hardie's note "The Gamma-Gamma Model of Monetary Value" (2013). A
// customer's transaction values are Gamma(p, nu) with nu ~ Gamma(q, v);
// only customers with at least one repeat transaction carry information.
#pragma once

#include <span>
#include <string>

#include "purchase_history.h"

namespace halo::clv {

struct GammaGammaParams {
  double p = 0, q = 0, v = 0;
};

// ln L(p, q, v | x, zbar) of one customer with x > 0 repeat transactions of
// mean value zbar > 0: the log density of the observed mean (the note's
// equation 4).
double gamma_gamma_log_likelihood(const GammaGammaParams &p, const CustomerSummary &c);

// Fits on the customers with x > 0 and a positive mean repeat value; the
// others are skipped (they carry no information on spend). The result does
// not depend on the order of `customers`. Returns false
// with `error` when none is left or the optimizer fails.
bool fit_gamma_gamma(std::span<const CustomerSummary> customers, GammaGammaParams &out,
                     std::string &error);

// E[mean transaction value | x, zbar]: a weighted mean of the population
// mean p v / (q - 1) and the customer's own mean, whose weight grows with x
// (the note's equation 5; the population mean when x = 0). Needs q > 1.
double gamma_gamma_expected_value(const GammaGammaParams &p, const CustomerSummary &c);

}  // namespace halo::clv
