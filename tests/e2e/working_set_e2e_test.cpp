// working_set_e2e_test.cpp -- a run on an existing store loads only the
// stored profiles its new events involve (HALO_CAP_PARTIAL_RESTORE, which
// the deterministic resolver and aggregates declare), and the result is the
// one a single run over all the events gives: merges of stored profiles,
// profiles that gain events, new people, profiles due for a re-emit.
// Without the capability (a builder built against an older ABI), or once a
// run has probed more identifiers than the store has profiles, everything
// loads at once, with the same result.
#include <gtest/gtest.h>

#include <string>

#include "e2e_support.h"

namespace halo::e2e::working_set_e2e_test {
namespace {

std::string identify(const std::string &user, const std::string &email, int n) {
  return R"({"type":"identify","userId":")" + user + R"(","messageId":"i-)" + user + "-" +
         std::to_string(n) + R"(","timestamp":"2026-01-0)" + std::to_string(1 + n % 9) +
         R"(T10:00:00Z","traits":{"email":")" + email + R"(","name":")" + user + "\"}}\n";
}

std::string order(const std::string &user, int revenue, const std::string &id) {
  return R"({"type":"track","event":"Order Completed","userId":")" + user + R"(","messageId":"o-)" +
         id + R"(","timestamp":"2026-01-10T12:00:00Z",)" + R"("properties":{"revenue":)" +
         std::to_string(revenue) + "}}\n";
}

// An anonymous visitor who left an email: a profile of its own until a
// logged-in event carries the same anonymous id.
std::string anonymous(const std::string &anon, const std::string &email) {
  return R"({"type":"identify","anonymousId":")" + anon + R"(","messageId":"a-)" + anon +
         R"(","timestamp":"2026-01-05T09:00:00Z","traits":{"email":")" + email + "\"}}\n";
}

constexpr const char *kAggregates = R"(aggregates
    config:
      features:
        revenue: { sum: { event: Order Completed, field: properties.revenue } }
        orders: { count: { event: Order Completed } }
        orders_7d: { count: { event: Order Completed, window: 7d } }
)";
// The test plugin (tests/e2e/faulty_plugin.cpp), built without the
// capability.
constexpr const char *kOlderBuilder = "faulty-features\n    config: {}\n";

std::string pipeline(const TempDir &dir, const std::string &features = kAggregates) {
  std::string yaml = R"(version: 1
store: { kind: sqlite, path: halo.db }
run: { as_of: "2026-01-12T00:00:00Z" }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: email, priority: 4, max_per_profile: 5 }
    - { type: anonymous_id, priority: 9, max_per_profile: 100 }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
features:
  - name: shop
    plugin: )" + features +
                     R"(destinations:
  - { name: out, plugin: file-jsonl, config: { path: profiles.jsonl } }
)";
  write_file(dir / "pipeline.yaml", yaml);
  return dir / "pipeline.yaml";
}

// 200 customers, each identified with an email and with one order, and one
// anonymous visitor.
std::string first_events() {
  std::string out;
  for (int i = 0; i < 200; ++i) {
    std::string u = "u" + std::to_string(i);
    out += identify(u, u + "@shop.test", i) + order(u, i, u);
  }
  return out + anonymous("anon-9", "nine@home.test");
}

// u7 orders again; u9 logs in on the anonymous visitor's device (the two
// stored profiles merge); a new customer appears.
std::string later_events() {
  return order("u7", 100, "u7-b") +
         R"({"type":"track","event":"Order Completed","userId":"u9","anonymousId":"anon-9","messageId":"o-u9-b","timestamp":"2026-01-11T12:00:00Z","properties":{"revenue":3}})"
         "\n" +
         identify("u500", "new@shop.test", 1) + order("u500", 50, "u500");
}

// The export of one run over all the events, for comparison.
std::string single_run_export(const std::string &events) {
  TempDir dir;
  write_file(dir / "events.jsonl", events);
  RunOutcome r = run_pipeline(pipeline(dir));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return profiles_without_ids(dir / "profiles.jsonl");
}

TEST(WorkingSetE2E, AnIncrementalRunLoadsOnlyTheStoredProfilesItsEventsInvolve) {
  TempDir dir;
  const std::string path = pipeline(dir);
  write_file(dir / "events.jsonl", first_events());
  RunOutcome first = run_pipeline(path);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(summary_count(first.summary, "profiles"), 201) << first.summary;
  EXPECT_EQ(summary_count(first.summary, "profiles_restored"), 0) << first.summary;

  write_file(dir / "events.jsonl", first_events() + later_events());
  RunOutcome second = run_pipeline(path);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  // u7, and u9 with the anonymous profile merged into it.
  EXPECT_EQ(summary_count(second.summary, "profiles_restored"), 3) << second.summary;
  EXPECT_EQ(summary_count(second.summary, "merges"), 1) << second.summary;
  EXPECT_EQ(summary_count(second.summary, "profiles"), 201) << second.summary;
  EXPECT_EQ(profiles_without_ids(dir / "profiles.jsonl"),
            single_run_export(first_events() + later_events()));
  std::string u9 = read_file(dir / "profiles.jsonl");
  u9 = u9.substr(u9.find("\"u9\""));
  u9 = u9.substr(0, u9.find('\n'));
  EXPECT_NE(u9.find("nine@home.test"), std::string::npos) << u9;
  EXPECT_NE(u9.find("\"orders\":2"), std::string::npos) << u9;
  // The summary says where the time went: loading the three profiles,
  // emitting and delivering, each within the run's wall time.
  const double seconds = summary_seconds(second.summary, "seconds");
  for (const char *stage : {"restore", "emit", "deliver"}) {
    const double t = summary_seconds(second.summary, stage);
    EXPECT_GT(t, 0) << stage << "\n" << second.summary;
    EXPECT_LE(t, seconds) << stage << "\n" << second.summary;
  }
}

TEST(WorkingSetE2E, ADueReemitLoadsItsProfileWithoutNewEvents) {
  TempDir dir;
  const std::string path = pipeline(dir);
  write_file(dir / "events.jsonl", first_events());
  ASSERT_EQ(run_pipeline(path).exit_code, 0);
  // A week after the Jan 10 orders every profile's orders_7d drops to 0.
  std::string later = read_file(path);
  later.replace(later.find("2026-01-12"), 10, "2026-01-18");
  write_file(path, later);
  RunOutcome r = run_pipeline(path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "features_emitted"), 200) << r.summary;
  EXPECT_EQ(summary_count(r.summary, "profiles_restored"), 200) << r.summary;
  std::string u3 = read_file(dir / "profiles.jsonl");
  u3 = u3.substr(u3.find("\"u3\""));
  EXPECT_NE(u3.substr(0, u3.find('\n')).find("\"orders_7d\":0"), std::string::npos) << u3;
}

TEST(WorkingSetE2E, ManyNewIdentifiersLoadEverythingAtOnceWithTheSameResult) {
  TempDir dir;
  const std::string path = pipeline(dir);
  write_file(dir / "events.jsonl", first_events());
  ASSERT_EQ(run_pipeline(path).exit_code, 0);
  // More distinct identifiers than the probe budget (10,000 at least).
  std::string many = later_events();
  for (int i = 0; i < 10'200; ++i) {
    many += order("n" + std::to_string(i), 1, "n" + std::to_string(i));
  }
  write_file(dir / "events.jsonl", first_events() + many);
  RunOutcome r = run_pipeline(path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "profiles_restored"), 201) << r.summary;
  EXPECT_EQ(profiles_without_ids(dir / "profiles.jsonl"), single_run_export(first_events() + many));
}

TEST(WorkingSetE2E, ABuilderWithoutTheCapabilityGetsEveryProfileAtOnce) {
  TempDir dir;
  const std::string path = pipeline(dir, kOlderBuilder);
  write_file(dir / "events.jsonl", first_events());
  RunOutcome first = run_pipeline(path, {}, {"--plugin-dir", HALO_TEST_PLUGIN_DIR});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  write_file(dir / "events.jsonl", first_events() + later_events());
  RunOutcome second = run_pipeline(path, {}, {"--plugin-dir", HALO_TEST_PLUGIN_DIR});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(summary_count(second.summary, "profiles_restored"), 201) << second.summary;
}

}  // namespace
}  // namespace halo::e2e::working_set_e2e_test
