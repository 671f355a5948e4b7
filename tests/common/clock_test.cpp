// clock_test.cpp -- the one injectable clock (common/clock.h): the real clock
// by default, a ManualClock installed by ScopedClock (nested scopes restore
// the previous clock), waits that fast-forward a manual clock and stop early
// when told, and reads from other threads while a test advances the time.
#include "common/clock.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace halo {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kNoon = 1767268800000;  // 2026-01-01T12:00:00Z

TEST(Clock, TheRealClockIsInstalledByDefault) {
  EXPECT_EQ(&current_clock(), &real_clock());
  const int64_t before = real_clock().wall_ms();
  const int64_t now = wall_ms();
  EXPECT_GE(now, before);
  EXPECT_LT(now - before, 60000);
  EXPECT_GT(now, kNoon - 86400000LL * 365);  // a real date, not a test's
}

TEST(Clock, AScopedManualClockIsReadEverywhereAndRestoredAfter) {
  {
    ManualClock manual(kNoon);
    ScopedClock installed(manual);
    EXPECT_EQ(&current_clock(), &manual);
    EXPECT_EQ(wall_ms(), kNoon);
    EXPECT_EQ(steady_seconds(), 0.0);
    manual.advance(milliseconds(1500));
    EXPECT_EQ(wall_ms(), kNoon + 1500);
    EXPECT_DOUBLE_EQ(steady_seconds(), 1.5);
  }
  EXPECT_EQ(&current_clock(), &real_clock());
}

TEST(Clock, ScopesNestAndEachRestoresTheOneBefore) {
  ManualClock outer(kNoon);
  ManualClock inner(kNoon + 1000);
  ScopedClock a(outer);
  {
    ScopedClock b(inner);
    EXPECT_EQ(wall_ms(), kNoon + 1000);
  }
  EXPECT_EQ(wall_ms(), kNoon);
}

TEST(Clock, AWallAdjustmentDoesNotMoveTheSteadyClockAndTimeNeverRunsBack) {
  ManualClock manual(kNoon);
  manual.advance(milliseconds(2000));
  manual.set_wall_ms(kNoon - 3600000);  // the wall clock was set back an hour
  EXPECT_EQ(manual.wall_ms(), kNoon - 3600000);
  EXPECT_DOUBLE_EQ(manual.steady_seconds(), 2.0);
  manual.advance(milliseconds(-500));
  EXPECT_DOUBLE_EQ(manual.steady_seconds(), 2.0);
}

TEST(Clock, WaitsFastForwardAManualClockInsteadOfSleeping) {
  ManualClock manual(kNoon);
  ScopedClock installed(manual);
  const double real_start = real_clock().steady_seconds();
  EXPECT_TRUE(wait_unless(milliseconds(3600 * 1000), [] { return false; }));  // an hour
  EXPECT_GE(manual.wall_ms(), kNoon + 3600 * 1000);
  EXPECT_LT(manual.wall_ms(), kNoon + 3600 * 1000 + 50);  // slices do not overshoot a slice
  EXPECT_LT(real_clock().steady_seconds() - real_start, 5.0);
  current_clock().sleep_for(milliseconds(250));
  EXPECT_GE(manual.wall_ms(), kNoon + 3600 * 1000 + 250);
}

TEST(Clock, AWaitEndsAsSoonAsItsStopConditionHolds) {
  ManualClock manual(kNoon);
  ScopedClock installed(manual);
  int checks = 0;
  EXPECT_FALSE(wait_unless(milliseconds(60000), [&] { return ++checks > 3; }));
  EXPECT_EQ(checks, 4);
  EXPECT_LE(manual.wall_ms(), kNoon + 3 * 50);  // three 50 ms slices at most
  EXPECT_TRUE(wait_unless(milliseconds(0), [] { return false; }));
}

TEST(Clock, ARealWaitTakesAboutItsTime) {
  const double start = real_clock().steady_seconds();
  EXPECT_TRUE(wait_unless(milliseconds(120), [] { return false; }));
  const double took = real_clock().steady_seconds() - start;
  EXPECT_GE(took, 0.119);
  EXPECT_LT(took, 5.0);
}

TEST(Clock, OtherThreadsReadTheInstalledClockWhileTheTestAdvancesIt) {
  ManualClock manual(kNoon);
  ScopedClock installed(manual);
  std::vector<std::thread> readers;
  std::vector<int> went_back(4, 0);
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&went_back, t] {
      int64_t last = 0;
      for (int i = 0; i < 20000; ++i) {
        const int64_t now = wall_ms();
        if (now < last) ++went_back[t];
        last = now;
      }
    });
  }
  for (int i = 0; i < 20000; ++i) manual.advance(milliseconds(1));
  for (auto &r : readers) r.join();
  for (int n : went_back) EXPECT_EQ(n, 0);
  EXPECT_EQ(manual.wall_ms(), kNoon + 20000);
}

}  // namespace
}  // namespace halo
