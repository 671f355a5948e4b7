// send_hour.h -- the best hour to reach a customer: the hour with the most
// of their engagements (opens, clicks, purchases) in their local time,
// smoothed toward the population's distribution so that a customer with
// one click is not pinned to that hour. Each hour scores
//   count_h + prior_weight x population_h / population_total,
// the population's hours acting as `prior_weight` pseudo-engagements (a
// Dirichlet prior, as in additive smoothing); the best score wins, the
// earlier hour on a tie. With no engagement anywhere there is no best hour.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "engagement_state.h"

namespace halo::engagement {

// Population counts are sums over every profile: 64 bits.
using PopulationHours = std::array<uint64_t, 24>;

inline std::optional<int> best_hour(const HourCounts &own, const PopulationHours &population,
                                    double prior_weight) {
  uint64_t total = 0;
  for (uint64_t c : population) total += c;
  if (total == 0) return std::nullopt;
  int best = 0;
  double best_score = -1;
  for (int h = 0; h < 24; ++h) {
    const double score = static_cast<double>(own[h]) + prior_weight *
                                                           static_cast<double>(population[h]) /
                                                           static_cast<double>(total);
    if (score > best_score) best = h, best_score = score;
  }
  return best;
}

}  // namespace halo::engagement
