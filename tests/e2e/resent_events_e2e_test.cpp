// resent_events_e2e_test.cpp -- an event sent again (same source, same
// messageId) is dropped on any later run, whichever way the run checks its
// batches against the message keys already stored: a small run holds its
// first batches and reads the stored keys past them once or twice; a
// larger one has used those scans by its third group of batches (a group is
// at most 8 batches) and loads every stored key. Either way the result is
// the one a single run over the input without the copies gives.
#include <gtest/gtest.h>

#include <string>

#include "e2e_support.h"

namespace halo::e2e::resent_events_e2e_test {
namespace {

std::string order(int n) {
  const std::string user = "u" + std::to_string(n % 97);
  return R"({"type":"track","event":"Order Completed","userId":")" + user + R"(","messageId":"o-)" +
         std::to_string(n) + R"(","timestamp":"2026-01-10T12:00:00Z","properties":{"revenue":)" +
         std::to_string(n) + "}}\n";
}

// Orders first..last-1, once each.
std::string orders(int first, int last) {
  std::string out;
  for (int n = first; n < last; ++n) out += order(n);
  return out;
}

// 50 records a batch, so the stored log has many batches and the new
// events span several.
std::string pipeline(const TempDir &dir) {
  write_file(dir / "pipeline.yaml", R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: "2026-01-12T00:00:00Z", batch_size: 50 }
sources:
  - { name: shop, plugin: file-jsonl, config: { path: events.jsonl } }
features:
  - name: orders
    plugin: aggregates
    config:
      features:
        order_count: { count: { event: Order Completed } }
        revenue: { sum: { event: Order Completed, field: properties.revenue } }
destinations:
  - { name: out, plugin: file-jsonl, config: { path: profiles.jsonl } }
)");
  return dir / "pipeline.yaml";
}

// Stores orders 0..1999, then appends orders 2000..2000+fresh-1 with a copy
// of every `every`-th stored order among them and one of the new orders
// twice; checks the counts and that the export equals one run over the
// orders without copies.
void resend_after(int fresh, int every) {
  TempDir dir;
  const std::string yaml = pipeline(dir);
  write_file(dir / "events.jsonl", orders(0, 2000));
  RunOutcome first = run_pipeline(yaml);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(summary_count(first.summary, "accepted"), 2000) << first.summary;

  std::string appended;
  int copies = 0;
  for (int n = 2000; n < 2000 + fresh; ++n) {
    appended += order(n);
    if (n % every == 0) {
      appended += order((n * 7) % 2000);  // a stored order, sent again
      ++copies;
    }
  }
  appended += order(2000);  // a new order sent twice in the same run
  write_file(dir / "events.jsonl", read_file(dir / "events.jsonl") + appended);
  RunOutcome second = run_pipeline(yaml);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(summary_count(second.summary, "accepted"), fresh) << second.summary;
  EXPECT_EQ(summary_count(second.summary, "duplicates"), copies + 1) << second.summary;

  TempDir once;
  write_file(once / "events.jsonl", orders(0, 2000 + fresh));
  RunOutcome single = run_pipeline(pipeline(once));
  ASSERT_EQ(single.exit_code, 0) << single.err;
  EXPECT_EQ(profiles_without_ids(dir / "profiles.jsonl"),
            profiles_without_ids(once / "profiles.jsonl"));
}

TEST(ResentEvents, ASmallRunChecksItsBatchesAgainstTheStoredKeys) {
  resend_after(/*fresh=*/120, /*every=*/6);  // 3 batches: one group
}

TEST(ResentEvents, ALargerRunLoadsEveryStoredKeyAfterTwoGroups) {
  resend_after(/*fresh=*/1500, /*every=*/10);  // 33 batches: more than two groups
}

// Sent again in a later run than the one after the first: the keys of
// both earlier runs count.
TEST(ResentEvents, CopiesOfEventsFromEveryEarlierRunAreDropped) {
  TempDir dir;
  const std::string yaml = pipeline(dir);
  write_file(dir / "events.jsonl", orders(0, 500));
  ASSERT_EQ(run_pipeline(yaml).exit_code, 0);
  write_file(dir / "events.jsonl", read_file(dir / "events.jsonl") + orders(500, 1000));
  ASSERT_EQ(run_pipeline(yaml).exit_code, 0);
  write_file(dir / "events.jsonl",
             read_file(dir / "events.jsonl") + order(3) + order(700) + order(1000));
  RunOutcome third = run_pipeline(yaml);
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(summary_count(third.summary, "accepted"), 1) << third.summary;
  EXPECT_EQ(summary_count(third.summary, "duplicates"), 2) << third.summary;
}

}  // namespace
}  // namespace halo::e2e::resent_events_e2e_test
