// fixed_clock_test.cpp -- a whole pipeline run in-process under a fixed
// clock (common/clock.h): every event's receive time is the clock's time, an
// event without a timestamp is dated by it, and with no run.as_of a windowed
// aggregate is computed as of the clock's time -- so the same input gives
// other window counts at another fixed time, and the run does not depend on
// the day the test runs. Real plugins (file-jsonl, deterministic,
// aggregates), a real SQLite store in a temporary folder.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/clock.h"
#include "config/pipeline_config.h"
#include "e2e_support.h"
#include "pipeline/pipeline.h"

namespace halo {
namespace {

constexpr int64_t kMarchFirst = 1772323200000;        // 2026-03-01T00:00:00Z
constexpr int64_t kEightyFiveDaysOn = 1779667200000;  // 2026-05-25T00:00:00Z

// Orders counted in a 90-day window and in all; no run.as_of, so the clock decides.
const char *kPipeline = R"(version: 1
store: { kind: sqlite, path: var/halo.db }
sources: [{ name: web, plugin: file-jsonl, config: { path: events.jsonl } }]
features:
  - name: orders
    plugin: aggregates
    config:
      features:
        orders_90d: { count: { event: Order Completed, window: 90d } }
        orders_all: { count: { event: Order Completed } }
destinations: [{ name: out, plugin: file-jsonl, config: { path: var/profiles.jsonl } }]
)";

// 100 days and 10 days before 2026-03-01, and one without a timestamp.
const char *kEvents =
    R"({"type":"track","event":"Order Completed","messageId":"m1","timestamp":"2025-11-21T00:00:00Z","context":{"traits":{"email":"sara@example.com"}}}
{"type":"track","event":"Order Completed","messageId":"m2","timestamp":"2026-02-19T00:00:00Z","context":{"traits":{"email":"sara@example.com"}}}
{"type":"track","event":"Order Completed","messageId":"m3","context":{"traits":{"email":"sara@example.com"}}}
)";

// Runs the pipeline on kEvents in a fresh folder with the clock fixed at
// `now`; checks that every event was received at `now` and that nothing
// moved the clock; returns the export (one profile line).
std::string run_at(int64_t now) {
  e2e::TempDir dir;
  e2e::write_file(dir / "pipeline.yaml", kPipeline);
  e2e::write_file(dir / "events.jsonl", kEvents);
  ManualClock clock(now);
  ScopedClock installed(clock);
  auto cfg = load_pipeline(dir / "pipeline.yaml");
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  RunOptions options;
  options.extra_plugin_dirs = {HALO_TEST_PLUGIN_DIR};
  auto pipeline = Pipeline::open(cfg.value(), options);
  EXPECT_TRUE(pipeline.ok()) << pipeline.status().message();
  RunSummary summary;
  Status run = pipeline.value()->run(&summary);
  EXPECT_TRUE(run.ok()) << run.message();
  std::vector<int64_t> received_at;
  Status scan = pipeline.value()->store().scan_events([&](const std::vector<LoggedEvent> &batch) {
    for (const LoggedEvent &e : batch) received_at.push_back(e.received_at_ms);
    return Status::Ok();
  });
  EXPECT_TRUE(scan.ok()) << scan.message();
  EXPECT_EQ(received_at, std::vector<int64_t>(3, now));
  EXPECT_EQ(clock.wall_ms(), now) << "nothing in a clean run waits";
  return e2e::read_file(dir / "var/profiles.jsonl");
}

TEST(FixedClockRun, ReceiveTimesAndTheDefaultAsOfAreTheClocksTime) {
  // As of 2026-03-01: the order 10 days back and the undated one (dated
  // when received) are in the 90-day window, the one 100 days back is not.
  const std::string out = run_at(kMarchFirst);
  EXPECT_NE(out.find(R"("orders_90d":2)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("orders_all":3)"), std::string::npos) << out;
}

TEST(FixedClockRun, TheSameInputLaterGivesTheWindowAsOfThatTime) {
  // 85 days on, the dated orders are 95 and 185 days old: only the undated
  // one (received now) is left in the window.
  const std::string out = run_at(kEightyFiveDaysOn);
  EXPECT_NE(out.find(R"("orders_90d":1)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("orders_all":3)"), std::string::npos) << out;
}

}  // namespace
}  // namespace halo
