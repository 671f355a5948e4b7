// quintile_scale.h -- 1-5 scores by quintiles over a population, with a tie
// rule that does not depend on the order of the population.
//
// A value v among n values scores 1 + floor(5 * below / n), where below is
// the number of values strictly worse than v (smaller, for a scale where
// greater is better). Equal values score the same; a score is skipped when
// a run of equal values spans its quintile (with 60% of customers at one
// order, two orders scores 4). The scale is kept as thresholds: the least
// value that scores at least 2, 3, 4 and 5 (none when no value does).
//
// Invariants: score() is nondecreasing in v; every value of the population
// scores as the rule says; a value outside it scores as the thresholds say.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <vector>

namespace halo::rfm {

template <class T>
class QuintileScale {
 public:
  QuintileScale() = default;  // an empty population: every value scores 1
  explicit QuintileScale(std::vector<T> values) {
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    for (size_t i = 0; i < n; ++i) {
      if (i > 0 && !(values[i - 1] < values[i])) continue;  // not the first of its run
      const size_t score = 1 + 5 * i / n;
      for (size_t s = 2; s <= score; ++s) {
        if (!least_[s - 2]) least_[s - 2] = values[i];
      }
    }
  }

  int score(const T &v) const {
    int s = 1;
    for (const auto &t : least_) s += t && !(v < *t) ? 1 : 0;
    return s;
  }
  // The least value scoring at least `score` (2..5); nullopt when none does.
  const std::optional<T> &least_for(int score) const { return least_[score - 2]; }

  // A scale from stored thresholds (least_for(2..5)); nullopt unless they
  // are a scale some population gives: those present come first and do
  // not decrease.
  static std::optional<QuintileScale> from_thresholds(const std::array<std::optional<T>, 4> &t) {
    for (size_t k = 1; k < t.size(); ++k) {
      if (t[k] && (!t[k - 1] || *t[k] < *t[k - 1])) return std::nullopt;
    }
    QuintileScale scale;
    scale.least_ = t;
    return scale;
  }

 private:
  std::array<std::optional<T>, 4> least_;
};

}  // namespace halo::rfm
