// receipt_polls_test.cpp -- when a sent message's delivery report is asked
// for again (pipeline/receipt_polls.h): gaps doubling from `after` (at
// least 1 s) up to 1 h, never past the send + `for`, so polling ends.
#include <gtest/gtest.h>

#include "common/time_units.h"
#include "pipeline/receipt_polls.h"

namespace halo {
namespace {

PluginUse polling(int64_t after_ms, int64_t for_ms) {
  PluginUse u;
  u.receipt_poll_after_ms = after_ms;
  u.receipt_poll_for_ms = for_ms;
  return u;
}

TEST(ReceiptPolls, GapsDoubleFromAfterUpToAnHour) {
  const PluginUse u = polling(kMinuteMs, 3 * 24 * kHourMs);
  const int64_t sent = 1'000'000;
  EXPECT_EQ(next_receipt_poll(u, sent, 1, sent + kMinuteMs), sent + 2 * kMinuteMs);
  EXPECT_EQ(next_receipt_poll(u, sent, 2, sent + 2 * kMinuteMs), sent + 4 * kMinuteMs);
  EXPECT_EQ(next_receipt_poll(u, sent, 3, sent + 4 * kMinuteMs), sent + 8 * kMinuteMs);
  EXPECT_EQ(next_receipt_poll(u, sent, 7, sent + 64 * kMinuteMs), sent + 64 * kMinuteMs + kHourMs);
  EXPECT_EQ(next_receipt_poll(u, sent, 40, sent + 10 * kHourMs), sent + 11 * kHourMs);
}

TEST(ReceiptPolls, AZeroAfterStillWaitsASecond) {
  const PluginUse u = polling(0, kHourMs);
  EXPECT_EQ(next_receipt_poll(u, 0, 1, 5'000), 6'000);
  EXPECT_EQ(next_receipt_poll(u, 0, 2, 6'000), 8'000);
}

TEST(ReceiptPolls, NothingIsDueAfterTheWindowSoPollingEnds) {
  const PluginUse u = polling(kMinuteMs, 10 * kMinuteMs);
  const int64_t sent = 0;
  int64_t now = sent + kMinuteMs;
  int polls = 0;
  for (int64_t next = now; next != 0; now = next) {
    ASSERT_LT(++polls, 100) << "polling never ends";
    next = next_receipt_poll(u, sent, polls, now);
    if (next != 0) {
      EXPECT_LE(next, sent + 10 * kMinuteMs);
    }
  }
  EXPECT_EQ(polls, 4);  // at 1, 2, 4 and 8 minutes; 16 is past the window
}

}  // namespace
}  // namespace halo
