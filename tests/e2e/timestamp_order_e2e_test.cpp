// Identity limits decided by timestamps, not by arrival order
// (docs/identity.md#arrival-order), through the real binaries: shuffled
// deliveries of the same events -- in one run or over several runs --
// give the profiles of a run over the events in timestamp order, and
// `halo rebuild` gives the incremental run's export byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "e2e_support.h"

namespace halo::e2e::timestamp_order_e2e_test {
namespace {

// Limits that bind often on the people below: one user id, two emails,
// one phone, two anonymous ids a month.
const char *kPipeline = R"(version: 1
store: { kind: sqlite, path: halo.db }
identity:
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: email, priority: 2, max_per_profile: 2 }
    - { type: phone, priority: 3, max_per_profile: 1, default_region: IR }
    - { type: anonymous_id, priority: 9, max_per_profile: 2 per 30d }
sources:
  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }
destinations:
  - { name: out, plugin: file-jsonl, config: { path: profiles.jsonl } }
)";

struct TimedEvent {
  int64_t at;  // unix seconds, distinct across events
  std::string json;
};

// Eight people in four households: each household shares an email, a
// phone and a tablet; people also sign in on their own devices. Every
// event names one person through a random choice of identifiers, so
// limits bind (a second user id at a shared email, a third device in a
// month, a family phone), and which event came first decides.
std::vector<TimedEvent> household_events(uint32_t seed, int count) {
  std::mt19937 rng(seed);
  auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  std::vector<int64_t> hours(static_cast<size_t>(count) * 3);
  for (size_t h = 0; h < hours.size(); ++h) hours[h] = static_cast<int64_t>(h);
  std::shuffle(hours.begin(), hours.end(), rng);
  std::vector<TimedEvent> events;
  for (int k = 0; k < count; ++k) {
    const int person = static_cast<int>(rng() % 8), home = person / 2;
    const int64_t at = 1767225600 + hours[static_cast<size_t>(k)] * 3600;  // 2026-01-01 + h
    std::string ids, traits;
    if (chance(50)) ids += R"("userId":"u)" + std::to_string(person) + R"(",)";
    if (chance(60)) {
      const std::string device =
          chance(30) ? "tablet-" + std::to_string(home)
                     : "dev-" + std::to_string(person) + "-" + std::to_string(rng() % 3);
      ids += R"("anonymousId":")" + device + R"(",)";
    }
    if (chance(40)) {
      traits += R"("email":")" +
                (chance(50) ? "home" + std::to_string(home) : "p" + std::to_string(person)) +
                R"(@x.ir",)";
    }
    if (chance(25)) traits += R"("phone":"0912345670)" + std::to_string(home) + R"(",)";
    if (ids.empty() && traits.empty()) ids = R"("userId":"u)" + std::to_string(person) + R"(",)";
    if (!traits.empty()) traits.pop_back();
    events.push_back({at, R"({"type":"identify","messageId":"m)" + std::to_string(k) + "\"," + ids +
                              R"("traits":{)" + traits + R"(},"timestamp":")" + iso_utc(at) +
                              "\"}\n"});
  }
  return events;
}

// One event of `user` (`type`, message id `id`, more JSON members in
// `members`) at `at`, as a line.
TimedEvent user_event(const std::string &type, const std::string &id, const std::string &user,
                      const std::string &members, const std::string &at) {
  return {0, R"({"type":")" + type + R"(","messageId":")" + id + R"(","userId":")" + user + "\"," +
                 members + R"(,"timestamp":")" + at + "\"}\n"};
}

std::string lines_of(const std::vector<TimedEvent> &events, size_t begin, size_t end) {
  std::string text;
  for (size_t i = begin; i < end; ++i) text += events[i].json;
  return text;
}

class TimestampOrder : public ::testing::Test {
 protected:
  // A fresh store fed `events` in `runs` runs of about equal size; returns
  // the export, and the summary of the last run.
  std::string feed(const std::vector<TimedEvent> &events, size_t runs, std::string *summary) {
    dir_ = std::make_unique<TempDir>();
    const TempDir &dir = *dir_;
    write_file(dir / "p.yaml", kPipeline);
    std::string delivered;
    for (size_t r = 0; r < runs; ++r) {
      delivered += lines_of(events, events.size() * r / runs, events.size() * (r + 1) / runs);
      write_file(dir / "events.jsonl", delivered);
      RunOutcome out = run_pipeline(dir / "p.yaml");
      EXPECT_EQ(out.exit_code, 0) << out.err;
      if (summary) *summary = out.summary;
      last_err_ = out.err;
    }
    const std::string exported = read_file(dir / "profiles.jsonl");
    // A rebuild of the same store gives the same export, ids included.
    CommandResult rebuilt = run({halo_bin(), "rebuild", dir / "p.yaml", "-q"});
    EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
    EXPECT_EQ(read_file(dir / "profiles.jsonl"), exported) << "rebuild differs";
    exported_path_ = dir / "profiles.jsonl";
    return profiles_without_ids(dir / "profiles.jsonl");
  }
  std::unique_ptr<TempDir> dir_;  // the last store fed, kept for a look
  std::string last_err_;          // standard error of the last run
  std::string exported_path_;
};

TEST_F(TimestampOrder, ShuffledDeliveriesGiveTheProfilesOfTimestampOrder) {
  int binding = 0;  // seeds where arrival order alone would decide otherwise
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    std::vector<TimedEvent> events = household_events(seed, 60);
    std::vector<TimedEvent> sorted = events;
    std::sort(sorted.begin(), sorted.end(),
              [](const TimedEvent &a, const TimedEvent &b) { return a.at < b.at; });
    std::string summary;
    const std::string expected = feed(sorted, 1, &summary);
    // In timestamp order the run never needs a rebuild.
    EXPECT_EQ(summary.find("\"rebuilt_in_timestamp_order\":true"), std::string::npos) << summary;
    ASSERT_GT(summary_count(summary, "conflicts"), 0) << "seed " << seed << ": no limit binds";
    std::mt19937 rng(seed * 7919);
    for (int round = 0; round < 2; ++round) {
      std::shuffle(events.begin(), events.end(), rng);
      EXPECT_EQ(feed(events, 1, &summary), expected) << "seed " << seed << ", one run";
      binding += summary.find("\"rebuilt_in_timestamp_order\":true") != std::string::npos;
      EXPECT_EQ(feed(events, 3, nullptr), expected) << "seed " << seed << ", three runs";
    }
  }
  // The data must exercise the order: most shuffles meet a limit late.
  EXPECT_GE(binding, 6);
}

TEST_F(TimestampOrder, TheEarlierSignUpKeepsASharedEmailWhicheverArrivesFirst) {
  // Ali (Jan 10) and Sara (Jan 5) sign up with the family email; Sara was
  // first. Delivered in the other order, the email still goes to Sara.
  const std::vector<TimedEvent> events = {
      user_event("identify", "m1", "ali", R"("traits":{"email":"home@x.ir"})",
                 "2026-01-10T00:00:00Z"),
      user_event("identify", "m2", "sara", R"("traits":{"email":"home@x.ir"})",
                 "2026-01-05T00:00:00Z"),
  };
  for (size_t runs : {1, 2}) {
    std::string summary;
    feed(events, runs, &summary);
    EXPECT_NE(summary.find("\"rebuilt_in_timestamp_order\":true"), std::string::npos) << summary;
    EXPECT_NE(exported_profile(exported_path_, "sara")
                  .find(R"("identifiers":{"email":["home@x.ir"],"user_id":["sara"]})"),
              std::string::npos);
    const std::string ali = exported_profile(exported_path_, "ali");
    EXPECT_NE(ali.find(R"("identifiers":{"user_id":["ali"]})"), std::string::npos) << ali;
    // Ids follow the log: Ali's event was logged first.
    EXPECT_EQ(ali.rfind("{\"profile_id\":\"1\"", 0), 0u) << ali;
    // The refusal is Ali's event's, naming Sara's profile as it is now.
    CommandResult merges = run({halo_bin(), "identity", "merges", *dir_ / "p.yaml"});
    ASSERT_EQ(merges.exit_code, 0) << merges.err;
    EXPECT_NE(merges.out.find(R"("type":"email","value":"home@x.ir","profile":2,"rule":"demoted: )"
                              R"(the event's user_id 'ali' is stronger and profile 2 already )"),
              std::string::npos)
        << merges.out;
    EXPECT_NE(merges.out.find(R"("message_id":"m1")"), std::string::npos) << merges.out;
  }
}

TEST_F(TimestampOrder, LateEventsThatMeetNoLimitNeedNoRebuild) {
  // Sara's late page view touches only her own profile; no limit ever
  // decided for it, so the run keeps its arrival-order result.
  const std::vector<TimedEvent> events = {
      user_event("identify", "m1", "ali", R"("traits":{"email":"home@x.ir"})",
                 "2026-01-10T00:00:00Z"),
      user_event("identify", "m2", "sara", R"("traits":{"email":"sara@x.ir"})",
                 "2026-01-12T00:00:00Z"),
      user_event("page", "m3", "sara", R"("anonymousId":"d1")", "2026-01-03T00:00:00Z"),
  };
  std::string summary;
  feed(events, 2, &summary);
  EXPECT_NE(summary.find("\"rebuilt_in_timestamp_order\":false"), std::string::npos) << summary;
  EXPECT_EQ(summary_count(summary, "conflicts"), 0);
}

TEST_F(TimestampOrder, ARefusalAfterEveryEventOfItsProfilesIsInOrder) {
  // Sara's tablet session (Jan 3) is refused a merge with Ali's tablet
  // profile: both people's earlier events had arrived, and only an
  // unrelated later event (Reza, Jan 10) came before it. Nothing to redo.
  const std::vector<TimedEvent> events = {
      user_event("page", "m1", "reza", R"("anonymousId":"r1")", "2026-01-10T00:00:00Z"),
      user_event("page", "m2", "sara", R"("anonymousId":"s1")", "2026-01-01T00:00:00Z"),
      user_event("page", "m3", "ali", R"("anonymousId":"tablet")", "2026-01-02T00:00:00Z"),
      user_event("page", "m4", "sara", R"("anonymousId":"tablet")", "2026-01-03T00:00:00Z"),
  };
  std::string summary;
  feed(events, 1, &summary);
  EXPECT_EQ(summary_count(summary, "conflicts"), 1) << summary;
  EXPECT_NE(summary.find("\"rebuilt_in_timestamp_order\":false"), std::string::npos) << summary;
  EXPECT_EQ(last_err_.find("timestamp order"), std::string::npos) << last_err_;
}

TEST_F(TimestampOrder, ALateSightingMovesAWindowedLinkEarlierWithoutARebuild) {
  // Ali's devices, at most two a month: dev-a on Jan 20, dev-b on Jan 25;
  // then an old sighting of dev-a on Jan 1 arrives. In timestamp order
  // dev-a was linked on Jan 1, so dev-c on Feb 5 is his second device of
  // the month after Jan 25, not his third since Jan 20.
  auto event = [](const char *id, const char *device, const char *at) {
    return user_event("page", id, "ali", std::string(R"("anonymousId":")") + device + "\"", at);
  };
  const std::vector<TimedEvent> events = {
      event("m1", "dev-a", "2026-01-20T00:00:00Z"), event("m2", "dev-b", "2026-01-25T00:00:00Z"),
      event("m3", "dev-a", "2026-01-01T00:00:00Z"), event("m4", "dev-c", "2026-02-05T00:00:00Z")};
  dir_ = std::make_unique<TempDir>();
  write_file(*dir_ / "p.yaml", kPipeline);
  std::string delivered;
  for (size_t i = 0; i < events.size(); ++i) {
    delivered += events[i].json;
    write_file(*dir_ / "events.jsonl", delivered);
    RunOutcome out = run_pipeline(*dir_ / "p.yaml");
    ASSERT_EQ(out.exit_code, 0) << out.err;
    // The late sighting moves a link time; nothing is rebuilt.
    EXPECT_NE(out.summary.find("\"rebuilt_in_timestamp_order\":false"), std::string::npos);
    EXPECT_EQ(out.err.find("timestamp order"), std::string::npos) << out.err;
    EXPECT_EQ(summary_count(out.summary, "conflicts"), 0) << "run " << i + 1;
  }
  EXPECT_NE(exported_profile(*dir_ / "profiles.jsonl", "ali")
                .find(R"("anonymous_id":["dev-a","dev-b","dev-c"])"),
            std::string::npos);
}

}  // namespace
}  // namespace halo::e2e::timestamp_order_e2e_test
