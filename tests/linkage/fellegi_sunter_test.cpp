// The model's arithmetic and the EM fit on data with known parameters.
#include "linkage/fellegi_sunter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

namespace halo::linkage {
namespace {

TEST(Model, WeightsAreLog2RatiosAndMissingFieldsAreNeutral) {
  Model model;
  model.fields = {{{0.9, 0.1}, {0.01, 0.99}}, {{0.8, 0.2}, {0.2, 0.8}}};
  model.lambda = 0.5;
  const Pattern both_equal = with_level(with_level(0, 0, 0), 1, 0);
  EXPECT_NEAR(model.weight(both_equal), std::log2(90.0) + 2, 1e-9);
  const Pattern first_missing = with_level(with_level(0, 0, kMissing), 1, 0);
  EXPECT_NEAR(model.weight(first_missing), 2, 1e-9);
  EXPECT_NEAR(model.match_probability(first_missing), 0.8, 1e-9);  // odds 4:1
  EXPECT_GT(model.match_probability(both_equal), model.match_probability(first_missing));
  EXPECT_EQ(level_of(first_missing, 0), kMissing);
}

TEST(Model, ProbabilityStaysFiniteForOverwhelmingEvidence) {
  Model model;
  model.fields.assign(16, FieldParameters{{1 - 1e-6, 1e-6}, {1e-6, 1 - 1e-6}});
  model.lambda = 0.5;
  EXPECT_EQ(model.match_probability(0), 1.0);  // 16 equal fields: +318 bits
  Pattern all_different = 0;
  for (size_t f = 0; f < 16; ++f) all_different = with_level(all_different, f, 1);
  EXPECT_EQ(model.match_probability(all_different), 0.0);
}

// Patterns drawn from a known two-class model; EM must find it again.
TEST(FitModel, RecoversKnownParametersFromUnlabelledPatterns) {
  const std::vector<double> m = {0.95, 0.85, 0.9}, u = {0.05, 0.1, 0.2};
  const double lambda = 0.3;
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> unit(0, 1);
  std::map<Pattern, uint64_t> counts;
  const int pairs = 200000;
  for (int i = 0; i < pairs; ++i) {
    const bool match = unit(random) < lambda;
    Pattern p = 0;
    for (size_t f = 0; f < m.size(); ++f) {
      const double agree = match ? m[f] : u[f];
      p = with_level(p, f, unit(random) < agree ? 0 : 1);
    }
    ++counts[p];
  }
  // The prior u (from "random pairs") is deliberately off by a factor 2.
  Model model = initial_model({{100, 900}, {200, 800}, {400, 600}});
  fit_model(model, {counts.begin(), counts.end()}, 500);
  EXPECT_TRUE(model.converged);
  EXPECT_NEAR(model.lambda, lambda, 0.01);
  for (size_t f = 0; f < m.size(); ++f) {
    EXPECT_NEAR(model.fields[f].m[0], m[f], 0.015) << f;
    EXPECT_NEAR(model.fields[f].u[0], u[f], 0.015) << f;
  }
}

TEST(InitialModel, SmoothsLevelsNoRandomPairShowed) {
  Model model = initial_model({{0, 1000}});
  EXPECT_GT(model.fields[0].u[0], 0);
  EXPECT_NEAR(model.fields[0].u[0] + model.fields[0].u[1], 1, 1e-12);
  EXPECT_NEAR(model.fields[0].m[0], 0.9, 1e-12);
}

}  // namespace
}  // namespace halo::linkage
