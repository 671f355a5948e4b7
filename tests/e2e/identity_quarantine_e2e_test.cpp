// Over-shared identifier values: a phone three people typed, each with an
// account of their own, is quarantined once it would link more profiles
// than `quarantine_after`; the run then gives what a run that never used it
// gives, and later runs keep it out.
#include <gtest/gtest.h>

#include <string>

#include "e2e_support.h"

namespace halo::e2e::identity_quarantine_e2e_test {
namespace {

// The shop's phone, typed by three customers at the till; the last event
// names nobody but the phone.
const char *kEvents =
    R"({"type":"identify","messageId":"m1","userId":"u1","traits":{"phone":"09121234567","name":"Ali"},"timestamp":"2026-01-01T00:00:00Z"}
{"type":"identify","messageId":"m2","userId":"u2","traits":{"phone":"0912 123 4567","name":"Sara"},"timestamp":"2026-01-02T00:00:00Z"}
{"type":"track","event":"Order Completed","messageId":"m3","userId":"u2","properties":{"revenue":10},"timestamp":"2026-01-03T00:00:00Z"}
{"type":"identify","messageId":"m4","userId":"u3","traits":{"phone":"+989121234567","name":"Reza"},"timestamp":"2026-01-04T00:00:00Z"}
{"type":"track","event":"Order Completed","messageId":"m5","userId":"u1","properties":{"revenue":25},"timestamp":"2026-01-05T00:00:00Z"}
{"type":"track","event":"Order Completed","messageId":"m6","context":{"traits":{"phone":"09121234567"}},"properties":{"revenue":7},"timestamp":"2026-01-06T00:00:00Z"}
)";

// DIR/p.yaml over DIR/events.jsonl, exporting to DIR/profiles.jsonl; the
// phone identifier gets `phone_extra`.
std::string pipeline(const TempDir &dir, const std::string &phone_extra) {
  write_file(dir / "events.jsonl", kEvents);
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: halo.db }\n"
             "identity:\n  identifiers:\n"
             "    - { type: user_id, priority: 1, max_per_profile: 1 }\n"
             "    - { type: phone, priority: 3" +
                 phone_extra +
                 " }\n"
                 "sources:\n  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }\n"
                 "features:\n  - name: orders\n    plugin: aggregates\n    config:\n      "
                 "features:\n"
                 "        order_count: { count: { event: Order Completed } }\n"
                 "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: "
                 "profiles.jsonl } }\n");
  return dir / "p.yaml";
}

TEST(IdentityQuarantine, AnOverSharedValueEndsAsIfItWereBlockedFromTheStart) {
  TempDir shared_dir, blocked_dir;
  const std::string shared = pipeline(shared_dir, ", quarantine_after: 2");
  RunOutcome r = run_pipeline(shared);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "quarantined_identifiers"), 1) << r.summary;
  EXPECT_NE(r.err.find("phone '+989121234567' quarantined: would link 3 distinct profiles "
                       "(quarantine_after: 2)"),
            std::string::npos)
      << r.err;

  const std::string blocked = pipeline(blocked_dir, ", ignore: [\"09121234567\"]");
  RunOutcome b = run_pipeline(blocked);
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(summary_count(b.summary, "quarantined_identifiers"), 0);
  EXPECT_EQ(profiles_without_ids(shared_dir / "profiles.jsonl"),
            profiles_without_ids(blocked_dir / "profiles.jsonl"));
  std::vector<Profile> profiles = read_profiles(shared_dir / "profiles.jsonl");
  ASSERT_EQ(profiles.size(), 3u);
  for (const Profile &p : profiles) EXPECT_EQ(p.identifiers.count("phone"), 0u) << p.line;
  // The phone-only order names nobody now: it stays in the event log, but it
  // is not Ali's order any more.
  for (const Profile &p : profiles) {
    if (p.identifiers.at("user_id").count("u1")) {
      EXPECT_EQ(p.order_count, "1") << p.line;
    }
  }

  CommandResult list = run({halo_bin(), "identity", "unmerge", shared, "--list"});
  EXPECT_NE(list.out.find("  phone +989121234567  (quarantined: would link 3 distinct profiles "
                          "(quarantine_after: 2))\n"),
            std::string::npos)
      << list.out;

  // Later runs and rebuilds keep it out.
  write_file(
      shared_dir / "events.jsonl",
      std::string(kEvents) +
          R"({"type":"identify","messageId":"m7","userId":"u4","traits":{"phone":"09121234567"},"timestamp":"2026-01-07T00:00:00Z"})"
          "\n");
  RunOutcome again = run_pipeline(shared);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(summary_count(again.summary, "quarantined_identifiers"), 0);
  EXPECT_EQ(summary_count(again.summary, "conflicts"), 0);
  EXPECT_EQ(read_profiles(shared_dir / "profiles.jsonl").size(), 4u);
  ASSERT_EQ(run({halo_bin(), "rebuild", shared, "-q"}).exit_code, 0);
  EXPECT_EQ(read_profiles(shared_dir / "profiles.jsonl").size(), 4u);
}

TEST(IdentityQuarantine, AValueWithinItsLimitKeepsLinking) {
  for (const char *extra : {", quarantine_after: 3", ", quarantine_after: 0"}) {
    TempDir dir;
    const std::string p = pipeline(dir, extra);
    RunOutcome r = run_pipeline(p);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(summary_count(r.summary, "quarantined_identifiers"), 0) << extra;
    EXPECT_EQ(summary_count(r.summary, "conflicts"), 2) << extra;  // u2 and u3 demote it
    size_t with_phone = 0;
    for (const Profile &p : read_profiles(dir / "profiles.jsonl")) {
      with_phone += p.identifiers.count("phone");
    }
    EXPECT_EQ(with_phone, 1u) << extra;  // Ali's, who typed it first
  }
}

}  // namespace
}  // namespace halo::e2e::identity_quarantine_e2e_test
