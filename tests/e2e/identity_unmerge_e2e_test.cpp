// `halo identity unmerge`: detaching a wrongly shared identifier, or one
// source record that glued two people, splits the profile into exactly
// what a run without that link produces, the decision holds for later runs
// and rebuilds, and --reattach undoes it, joining again what it split.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "e2e_support.h"

namespace halo::e2e::identity_unmerge_e2e_test {
namespace {

// Ali and Sara typed the family phone on their own devices; both bought.
const char *kEvents =
    R"({"type":"identify","messageId":"m1","anonymousId":"dev-ali","traits":{"phone":"09121234567","name":"Ali"},"timestamp":"2026-01-01T00:00:00Z"}
{"type":"identify","messageId":"m2","anonymousId":"dev-sara","traits":{"phone":"0912 123 4567","name":"Sara"},"timestamp":"2026-01-02T00:00:00Z"}
{"type":"track","event":"Order Completed","messageId":"m3","anonymousId":"dev-sara","properties":{"revenue":10},"timestamp":"2026-01-03T00:00:00Z"}
{"type":"track","event":"Order Completed","messageId":"m4","anonymousId":"dev-ali","properties":{"revenue":25},"timestamp":"2026-01-04T00:00:00Z"}
{"type":"identify","messageId":"m5","anonymousId":"dev-ali","traits":{"email":"ali@x.ir"},"timestamp":"2026-01-05T00:00:00Z"}
)";

// Sara signed in once on Ali's laptop (m3): one record glues the two.
const char *kBorrowedLaptop =
    R"({"type":"identify","messageId":"m1","anonymousId":"dev-ali","traits":{"email":"ali@x.ir"},"timestamp":"2026-01-01T00:00:00Z"}
{"type":"identify","messageId":"m2","anonymousId":"dev-sara","traits":{"email":"sara@x.ir"},"timestamp":"2026-01-02T00:00:00Z"}
{"type":"identify","messageId":"m3","anonymousId":"dev-ali","traits":{"email":"sara@x.ir"},"timestamp":"2026-01-03T00:00:00Z"}
{"type":"track","event":"Order Completed","messageId":"m4","anonymousId":"dev-sara","properties":{"revenue":10},"timestamp":"2026-01-04T00:00:00Z"}
{"type":"track","event":"Order Completed","messageId":"m5","anonymousId":"dev-ali","properties":{"revenue":25},"timestamp":"2026-01-05T00:00:00Z"}
)";

// DIR/p.yaml over DIR/events.jsonl (`events`), exporting to
// DIR/profiles.jsonl; the phone identifier gets `phone_extra` (e.g. an
// ignore list).
std::string pipeline(const TempDir &dir, const std::string &phone_extra = "",
                     const std::string &events = kEvents) {
  write_file(dir / "events.jsonl", events);
  write_file(
      dir / "p.yaml",
      "version: 1\nstore: { kind: sqlite, path: halo.db }\n"
      "identity:\n  identifiers:\n"
      "    - { type: email, priority: 2 }\n"
      "    - { type: phone, priority: 3" +
          phone_extra +
          " }\n"
          "    - { type: anonymous_id, priority: 9 }\n"
          "sources:\n  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }\n"
          "features:\n  - name: orders\n    plugin: aggregates\n    config:\n      features:\n"
          "        order_count: { count: { event: Order Completed } }\n"
          "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: profiles.jsonl } "
          "}\n");
  return dir / "p.yaml";
}

CommandResult unmerge(const std::string &p, std::vector<std::string> args) {
  args.insert(args.begin(), {halo_bin(), "identity", "unmerge", p});
  return run(args);
}

TEST(IdentityUnmerge, DetachingTheSharedPhoneGivesWhatARunWithoutItGives) {
  TempDir glued_dir, clean_dir;
  const std::string glued = pipeline(glued_dir);
  ASSERT_EQ(run_pipeline(glued).exit_code, 0);
  ASSERT_EQ(read_profiles(glued_dir / "profiles.jsonl").size(), 1u);  // the family phone glued them

  CommandResult r =
      unmerge(glued, {"--detach", "phone=+98 912 123 4567", "--note", "family phone"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("detached phone +989121234567; profile 1 held 4 identifiers, now in 2 "
                       "profile(s):"),
            std::string::npos)
      << r.out;
  // Only the glued profile's events were resolved again.
  EXPECT_NE(r.err.find("profile 1 split: its 5 events resolved again"), std::string::npos) << r.err;

  const std::string clean = pipeline(clean_dir, ", ignore: [\"09121234567\"]");
  ASSERT_EQ(run_pipeline(clean).exit_code, 0);
  EXPECT_EQ(profiles_without_ids(glued_dir / "profiles.jsonl"),
            profiles_without_ids(clean_dir / "profiles.jsonl"));
  EXPECT_EQ(read_profiles(glued_dir / "profiles.jsonl").size(), 2u);

  // The decision holds: listed, kept by rebuild and by later runs.
  CommandResult list = unmerge(glued, {"--list"});
  EXPECT_NE(list.out.find("  phone +989121234567  (family phone)\n"), std::string::npos)
      << list.out;
  ASSERT_EQ(run({halo_bin(), "rebuild", glued, "-q"}).exit_code, 0);
  EXPECT_EQ(profiles_without_ids(glued_dir / "profiles.jsonl"),
            profiles_without_ids(clean_dir / "profiles.jsonl"));
  write_file(
      glued_dir / "events.jsonl",
      std::string(kEvents) +
          R"({"type":"identify","messageId":"m6","anonymousId":"dev-sara","traits":{"phone":"09121234567"},"timestamp":"2026-01-06T00:00:00Z"})"
          "\n");
  RunOutcome again = run_pipeline(glued);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(summary_count(again.summary, "merges"), 0) << again.summary;
  EXPECT_EQ(read_profiles(glued_dir / "profiles.jsonl").size(), 2u);

  // Reattached, the phone glues them again: its three events link the two
  // profiles without a rebuild, into what the first run gave (m6 is the
  // same person's).
  CommandResult back = unmerge(glued, {"--reattach", "phone=09121234567"});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_NE(back.err.find("phone +989121234567 linked again: its 3 events joined 2 profile(s)"),
            std::string::npos)
      << back.err;
  EXPECT_EQ(read_profiles(glued_dir / "profiles.jsonl").size(), 1u);
  EXPECT_EQ(unmerge(glued, {"--list"}).out, "");
  TempDir never_dir;
  const std::string never = pipeline(never_dir, "", read_file(glued_dir / "events.jsonl"));
  ASSERT_EQ(run_pipeline(never).exit_code, 0);
  EXPECT_EQ(profiles_without_ids(glued_dir / "profiles.jsonl"),
            profiles_without_ids(never_dir / "profiles.jsonl"));
  ASSERT_EQ(run({halo_bin(), "rebuild", glued, "-q"}).exit_code, 0);
  EXPECT_EQ(profiles_without_ids(glued_dir / "profiles.jsonl"),
            profiles_without_ids(never_dir / "profiles.jsonl"));
}

TEST(IdentityUnmerge, RefusesWhatItCannotDo) {
  TempDir dir;
  const std::string p = pipeline(dir);
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  CommandResult r = unmerge(p, {"--detach", "email=nobody@x.ir"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no profile with email 'nobody@x.ir'"), std::string::npos) << r.err;
  EXPECT_EQ(unmerge(p, {"--reattach", "email=ali@x.ir"}).exit_code, 3);  // never detached
  EXPECT_EQ(unmerge(p, {"--detach", "phone"}).exit_code, 2);
  EXPECT_EQ(unmerge(p, {}).exit_code, 2);
  EXPECT_EQ(unmerge(p, {"--list", "--detach", "phone=1"}).exit_code, 2);
  TempDir empty;
  const std::string no_store = pipeline(empty);
  EXPECT_EQ(unmerge(no_store, {"--reattach", "phone=09121234567"}).exit_code, 3);
  EXPECT_FALSE(std::filesystem::exists(empty / "halo.db"));  // nothing created
}

// The record m3 keeps only its strongest identifier (email, priority 2,
// over anonymous_id): Sara's sign-in counts for Sara, Ali's laptop stays
// Ali's -- what a run gives in which m3 never carried the device id.
TEST(IdentityUnmerge, DetachingTheRecordThatGluedTwoPeopleGivesWhatARunWithoutItGives) {
  TempDir glued_dir, clean_dir;
  const std::string glued = pipeline(glued_dir, "", kBorrowedLaptop);
  ASSERT_EQ(run_pipeline(glued).exit_code, 0);
  ASSERT_EQ(read_profiles(glued_dir / "profiles.jsonl").size(), 1u);
  const std::string original = profiles_without_ids(glued_dir / "profiles.jsonl");

  CommandResult r =
      unmerge(glued, {"--detach-record", "m3", "--source", "web", "--note", "borrowed laptop"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "detached record m3 of source web; profiles: 1 before, 2 now\n");
  EXPECT_NE(r.err.find("profile 1 split: its 5 events resolved again"), std::string::npos) << r.err;

  std::string without = kBorrowedLaptop;
  const std::string device = R"("messageId":"m3","anonymousId":"dev-ali",)";
  ASSERT_NE(without.find(device), std::string::npos);
  without.replace(without.find(device), device.size(), R"("messageId":"m3",)");
  const std::string clean = pipeline(clean_dir, "", without);
  ASSERT_EQ(run_pipeline(clean).exit_code, 0);
  EXPECT_EQ(profiles_without_ids(glued_dir / "profiles.jsonl"),
            profiles_without_ids(clean_dir / "profiles.jsonl"));
  const std::vector<Profile> split = read_profiles(glued_dir / "profiles.jsonl");
  ASSERT_EQ(split.size(), 2u);
  for (const Profile &p : split) EXPECT_EQ(p.order_count, "1") << p.line;

  // Kept by rebuilds, listed, and undone by --reattach-record.
  ASSERT_EQ(run({halo_bin(), "rebuild", glued, "-q"}).exit_code, 0);
  EXPECT_EQ(read_profiles(glued_dir / "profiles.jsonl").size(), 2u);
  EXPECT_NE(unmerge(glued, {"--list"}).out.find("  record of source web m3  (borrowed laptop)\n"),
            std::string::npos);
  CommandResult back = unmerge(glued, {"--reattach-record", "m3", "--source", "web"});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(back.out, "reattached record m3 of source web; profiles: 2 before, 1 now\n");
  EXPECT_NE(back.err.find("record m3 of source web linked again: its 1 events joined 2 profile(s)"),
            std::string::npos)
      << back.err;
  EXPECT_EQ(profiles_without_ids(glued_dir / "profiles.jsonl"), original);
  EXPECT_EQ(unmerge(glued, {"--list"}).out, "");
}

// Three more customers beside the glued pair: the split re-resolves the
// pair's five events only. The other profiles keep their lines, ids
// included; the pair's profile keeps its id for Ali and leaves the segment
// of repeat buyers it no longer belongs to; the result is what a run
// without the shared phone gives, and what a rebuild gives after it.
TEST(IdentityUnmerge, SplitsTheGluedProfileAloneAsARebuildWould) {
  std::string others;
  for (int i = 1; i <= 3; ++i) {
    const std::string u = "u" + std::to_string(i);
    others += R"({"type":"identify","messageId":"o)" + u + R"(","anonymousId":"dev-)" + u +
              R"(","traits":{"email":")" + u + R"(@x.ir"},"timestamp":"2026-01-0)" +
              std::to_string(i) + "T12:00:00Z\"}\n";
    for (int k = 0; k < i; ++k) {
      others += R"({"type":"track","event":"Order Completed","messageId":"o)" + u + "-" +
                std::to_string(k) + R"(","anonymousId":"dev-)" + u +
                R"(","timestamp":"2026-01-06T0)" + std::to_string(k) + ":00:00Z\"}\n";
    }
  }
  const std::string segments =
      "segments:\n  - { name: repeat, expression: \"features.order_count >= 2\" }\n";
  TempDir glued_dir, clean_dir;
  const std::string glued = pipeline(glued_dir, "", std::string(kEvents) + others);
  write_file(glued, read_file(glued) + segments);
  ASSERT_EQ(run_pipeline(glued).exit_code, 0);
  const std::vector<Profile> before = read_profiles(glued_dir / "profiles.jsonl");
  ASSERT_EQ(before.size(), 4u);
  ASSERT_NE(before[0].line.find(R"("segments":["repeat"])"), std::string::npos) << before[0].line;

  CommandResult r = unmerge(glued, {"--detach", "phone=09121234567"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("profile 1 split: its 5 events resolved again"), std::string::npos) << r.err;
  const std::vector<Profile> after = read_profiles(glued_dir / "profiles.jsonl");
  ASSERT_EQ(after.size(), 5u);
  for (size_t i = 1; i < before.size(); ++i) EXPECT_EQ(after[i].line, before[i].line);
  EXPECT_NE(after[0].line.find(R"("email":["ali@x.ir"])"), std::string::npos) << after[0].line;
  EXPECT_NE(after[0].line.find(R"("segments":[])"), std::string::npos) << after[0].line;
  EXPECT_NE(after[4].line.find(R"("profile_id":"5")"), std::string::npos) << after[4].line;

  const std::string clean = pipeline(clean_dir, ", ignore: [\"09121234567\"]", kEvents + others);
  write_file(clean, read_file(clean) + segments);
  ASSERT_EQ(run_pipeline(clean).exit_code, 0);
  EXPECT_EQ(profiles_without_ids(glued_dir / "profiles.jsonl"),
            profiles_without_ids(clean_dir / "profiles.jsonl"));
  ASSERT_EQ(run({halo_bin(), "rebuild", glued, "-q"}).exit_code, 0);
  EXPECT_EQ(profiles_without_ids(glued_dir / "profiles.jsonl"),
            profiles_without_ids(clean_dir / "profiles.jsonl"));
}

// The glued profile's events out of timestamp order in the log: with no
// limit binding them, the order decides nothing and the profile is split
// on its own; with a limit that counts link times in a window (a rebuild
// may resolve in timestamp order), the unmerge says so and recomputes
// everything from the log. Both give a run without the phone.
TEST(IdentityUnmerge, EventsOutOfTimestampOrderAreSplitUnlessAWindowedLimitCounts) {
  std::string late = kEvents;
  const std::string first = "2026-01-01T00:00:00Z";
  late.replace(late.find(first), first.size(), "2026-01-09T00:00:00Z");
  for (const std::string phone_extra : {"", ", max_per_profile: 3 per 30d"}) {
    TempDir glued_dir, clean_dir;
    const std::string glued = pipeline(glued_dir, phone_extra, late);
    ASSERT_EQ(run_pipeline(glued).exit_code, 0);
    CommandResult r = unmerge(glued, {"--detach", "phone=09121234567"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string expected =
        phone_extra.empty()
            ? "profile 1 split: its 5 events resolved again"
            : "profile 1 is not split on its own (its events are not in timestamp order in the "
              "log, and identity limits with a time window count link times): recomputing "
              "everything from the event log";
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    const std::string clean =
        pipeline(clean_dir, phone_extra + ", ignore: [\"09121234567\"]", late);
    ASSERT_EQ(run_pipeline(clean).exit_code, 0);
    EXPECT_EQ(profiles_without_ids(glued_dir / "profiles.jsonl"),
              profiles_without_ids(clean_dir / "profiles.jsonl"));
    EXPECT_EQ(read_profiles(glued_dir / "profiles.jsonl").size(), 2u);
  }
}

// A link an identity limit refused ties the glued profile's events to
// another profile (the second phone's event also carries Ali's device):
// resolving them alone could differ from a rebuild, so the unmerge
// rebuilds -- and the result is still a run without the detached phone.
// So does the reattach, back to the first run.
TEST(IdentityUnmerge, AnEventSharedWithAnotherProfileIsRebuiltInstead) {
  const std::string events =
      R"({"type":"identify","messageId":"m1","anonymousId":"dev-ali","traits":{"phone":"09121234567"},"timestamp":"2026-01-01T00:00:00Z"}
{"type":"identify","messageId":"m2","anonymousId":"dev-ali","traits":{"phone":"09351112222"},"timestamp":"2026-01-02T00:00:00Z"}
{"type":"identify","messageId":"m3","anonymousId":"dev-sara","traits":{"phone":"09121234567"},"timestamp":"2026-01-03T00:00:00Z"}
)";
  TempDir glued_dir, clean_dir;
  const std::string glued = pipeline(glued_dir, ", max_per_profile: 1", events);
  RunOutcome first = run_pipeline(glued);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_GT(summary_count(first.summary, "conflicts"), 0) << first.summary;
  const std::string original = profiles_without_ids(glued_dir / "profiles.jsonl");
  CommandResult r = unmerge(glued, {"--detach", "phone=09121234567"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("is not split on its own (its event 2 also carries phone "
                       "+989351112222 of profile"),
            std::string::npos)
      << r.err;
  const std::string clean =
      pipeline(clean_dir, ", max_per_profile: 1, ignore: [\"09121234567\"]", events);
  ASSERT_EQ(run_pipeline(clean).exit_code, 0);
  EXPECT_EQ(profiles_without_ids(glued_dir / "profiles.jsonl"),
            profiles_without_ids(clean_dir / "profiles.jsonl"));

  // Reattached: the limit decides again which link is refused, so the
  // link is not made on its own; the rebuild gives the first run's result.
  CommandResult back = unmerge(glued, {"--reattach", "phone=09121234567"});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_NE(back.err.find("phone +989121234567 is not linked again on its own (joining its "
                          "profiles meets an identity limit)"),
            std::string::npos)
      << back.err;
  EXPECT_EQ(profiles_without_ids(glued_dir / "profiles.jsonl"), original);
}

// A profile the reattached phone joins holds a link an identity limit
// refused (Ali's second email, over max_per_profile: 1): which link a
// limit refuses can depend on what is joined first, so the reattach
// recomputes everything -- and gives the first run's profiles.
TEST(IdentityUnmerge, AReattachNearARefusedLinkIsRebuilt) {
  const std::string events =
      R"({"type":"identify","messageId":"m1","anonymousId":"dev-ali","traits":{"email":"ali@x.ir"},"timestamp":"2026-01-01T00:00:00Z"}
{"type":"identify","messageId":"m2","anonymousId":"dev-ali","traits":{"email":"ali2@x.ir"},"timestamp":"2026-01-02T00:00:00Z"}
{"type":"identify","messageId":"m3","anonymousId":"dev-sara","traits":{"phone":"09121234567"},"timestamp":"2026-01-03T00:00:00Z"}
{"type":"identify","messageId":"m4","anonymousId":"dev-ali","traits":{"phone":"09121234567"},"timestamp":"2026-01-04T00:00:00Z"}
)";
  TempDir dir;
  const std::string p = pipeline(dir, "", events);
  write_file(p, std::regex_replace(read_file(p), std::regex("priority: 2 \\}"),
                                   "priority: 2, max_per_profile: 1 }"));
  RunOutcome first = run_pipeline(p);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_GT(summary_count(first.summary, "conflicts"), 0) << first.summary;
  const std::string original = profiles_without_ids(dir / "profiles.jsonl");
  ASSERT_EQ(unmerge(p, {"--detach", "phone=09121234567"}).exit_code, 0);
  ASSERT_NE(profiles_without_ids(dir / "profiles.jsonl"), original);
  CommandResult back = unmerge(p, {"--reattach", "phone=09121234567"});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_NE(back.err.find(" has links an identity limit refused): recomputing everything"),
            std::string::npos)
      << back.err;
  EXPECT_EQ(profiles_without_ids(dir / "profiles.jsonl"), original);
}

// On generated demo data (four sources, shared family phones, typos,
// customers who change phones, every builder and segment of the demo):
// from the same store, detaching an identifier of a profile that holds
// several gives the profiles a rebuild gives (ids aside) -- the split path
// as well as the rebuild it falls back to -- and reattaching it gives the
// profiles of the run before (linked again on their own, or rebuilt).
TEST(IdentityUnmerge, EverySplitOfDemoProfilesEqualsARebuild) {
  TempDir dir;
  CommandResult generated =
      run({datagen_bin(), "demo", "--out", dir / "data/demo", "--customers", "400", "--seed", "5"});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  const std::string p = install_demo_pipeline(dir.path());
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  const std::filesystem::path var = dir / "var/demo";
  for (const char *f : {"halo.db", "profiles.jsonl"}) {
    std::filesystem::copy_file(var / f, dir / (std::string(f) + ".snapshot"));
  }
  std::vector<std::string> candidates;  // TYPE=VALUE of profiles holding 3 or more
  for (const Profile &profile : read_profiles(var / "profiles.jsonl")) {
    size_t held = 0;
    for (const auto &[type, values] : profile.identifiers) held += values.size();
    if (held < 3) continue;
    for (const auto &[type, values] : profile.identifiers) {
      for (const std::string &v : values) candidates.push_back(type + "=" + v);
    }
  }
  ASSERT_GT(candidates.size(), 50u);
  const std::string original = profiles_without_ids(dir / "profiles.jsonl.snapshot");
  std::mt19937 pick(5);
  int split = 0, rejoined = 0;
  for (int round = 0; round < 8; ++round) {
    const std::string detach = candidates[pick() % candidates.size()];
    for (const char *f : {"halo.db-wal", "halo.db-shm"}) std::filesystem::remove(var / f);
    for (const char *f : {"halo.db", "profiles.jsonl"}) {
      std::filesystem::copy_file(dir / (std::string(f) + ".snapshot"), var / f,
                                 std::filesystem::copy_options::overwrite_existing);
    }
    CommandResult r = unmerge(p, {"--detach", detach});
    ASSERT_EQ(r.exit_code, 0) << detach << ": " << r.err;
    split += r.err.find(" split: its ") != std::string::npos;
    const std::string after_unmerge = profiles_without_ids(var / "profiles.jsonl");
    ASSERT_EQ(run({halo_bin(), "rebuild", p, "-q"}).exit_code, 0);
    EXPECT_EQ(after_unmerge, profiles_without_ids(var / "profiles.jsonl")) << detach << "\n"
                                                                           << r.err;
    // Reattached, the identifier links again what it linked before.
    CommandResult back = unmerge(p, {"--reattach", detach});
    ASSERT_EQ(back.exit_code, 0) << detach << ": " << back.err;
    rejoined += back.err.find(" linked again: ") != std::string::npos;
    EXPECT_EQ(original, profiles_without_ids(var / "profiles.jsonl"))
        << "reattached " << detach << "\n"
        << back.err;
  }
  EXPECT_GE(split, 4) << "most profiles of the demo split on their own";
  EXPECT_GE(rejoined, 4) << "and are joined again on their own";
}

TEST(IdentityUnmerge, RefusesARecordItCannotFind) {
  TempDir dir;
  const std::string p = pipeline(dir, "", kBorrowedLaptop);
  ASSERT_EQ(run_pipeline(p).exit_code, 0);
  CommandResult missing = unmerge(p, {"--detach-record", "m9", "--source", "web"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("no record 'm9' of source 'web' in the event log"), std::string::npos)
      << missing.err;
  EXPECT_EQ(unmerge(p, {"--detach-record", "m3", "--source", "crm"}).exit_code, 2);
  EXPECT_EQ(unmerge(p, {"--detach-record", "m3"}).exit_code, 2);  // which source?
  EXPECT_EQ(unmerge(p, {"--detach", "phone=1", "--source", "web"}).exit_code, 2);
  EXPECT_EQ(unmerge(p, {"--reattach-record", "m3", "--source", "web"}).exit_code, 3);
  EXPECT_EQ(read_profiles(dir / "profiles.jsonl").size(), 1u) << "nothing changed";
}

}  // namespace
}  // namespace halo::e2e::identity_unmerge_e2e_test
