// mle_fit.h -- maximum-likelihood fits of the CLV models through NLopt
// (https://nlopt.readthedocs.io): the negative log-likelihood is minimised
// over the logarithms of the parameters, so every parameter stays positive
// without constraints.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace halo::clv {

struct FitResult {
  std::vector<double> params;  // the fitted (positive) parameters
  double log_likelihood = 0;   // at params
  int evaluations = 0;
  bool ok = false;
  std::string error;  // when !ok
};

// Maximises `log_likelihood(params)` from `start` (positive values). Local
// derivative-free search (Nelder-Mead), restarted from its own optimum
// until the likelihood stops improving: a restart resets the simplex,
// which Nelder-Mead needs to leave the flat ridges these likelihoods have.
FitResult fit_max_likelihood(
    const std::function<double(const std::vector<double> &)> &log_likelihood,
    std::vector<double> start);

}  // namespace halo::clv
