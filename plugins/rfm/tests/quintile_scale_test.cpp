// quintile_scale_test.cpp -- scores by quintiles: the rule on distinct
// values, on ties, on tiny and empty populations, and independence of the
// population's order.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "quintile_scale.h"

namespace halo::rfm {
namespace {

std::vector<int> scores(const QuintileScale<int> &scale, const std::vector<int> &values) {
  std::vector<int> out;
  for (int v : values) out.push_back(scale.score(v));
  return out;
}

TEST(QuintileScale, TenDistinctValuesScoreTwoPerQuintile) {
  std::vector<int> values = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
  QuintileScale<int> scale(values);
  EXPECT_EQ(scores(scale, values), (std::vector<int>{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}));
  EXPECT_EQ(*scale.least_for(2), 30);
  EXPECT_EQ(*scale.least_for(5), 90);
}

// Equal values score the same: the score of the first of them. A run that
// spans quintiles skips scores.
TEST(QuintileScale, TiesScoreAsTheirFirstAndSkipScores) {
  // 6 of 10 customers with one order, 3 with two, 1 with five.
  std::vector<int> values = {1, 1, 1, 1, 1, 1, 2, 2, 2, 5};
  QuintileScale<int> scale(values);
  EXPECT_EQ(scale.score(1), 1);
  EXPECT_EQ(scale.score(2), 4);  // 6 of 10 below: 1 + floor(30 / 10)
  EXPECT_EQ(scale.score(5), 5);  // 9 below: 1 + floor(45 / 10)
  EXPECT_EQ(*scale.least_for(2), 2);
  EXPECT_EQ(*scale.least_for(4), 2);
  EXPECT_EQ(*scale.least_for(5), 5);
  // Everyone alike: everyone scores 1 and no value scores more.
  QuintileScale<int> same(std::vector<int>(7, 3));
  EXPECT_EQ(same.score(3), 1);
  EXPECT_FALSE(same.least_for(2).has_value());
}

TEST(QuintileScale, SmallAndEmptyPopulations) {
  QuintileScale<int> one({42});
  EXPECT_EQ(one.score(42), 1);
  QuintileScale<int> two({1, 2});
  EXPECT_EQ(two.score(1), 1);
  EXPECT_EQ(two.score(2), 3);  // 1 of 2 below: 1 + floor(5 / 2)
  QuintileScale<int> none;
  EXPECT_EQ(none.score(0), 1);
  QuintileScale<int> empty(std::vector<int>{});
  EXPECT_EQ(empty.score(0), 1);
}

// The rule, checked against its definition on random populations in random
// orders; values outside the population score monotonically.
TEST(QuintileScale, FollowsTheRuleInAnyOrder) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<int> values(1 + rng() % 60);
    for (int &v : values) v = static_cast<int>(rng() % 12);
    QuintileScale<int> scale(values);
    std::shuffle(values.begin(), values.end(), rng);
    QuintileScale<int> shuffled(values);
    for (int v : values) {
      const size_t below =
          std::count_if(values.begin(), values.end(), [&](int o) { return o < v; });
      EXPECT_EQ(scale.score(v), static_cast<int>(1 + 5 * below / values.size()));
      EXPECT_EQ(shuffled.score(v), scale.score(v));
    }
    for (int v = -1; v < 13; ++v) EXPECT_LE(scale.score(v), scale.score(v + 1));
  }
}

}  // namespace
}  // namespace halo::rfm
