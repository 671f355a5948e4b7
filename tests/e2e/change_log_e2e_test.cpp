// change_log_e2e_test.cpp -- the end of a run is driven by the change log:
// features are computed only for profiles that changed or whose windowed
// values change with time, destinations are delivered to only when
// something changed, and each consumer resumes from its committed cursor
// after a crash between them.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "demo_fixture.h"

namespace halo::e2e::change_log_e2e_test {
namespace {

// A tiny shop: `a` ordered on Jan 10, `b` on Jan 1 (2026).
const char *kEvents =
    R"({"type":"track","event":"Order Completed","userId":"a","messageId":"m1","timestamp":"2026-01-10T10:00:00Z","properties":{"revenue":5}})"
    "\n"
    R"({"type":"track","event":"Order Completed","userId":"b","messageId":"m2","timestamp":"2026-01-01T08:00:00Z","properties":{"revenue":7}})"
    "\n";

std::string pipeline_at(const TempDir &dir, const std::string &as_of) {
  std::string yaml = R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: ")" + as_of +
                     R"(" }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
features:
  - name: orders
    plugin: aggregates
    config:
      features:
        orders: { count: { event: Order Completed } }
        orders_7d: { count: { event: Order Completed, window: 7d } }
destinations:
  - { name: out, plugin: file-jsonl, config: { path: profiles.jsonl } }
)";
  write_file(dir / "pipeline.yaml", yaml);
  return dir / "pipeline.yaml";
}

ino_t inode_of(const std::string &path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

std::string line_of(const std::string &export_path, const std::string &needle) {
  for (const std::string &l : read_lines(export_path)) {
    if (l.find(needle) != std::string::npos) return l;
  }
  return "";
}

TEST(ChangeLogE2E, ANoChangeRunComputesAndDeliversNothing) {
  TempDir dir;
  write_file(dir / "events.jsonl", kEvents);
  std::string pipeline = pipeline_at(dir, "2026-01-11T00:00:00Z");
  RunOutcome first = run_pipeline(pipeline);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(summary_count(first.summary, "features_emitted"), 2) << first.summary;
  EXPECT_EQ(summary_count(first.summary, "profiles_delivered"), 2) << first.summary;
  std::string exported = read_file(dir / "profiles.jsonl");
  ino_t inode = inode_of(dir / "profiles.jsonl");

  RunOutcome again = run_pipeline(pipeline);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(summary_count(again.summary, "features_emitted"), 0) << again.summary;
  EXPECT_EQ(summary_count(again.summary, "profiles_delivered"), 0) << again.summary;
  EXPECT_EQ(summary_count(again.summary, "profiles_restored"), 0)
      << "nothing new: no state should be loaded\n"
      << again.summary;
  EXPECT_EQ(summary_count(again.summary, "profiles"), 2) << again.summary;
  EXPECT_EQ(inode_of(dir / "profiles.jsonl"), inode) << "the export was rewritten";
  EXPECT_EQ(read_file(dir / "profiles.jsonl"), exported);
}

TEST(ChangeLogE2E, NewEventsRecomputeOnlyTheirProfileAndReplaceTheExport) {
  TempDir dir;
  write_file(dir / "events.jsonl", kEvents);
  std::string pipeline = pipeline_at(dir, "2026-01-11T00:00:00Z");
  ASSERT_EQ(run_pipeline(pipeline).exit_code, 0);
  write_file(
      dir / "events.jsonl",
      std::string(kEvents) +
          R"({"type":"track","event":"Order Completed","userId":"a","messageId":"m3","timestamp":"2026-01-10T12:00:00Z","properties":{"revenue":1}})"
          "\n");
  RunOutcome r = run_pipeline(pipeline);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "features_emitted"), 1) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "features_changed"), 1) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "profiles_delivered"), 2) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "profiles_restored"), 1) << "only a's profile\n" << r.summary;
  std::string a = line_of(dir / "profiles.jsonl", "\"a\"");
  EXPECT_NE(a.find("\"orders\":2,\"orders_7d\":2"), std::string::npos) << a;
  std::string b = line_of(dir / "profiles.jsonl", "\"b\"");
  EXPECT_NE(b.find("\"orders\":1,\"orders_7d\":0"), std::string::npos) << b;
}

// A 7-day window over day buckets: a's order (Jan 10) counts through Jan 16
// and leaves the window at Jan 17 00:00 UTC, with no new event.
TEST(ChangeLogE2E, AWindowedFeatureChangesAtTheRightTimeWithoutNewEvents) {
  TempDir dir;
  write_file(dir / "events.jsonl", kEvents);
  ASSERT_EQ(run_pipeline(pipeline_at(dir, "2026-01-11T00:00:00Z")).exit_code, 0);
  EXPECT_NE(line_of(dir / "profiles.jsonl", "\"a\"").find("\"orders_7d\":1"), std::string::npos);

  RunOutcome before = run_pipeline(pipeline_at(dir, "2026-01-16T23:59:59.999Z"));
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_EQ(summary_count(before.summary, "features_emitted"), 0) << before.summary;
  EXPECT_NE(line_of(dir / "profiles.jsonl", "\"a\"").find("\"orders_7d\":1"), std::string::npos);

  RunOutcome at = run_pipeline(pipeline_at(dir, "2026-01-17T00:00:00Z"));
  ASSERT_EQ(at.exit_code, 0) << at.err;
  EXPECT_EQ(summary_count(at.summary, "features_emitted"), 1) << at.summary;
  EXPECT_EQ(summary_count(at.summary, "features_changed"), 1) << at.summary;
  std::string a = line_of(dir / "profiles.jsonl", "\"a\"");
  EXPECT_NE(a.find("\"orders\":1,\"orders_7d\":0"), std::string::npos) << a;

  // Nothing is left to move: a later run computes nothing.
  RunOutcome later = run_pipeline(pipeline_at(dir, "2027-01-01T00:00:00Z"));
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(summary_count(later.summary, "features_emitted"), 0) << later.summary;
}

TEST(ChangeLogE2E, AChangedFeatureConfigurationRecomputesEveryProfile) {
  TempDir dir;
  write_file(dir / "events.jsonl", kEvents);
  std::string pipeline = pipeline_at(dir, "2026-01-11T00:00:00Z");
  ASSERT_EQ(run_pipeline(pipeline).exit_code, 0);
  std::string yaml = read_file(pipeline);
  yaml.replace(yaml.find("orders_7d"), 9, "recent_orders");
  write_file(pipeline, yaml);
  RunOutcome r = run_pipeline(pipeline);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "accepted"), 0) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "features_emitted"), 2) << r.summary;
  // b had no event in this run and still carries the renamed feature.
  std::string b = line_of(dir / "profiles.jsonl", "\"b\"");
  EXPECT_NE(b.find("\"recent_orders\":0"), std::string::npos) << b;
  EXPECT_EQ(b.find("orders_7d"), std::string::npos) << b;
}

constexpr const char *kOut =
    "  - { name: out, plugin: file-jsonl, config: { path: profiles.jsonl } }\n";
constexpr const char *kFull =
    "  - { name: full, plugin: file-jsonl, config: { path: full.jsonl } }\n";

// file-jsonl applies deliveries of changes (HALO_CAP_INCREMENTAL_DELIVERY):
// it gets the profiles that changed and the ids merged away, and its file
// ends byte for byte equal to a full export of the same store.
TEST(ChangeLogE2E, ADestinationThatAppliesChangesGetsOnlyWhatChanged) {
  TempDir dir;
  write_file(dir / "events.jsonl", shop_events(10));
  std::string pipeline = shop_pipeline(dir, kOut);
  RunOutcome first = run_pipeline(pipeline);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(summary_count(first.summary, "profiles_delivered"), 11) << first.summary;

  // c3 orders again; c5 shows up on the anonymous visitor's device (its
  // profile merges into c5's); a new customer.
  write_file(
      dir / "events.jsonl",
      shop_events(10) + shop_changes() +
          R"({"type":"track","event":"Order Completed","userId":"new","messageId":"o-new","timestamp":"2026-01-06T12:00:00Z"})"
          "\n");
  RunOutcome second = run_pipeline(pipeline);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(summary_count(second.summary, "merges"), 1) << second.summary;
  EXPECT_EQ(summary_count(second.summary, "profiles_delivered"), 3) << "c3, c5, new\n"
                                                                    << second.summary;
  EXPECT_EQ(read_lines(dir / "profiles.jsonl").size(), 11u);
  std::string c5 = line_of(dir / "profiles.jsonl", "\"c5\"");
  EXPECT_NE(c5.find("\"anon\""), std::string::npos) << c5;
  EXPECT_NE(c5.find("Tabriz"), std::string::npos) << c5;

  // A second destination is a new consumer: a full export, the first one
  // gets nothing.
  pipeline =
      shop_pipeline(dir, "  - { name: full, plugin: file-jsonl, config: { path: full.jsonl } }\n");
  RunOutcome third = run_pipeline(pipeline);
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(summary_count(third.summary, "profiles_delivered"), 11) << third.summary;
  EXPECT_EQ(read_file(dir / "profiles.jsonl"), read_file(dir / "full.jsonl"));
}

// A file the destination did not write as it is now (edited by hand,
// removed) is not patched: the next delivery writes it whole.
TEST(ChangeLogE2E, AnEditedOrMissingExportIsWrittenWhole) {
  TempDir dir;
  std::string events = shop_events(10);
  write_file(dir / "events.jsonl", events);
  std::string pipeline = shop_pipeline(dir, std::string(kOut) + kFull);
  ASSERT_EQ(run_pipeline(pipeline).exit_code, 0);
  int n = 0;
  for (const char *damage : {"edit", "remove"}) {
    if (std::string(damage) == "edit") {
      write_file(dir / "profiles.jsonl", read_file(dir / "profiles.jsonl") + "# a note\n");
    } else {
      std::filesystem::remove(dir / "profiles.jsonl");
    }
    events += R"({"type":"track","event":"Order Completed","userId":"c1","messageId":"again-)" +
              std::to_string(++n) + R"(","timestamp":"2026-01-07T10:00:00Z"})" + "\n";
    write_file(dir / "events.jsonl", events);
    RunOutcome r = run_pipeline(pipeline);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // 11 to the damaged one, 1 to the intact one.
    EXPECT_EQ(summary_count(r.summary, "profiles_delivered"), 12) << damage << "\n" << r.summary;
    EXPECT_EQ(read_file(dir / "profiles.jsonl"), read_file(dir / "full.jsonl")) << damage;
  }
}

class ChangeLogCrashE2E : public DemoTest {};

// Killed after feature emission committed, before any delivery: the next
// run reads nothing new, computes nothing, and delivers exactly the export
// an uninterrupted run makes.
TEST_F(ChangeLogCrashE2E, KilledBeforeDeliveryTheNextRunDeliversTheSameExport) {
  TempDir clean, crashed;
  CommandResult c = run({halo_bin(), "run", make_pipeline(clean), "-q"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  std::string pipeline = make_pipeline(crashed);
  RunOutcome killed = run_pipeline(pipeline, {{"HALO_TEST_EXIT_BEFORE_DELIVERY", "1"}});
  ASSERT_EQ(killed.exit_code, 3) << killed.err;
  EXPECT_FALSE(std::filesystem::exists(crashed / "var/demo/profiles.jsonl"));
  RunOutcome resumed = run_pipeline(pipeline);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(summary_count(resumed.summary, "accepted"), 0) << resumed.summary;
  EXPECT_EQ(summary_count(resumed.summary, "features_emitted"), 0) << resumed.summary;
  EXPECT_GT(summary_count(resumed.summary, "profiles_delivered"), 1000) << resumed.summary;
  // Without ids: concurrent sources give ids in arrival order.
  EXPECT_EQ(profiles_without_ids(crashed / "var/demo/profiles.jsonl"),
            profiles_without_ids(clean / "var/demo/profiles.jsonl"));
}

}  // namespace
}  // namespace halo::e2e::change_log_e2e_test
