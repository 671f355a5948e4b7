// fellegi_sunter.h -- the Fellegi-Sunter model of record linkage and its
// unsupervised estimation.
//
// A candidate pair's comparison pattern is one agreement level per field.
// Assuming fields agree independently given the pair's class, the model has
// per field and level
//   m = P(level | the records are the same person),
//   u = P(level | they are not),
// and lambda = P(same person) among candidate pairs. A pair's weight is
// sum over its non-missing fields of log2(m / u) (positive: evidence of a
// match) and its posterior is lambda*M / (lambda*M + (1-lambda)*U).
//
// Estimation (unsupervised): u is first counted over random record pairs,
// nearly all of which are non-matches; then m, u and lambda are fitted by EM
// (Dempster, Laird and Rubin 1977; Winkler 1988) on the candidate pairs'
// patterns. The random-pair u enters the EM as a prior worth kUPriorPairs
// pairs: with few candidate non-matches (a small, clean file) u stays near
// it; with many, u follows the candidates, which share more than random
// pairs do (the fields they were blocked on, and fields correlated with
// those: a postcode and its suburb), so that shared evidence is not counted
// twice. m gets half a pseudo-match per level (Jeffreys prior), and every
// probability is kept within [1e-6, 1 - 1e-6]: a level never seen cannot
// make a weight infinite.
//
// References: I. P. Fellegi and A. B. Sunter, "A Theory for Record
// Linkage", JASA 64 (1969); W. E. Winkler, "Using the EM Algorithm for
// Weight Computation in the Fellegi-Sunter Model of Record Linkage" (1988).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "comparison.h"

namespace halo::linkage {

// 3 bits per field: an agreement level or kMissing.
using Pattern = uint64_t;

inline uint8_t level_of(Pattern p, size_t field) {
  return static_cast<uint8_t>((p >> (3 * field)) & 7);
}
inline Pattern with_level(Pattern p, size_t field, uint8_t level) {
  return p | (Pattern{level} << (3 * field));
}

struct FieldParameters {
  std::vector<double> m, u;  // per level; each sums to 1
};

struct Model {
  std::vector<FieldParameters> fields;
  double lambda = 0.1;
  int iterations = 0;
  bool converged = false;

  // Evidence for a match in bits (log2 likelihood ratio), missing fields 0.
  double weight(Pattern p) const;
  double field_weight(size_t field, uint8_t level) const;
  // P(match | pattern).
  double match_probability(Pattern p) const;
};

// u from level counts observed on random pairs: counts[field][level].
// m starts at 0.9 for equality and shares 0.1 over the other levels.
Model initial_model(const std::vector<std::vector<uint64_t>> &u_counts);

inline constexpr double kUPriorPairs = 1000;

// Fits m, u and lambda by EM on (pattern, number of candidate pairs),
// starting from `model` (whose u is the prior); stops when no parameter
// moves by more than 1e-7 or after max_iterations.
void fit_model(Model &model, const std::vector<std::pair<Pattern, uint64_t>> &patterns,
               int max_iterations);

}  // namespace halo::linkage
