// send_hour_test.cpp -- send-hour smoothing on hand-computed cases.
#include <gtest/gtest.h>

#include "send_hour.h"

namespace halo::engagement {
namespace {

TEST(SendHour, FewEngagementsLeanOnThePopulation) {
  PopulationHours population{};
  population[10] = 60;
  population[22] = 40;
  HourCounts own{};
  // No own data: the population's hour.
  EXPECT_EQ(best_hour(own, population, 5), 10);
  // One click at 22: 1 + 5 x 0.4 = 3 against 5 x 0.6 = 3; the earlier hour.
  own[22] = 1;
  EXPECT_EQ(best_hour(own, population, 5), 10);
  // Two clicks: 4 > 3.
  own[22] = 2;
  EXPECT_EQ(best_hour(own, population, 5), 22);
  // Without smoothing one click decides.
  own[22] = 1;
  EXPECT_EQ(best_hour(own, population, 0), 22);
  // Nobody engaged: no best hour.
  EXPECT_EQ(best_hour(own, PopulationHours{}, 5), std::nullopt);
}

}  // namespace
}  // namespace halo::engagement
