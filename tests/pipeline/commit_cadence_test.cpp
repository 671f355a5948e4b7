// commit_cadence_test.cpp -- when a commit is due: the configured events
// and interval, held back after a slow commit by nine times its duration.
#include "pipeline/commit_cadence.h"

#include <gtest/gtest.h>

namespace halo {
namespace {

TEST(CommitCadence, FastCommitsKeepTheConfiguredCadence) {
  const CommitCadence c{1000, 5.0};
  EXPECT_FALSE(c.due(4.9, 999, 0.049));
  EXPECT_TRUE(c.due(4.9, 1000, 0.049));  // enough events
  EXPECT_TRUE(c.due(5.0, 0, 0.049));     // enough time
  EXPECT_TRUE(c.due(0.0, 5000, 0.0));    // at once after a commit of no cost
  EXPECT_DOUBLE_EQ(c.seconds_until_due(1.5, 0.049), 3.5);
  EXPECT_DOUBLE_EQ(c.seconds_until_due(7.0, 0.0), 0.0);
}

TEST(CommitCadence, ASlowCommitHoldsTheNextBackByNineTimesItsDuration) {
  const CommitCadence c{1000, 5.0};
  // 1 s to commit: not before 9 s, whatever the events or the interval say.
  EXPECT_FALSE(c.due(8.9, 1'000'000, 1.0));
  EXPECT_FALSE(c.due(6.0, 0, 1.0));
  EXPECT_TRUE(c.due(9.0, 1000, 1.0));
  EXPECT_TRUE(c.due(9.0, 0, 1.0));
  EXPECT_DOUBLE_EQ(c.seconds_until_due(2.0, 1.0), 7.0);
  // 0.1 s: 0.9 s of spacing, inside the interval, so only events bring it forward.
  EXPECT_FALSE(c.due(0.8, 1000, 0.1));
  EXPECT_TRUE(c.due(0.9, 1000, 0.1));
  EXPECT_FALSE(c.due(0.9, 999, 0.1));
  EXPECT_DOUBLE_EQ(c.seconds_until_due(1.0, 0.1), 4.0);
}

// Committing takes at most about a tenth of the time, however slow each
// commit is: a run whose commits each cost a second commits about every ten.
TEST(CommitCadence, CommittingStaysWithinATenthOfTheRun) {
  const CommitCadence c{1, 0.001};  // the most eager configuration
  for (double cost : {0.05, 0.3, 2.0, 30.0}) {
    double now = 0, committing = 0, last = -1e9, last_cost = 0;
    while (now < 1000 * cost) {
      if (c.due(now - last, 1, last_cost)) {  // the time since the last one ended
        now += cost;
        last = now;
        last_cost = cost;
        committing += cost;
      }
      now += cost / 100;  // events keep coming
    }
    EXPECT_LE(committing / now, 0.101) << cost;
    EXPECT_GE(committing / now, 0.09) << cost;
  }
}

}  // namespace
}  // namespace halo
