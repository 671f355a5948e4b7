// segment_membership_e2e_test.cpp -- live segment membership through the
// `halo` binary: memberships kept incrementally over runs with random new
// events and a moving reference time equal an evaluation from scratch
// (`halo segment preview`) after every run, and a rebuild; entries and
// exits are recorded; a changed or removed segment updates the stored
// memberships; `halo segment list|show|export` and `halo profile get` show
// them.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <regex>
#include <set>

#include "e2e_support.h"

namespace halo::e2e::segment_membership_e2e_test {
namespace {

constexpr int64_t kStart = 1'767'225'600;  // 2026-01-01T00:00:00Z, seconds
constexpr int64_t kDay = 86'400;

const char *kSegments = R"y(segments:
  - { name: repeat, expression: "features.orders >= 2" }
  - { name: big, expression: "features.revenue > 600" }
  - { name: tehran, description: lives in Tehran, expression: "traits.city == 'Tehran'" }
  - { name: lapsed, expression: "features.last_order < now() - 7d" }
  - name: active_big
    expression: "(features.last_order >= now() - 15d and features.revenue > 300) or traits.city in ['Shiraz']"
  - { name: anonymous, expression: "not exists(identifiers.user_id)" }
  - { name: lapsed_repeat, expression: "in_segment(repeat) and in_segment(lapsed)" }
)y";

std::string pipeline_text(int64_t as_of, const std::string &segments) {
  return segment_pipeline_text(
      as_of,
      "{ orders: { count: { event: Order Completed } }, revenue: { sum: { event: Order "
      "Completed, field: properties.revenue } }, last_order: { last: { event: Order Completed } "
      "} }",
      segments);
}

// `count` random events between `from` and `from + 10d`: orders, city
// traits, and page views that tie a user to a shared device (merges).
std::string random_events(std::mt19937 &rng, int64_t from, int count, int &message) {
  const char *cities[] = {"Tehran", "Tabriz", "Shiraz"};
  std::string out;
  for (int i = 0; i < count; ++i) {
    const std::string user = "u" + std::to_string(rng() % 40);
    const std::string at = iso_utc(from + static_cast<int64_t>(rng() % (10 * kDay)));
    const std::string id = "m" + std::to_string(message++);
    switch (rng() % 4) {
      case 0:
      case 1:
        out += R"({"type":"track","event":"Order Completed","userId":")" + user +
               R"(","messageId":")" + id + R"(","timestamp":")" + at +
               R"(","properties":{"revenue":)" + std::to_string(1 + rng() % 400) + "}}\n";
        break;
      case 2:
        out += R"({"type":"identify","userId":")" + user + R"(","messageId":")" + id +
               R"(","timestamp":")" + at + R"(","traits":{"city":")" + cities[rng() % 3] + "\"}}\n";
        break;
      default: {
        // Sometimes a device alone (an anonymous profile), sometimes a user on it.
        const std::string device = "d" + std::to_string(rng() % 60);
        const std::string who = rng() % 3 == 0 ? "" : R"("userId":")" + user + R"(",)";
        out += R"({"type":"track","event":"Page Viewed",)" + who + R"("anonymousId":")" + device +
               R"(","messageId":")" + id + R"(","timestamp":")" + at + "\"}\n";
      }
    }
  }
  return out;
}

// Profile id -> its segments, from an export.
std::map<std::string, std::set<std::string>> exported_memberships(const std::string &path) {
  static const std::regex id(R"re("profile_id":"(\d+)")re"),
      segments(R"re("segments":\[([^\]]*)\])re"), name(R"re("([^"]+)")re");
  std::map<std::string, std::set<std::string>> out;
  for (const std::string &line : read_lines(path)) {
    std::smatch m, s;
    EXPECT_TRUE(std::regex_search(line, m, id) && std::regex_search(line, s, segments)) << line;
    auto &of = out[m[1]];
    const std::string list = s[1];
    for (std::sregex_iterator it(list.begin(), list.end(), name), end; it != end; ++it) {
      of.insert((*it)[1]);
    }
  }
  return out;
}

// The profile ids `halo segment preview` matches for segment `name`.
std::set<std::string> previewed(const std::string &pipeline, const std::string &name) {
  CommandResult r = run(
      {halo_bin(), "segment", "preview", pipeline, name, "--limit", "100000", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  static const std::regex id(R"re("profile_id":"(\d+)")re");
  std::set<std::string> out;
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), id), end; it != end; ++it) {
    out.insert((*it)[1]);
  }
  return out;
}

std::set<std::string> members_of(const std::map<std::string, std::set<std::string>> &exported,
                                 const std::string &segment) {
  std::set<std::string> out;
  for (const auto &[id, segments] : exported) {
    if (segments.count(segment)) out.insert(id);
  }
  return out;
}

const char *kNames[] = {"repeat",     "big",       "tehran",       "lapsed",
                        "active_big", "anonymous", "lapsed_repeat"};

TEST(SegmentMembershipE2E, IncrementalMembershipEqualsEvaluationFromScratch) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  std::mt19937 rng(20261202);
  std::string events;
  int message = 0;
  long entries = 0, exits = 0;
  // Round 3 adds nothing: only time moves, and `lapsed`/`active_big` follow it.
  const int counts[] = {120, 60, 80, 0, 40, 0};
  for (int round = 0; round < 6; ++round) {
    const int64_t from = kStart + round * 10 * kDay;
    events += random_events(rng, from, counts[round], message);
    write_file(dir / "events.jsonl", events);
    write_file(p, pipeline_text(from + 10 * kDay, kSegments));
    RunOutcome r = run_pipeline(p);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    entries += summary_count(r.summary, "segment_entries");
    exits += summary_count(r.summary, "segment_exits");
    const auto exported = exported_memberships(dir / "profiles.jsonl");
    for (const char *name : kNames) {
      EXPECT_EQ(members_of(exported, name), previewed(p, name))
          << "segment " << name << " after round " << round;
    }
  }
  EXPECT_GT(exits, 0);  // time and merges made some leave
  // Sizes and the recorded history agree with the export.
  const auto exported = exported_memberships(dir / "profiles.jsonl");
  CommandResult list = run({halo_bin(), "segment", "list", p, "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  long history = 0;
  for (const char *name : kNames) {
    const std::string key = std::string("\"name\":\"") + name + "\"";
    const size_t at = list.out.find(key);
    ASSERT_NE(at, std::string::npos) << list.out;
    EXPECT_EQ(json_number(list.out.substr(at), "size"),
              static_cast<double>(members_of(exported, name).size()))
        << name;
    CommandResult show = run({halo_bin(), "segment", "show", p, name, "--format", "json"});
    ASSERT_EQ(show.exit_code, 0) << show.err;
    EXPECT_EQ(json_number(show.out, "entries") - json_number(show.out, "exits"),
              static_cast<double>(members_of(exported, name).size()))
        << show.out;
    history += static_cast<long>(json_number(show.out, "entries") + json_number(show.out, "exits"));
  }
  EXPECT_GE(history, entries + exits);  // and the exits of profiles merged away

  // A rebuild from the event log gives the same memberships, and records
  // no entry or exit: nothing differs.
  CommandResult rebuild = run({halo_bin(), "rebuild", p, "-q", "--summary-json", "-"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_EQ(exported_memberships(dir / "profiles.jsonl"), exported);
  EXPECT_EQ(summary_count(rebuild.out, "segment_entries"), 0) << rebuild.out;
  EXPECT_EQ(summary_count(rebuild.out, "segment_exits"), 0) << rebuild.out;
  long after = 0;
  for (const char *name : kNames) {
    CommandResult show = run({halo_bin(), "segment", "show", p, name, "--format", "json"});
    after += static_cast<long>(json_number(show.out, "entries") + json_number(show.out, "exits"));
  }
  EXPECT_EQ(after, history);
  EXPECT_EQ(run({halo_bin(), "store", "check", p}).exit_code, 0);
}

// More profiles than a page (1,000) and than a large evaluation's
// threshold (8,000 changed): the pages read ahead on a connection of their
// own, from scratch and incrementally, give what a preview gives.
TEST(SegmentMembershipE2E, ManyPagesReadAheadGiveTheMembershipsOfAPreview) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  std::mt19937 rng(20261206);
  const char *cities[] = {"Tehran", "Tabriz", "Shiraz"};
  std::string events;
  int message = 0;
  for (int round = 0; round < 2; ++round) {
    const int64_t at = kStart + round * 10 * kDay;
    for (int user = 0; user < 9'000; ++user) {
      auto who = [&] {
        return R"("userId":"u)" + std::to_string(user) + R"(","messageId":"m)" +
               std::to_string(message++) + R"(","timestamp":")" +
               iso_utc(at + static_cast<int64_t>(rng() % kDay)) + "\"";
      };
      events += R"({"type":"track","event":"Order Completed",)" + who() +
                R"(,"properties":{"revenue":)" + std::to_string(1 + rng() % 500) + "}}\n";
      if (rng() % 3 == 0) {
        events += R"({"type":"identify",)" + who() + R"(,"traits":{"city":")" + cities[rng() % 3] +
                  "\"}}\n";
      }
    }
    write_file(dir / "events.jsonl", events);
    write_file(p, pipeline_text(at + 10 * kDay, kSegments));
    RunOutcome r = run_pipeline(p);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(summary_count(r.summary, "segments_evaluated"), 9'000) << r.summary;
    const auto exported = exported_memberships(dir / "profiles.jsonl");
    ASSERT_EQ(exported.size(), 9'000u);
    for (const char *name : kNames) {
      const std::set<std::string> members = members_of(exported, name);
      EXPECT_EQ(members, previewed(p, name)) << "segment " << name << " after round " << round;
      if (std::string(name) == "repeat") {
        EXPECT_EQ(members.size(), round == 0 ? 0u : 9'000u);
      }
    }
  }
  EXPECT_EQ(run({halo_bin(), "store", "check", p}).exit_code, 0);
}

TEST(SegmentMembershipE2E, ChangedAndRemovedSegmentsUpdateStoredMemberships) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  write_file(dir / "events.jsonl", shop_events(6) + shop_changes());
  const std::string two =
      "segments:\n  - { name: repeat, expression: \"features.orders >= 2\" }\n"
      "  - { name: buyers, expression: \"features.orders >= 1\" }\n";
  write_file(p, pipeline_text(kStart + 30 * kDay, two));
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "segment_entries"), 7);  // c3 twice, c0..c5 once
  EXPECT_NE(
      exported_profile(dir / "profiles.jsonl", "c3").find(R"("segments":["buyers","repeat"])"),
      std::string::npos);
  // Nothing new: nothing evaluated.
  r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "segments_evaluated"), 0);

  // `repeat` now needs three orders (c3 leaves), `buyers` is gone.
  write_file(p, pipeline_text(kStart + 30 * kDay,
                              "segments:\n  - { name: repeat, expression: \"features.orders >= "
                              "3\" }\n"));
  r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "segment_exits"), 1);
  for (const std::string &line : read_lines(dir / "profiles.jsonl")) {
    EXPECT_NE(line.find(R"("segments":[])"), std::string::npos) << line;
  }
  CommandResult show = run({halo_bin(), "segment", "show", p, "repeat"});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("size         0 profiles"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("history      1 entries, 1 exits"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("exited   profile"), std::string::npos) << show.out;
  // A reference to a segment that is not declared, or a cycle: refused by
  // validate and run alike.
  write_file(p,
             pipeline_text(kStart + 30 * kDay,
                           "segments:\n  - { name: repeat, expression: \"in_segment(byers)\" }\n"));
  CommandResult v = run({halo_bin(), "validate", p});
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_NE(v.err.find("in_segment(byers): no segment named 'byers' is declared"),
            std::string::npos)
      << v.err;
  EXPECT_EQ(run_pipeline(p).exit_code, 2);
  write_file(p, pipeline_text(kStart + 30 * kDay,
                              "segments:\n  - { name: repeat, expression: \"features.orders >= "
                              "3\" }\n"));
  CommandResult gone = run({halo_bin(), "segment", "show", p, "buyers"});
  EXPECT_EQ(gone.exit_code, 2);
  EXPECT_NE(gone.err.find("'buyers' is not a segment of"), std::string::npos) << gone.err;
  EXPECT_EQ(run({halo_bin(), "store", "check", p}).exit_code, 0);
}

// Segments removed together go together: each one's members are read once
// the previous one's removal is written (they share the store connection).
TEST(SegmentMembershipE2E, SeveralSegmentsRemovedAtOnceAllGo) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  write_file(dir / "events.jsonl", shop_events(6) + shop_changes());
  write_file(p,
             pipeline_text(kStart + 30 * kDay,
                           "segments:\n  - { name: repeat, expression: \"features.orders >= 2\" }\n"
                           "  - { name: buyers, expression: \"features.orders >= 1\" }\n"
                           "  - { name: anyone, expression: \"exists(features.orders)\" }\n"));
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(exported_profile(dir / "profiles.jsonl", "c3")
                .find(R"("segments":["anyone","buyers","repeat"])"),
            std::string::npos);
  write_file(p, pipeline_text(kStart + 30 * kDay,
                              "segments:\n  - { name: repeat, expression: \"features.orders >= "
                              "2\" }\n"));
  r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(exported_profile(dir / "profiles.jsonl", "c3").find(R"("segments":["repeat"])"),
            std::string::npos);
  for (const char *name : {"buyers", "anyone"}) {
    EXPECT_EQ(run({halo_bin(), "segment", "show", p, name}).exit_code, 2) << name;
  }
  EXPECT_EQ(run({halo_bin(), "store", "check", p}).exit_code, 0);
}

TEST(SegmentMembershipE2E, ExportListsMembersAsJsonlOrCsvAndProfileGetShowsSegments) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  write_file(
      dir / "events.jsonl",
      shop_events(4) + shop_changes() +
          R"({"type":"identify","userId":"c3","messageId":"t3","timestamp":"2026-01-06T12:00:00Z","traits":{"name":"Sara, \"S\" Ahmadi"}})"
          "\n");
  const std::string segments =
      "segments:\n  - { name: repeat, expression: \"features.orders >= 2\" }\n"
      "  - { name: tabriz, expression: \"traits.city == 'Tabriz'\" }\n";
  write_file(p, pipeline_text(kStart + 30 * kDay, segments));
  // Not evaluated yet: no store.
  EXPECT_EQ(run({halo_bin(), "segment", "export", p, "repeat"}).exit_code, 3);
  ASSERT_EQ(run_pipeline(p).exit_code, 0);

  CommandResult jsonl = run({halo_bin(), "segment", "export", p, "repeat"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  EXPECT_EQ(std::count(jsonl.out.begin(), jsonl.out.end(), '\n'), 1) << jsonl.out;
  EXPECT_EQ(jsonl.out, exported_profile(dir / "profiles.jsonl", "c3") + "\n");

  CommandResult csv = run({halo_bin(), "segment", "export", p, "repeat", "--format", "csv",
                           "--fields", "identifiers.user_id,traits.name,features.orders,segments"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out,
            "identifiers.user_id,traits.name,features.orders,segments\r\n"
            "c3,\"Sara, \"\"S\"\" Ahmadi\",2,repeat\r\n");
  CommandResult tabriz = run({halo_bin(), "segment", "export", p, "tabriz", "--format", "csv",
                              "--fields", "identifiers.anonymous_id,identifiers.user_id"});
  EXPECT_EQ(tabriz.out, "identifiers.anonymous_id,identifiers.user_id\r\nanon,c5\r\n");
  CommandResult only =
      run({halo_bin(), "segment", "export", p, "repeat", "--fields", "features.orders"});
  EXPECT_EQ(only.out.find("\"name\""), std::string::npos) << only.out;  // traits not named: none
  EXPECT_NE(only.out.find(R"("features":{"orders":2})"), std::string::npos) << only.out;

  CommandResult get = run({halo_bin(), "profile", "get", p, "--id", "user_id=c5"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_NE(get.out.find(R"("segments":["tabriz"])"), std::string::npos) << get.out;

  EXPECT_EQ(run({halo_bin(), "segment", "export", p, "nope"}).exit_code, 2);
  CommandResult bad = run({halo_bin(), "segment", "export", p, "repeat", "--fields", "city"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--fields: 'city' is not"), std::string::npos) << bad.err;
  CommandResult list = run({halo_bin(), "segment", "list", p});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("repeat"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace halo::e2e::segment_membership_e2e_test
