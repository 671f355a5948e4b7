// mle_fit.cpp -- see mle_fit.h.
#include "mle_fit.h"

#include <nlopt.h>

#include <cmath>
#include <limits>

namespace halo::clv {

namespace {

struct Objective {
  const std::function<double(const std::vector<double> &)> *log_likelihood;
  std::vector<double> params;
  int evaluations = 0;
};

// NLopt minimises; a non-finite likelihood (parameters where a term
// overflows) counts as the worst value, which keeps the search away.
double negative_log_likelihood(unsigned n, const double *log_params, double *gradient, void *data) {
  (void)gradient;  // derivative-free algorithm: never asked for
  auto *o = static_cast<Objective *>(data);
  for (unsigned i = 0; i < n; ++i) o->params[i] = std::exp(log_params[i]);
  ++o->evaluations;
  double ll = (*o->log_likelihood)(o->params);
  return std::isfinite(ll) ? -ll : std::numeric_limits<double>::max();
}

}  // namespace

FitResult fit_max_likelihood(
    const std::function<double(const std::vector<double> &)> &log_likelihood,
    std::vector<double> start) {
  FitResult result;
  const unsigned n = static_cast<unsigned>(start.size());
  Objective objective{&log_likelihood, std::vector<double>(n)};
  std::vector<double> x(n), step(n, 0.5);
  for (unsigned i = 0; i < n; ++i) x[i] = std::log(start[i]);
  double best = std::numeric_limits<double>::max();
  constexpr int kMaxRestarts = 20;
  for (int round = 0; round < kMaxRestarts; ++round) {
    nlopt_opt opt = nlopt_create(NLOPT_LN_NELDERMEAD, n);
    if (opt == nullptr) {
      result.error = "cannot create the NLopt optimizer";
      return result;
    }
    nlopt_set_min_objective(opt, negative_log_likelihood, &objective);
    nlopt_set_xtol_rel(opt, 1e-12);
    nlopt_set_ftol_rel(opt, 1e-15);
    nlopt_set_maxeval(opt, 20000);
    nlopt_set_initial_step(opt, step.data());
    double value = 0;
    nlopt_result status = nlopt_optimize(opt, x.data(), &value);
    nlopt_destroy(opt);
    if (status < 0) {
      result.error = std::string("the optimizer failed: ") + nlopt_result_to_string(status);
      return result;
    }
    const bool improved = value < best - 1e-10 * std::abs(best);
    best = std::min(best, value);
    if (!improved) break;
  }
  if (best == std::numeric_limits<double>::max()) {
    result.error = "the likelihood is not finite anywhere the optimizer looked";
    return result;
  }
  result.params.resize(n);
  for (unsigned i = 0; i < n; ++i) result.params[i] = std::exp(x[i]);
  result.log_likelihood = -best;
  result.evaluations = objective.evaluations;
  result.ok = true;
  return result;
}

}  // namespace halo::clv
