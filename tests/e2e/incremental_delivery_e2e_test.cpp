// incremental_delivery_e2e_test.cpp -- the promises of
// HALO_CAP_INCREMENTAL_DELIVERY (plugin.h, halo_destination_vtable), seen
// from a destination that records every call (change-recorder in
// faulty_plugin.cpp): a first delivery is FULL; later ones are CHANGES
// (changed profiles, then the ids merged away) while the changes are fewer
// than half of the live profiles; a destination may ask for FULL but never
// turn FULL into CHANGES; a plugin declaring the flag without the vtable
// members is refused by `halo validate` and `halo run`.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "e2e_support.h"

namespace halo::e2e::incremental_delivery_e2e_test {
namespace {

std::string first_events() {
  return shop_events(6);
}

std::string pipeline(const TempDir &dir, const std::string &plugin, const std::string &answer) {
  return shop_pipeline(dir, "  - { name: rec, plugin: " + plugin + ", config: { path: \"" +
                                (dir / "calls.txt") + "\", answer: " + answer + " } }\n");
}

// The calls of one delivery, as recorded.
struct Delivery {
  std::string begin;  // "P A": proposed and answered mode
  std::vector<uint64_t> written, removed;
};

// Runs the pipeline and returns the deliveries it made (the recorder
// appends to calls.txt, which is emptied first).
std::vector<Delivery> run_and_record(const TempDir &dir, const std::string &path) {
  write_file(dir / "calls.txt", "");
  RunOutcome r = run_pipeline(path, {}, {"--plugin-dir", HALO_TEST_PLUGIN_DIR});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<Delivery> out;
  for (const std::string &line : read_lines(dir / "calls.txt")) {
    if (line.rfind("begin ", 0) == 0) out.push_back({line.substr(6), {}, {}});
    if (out.empty()) continue;
    if (line.rfind("write ", 0) == 0) out.back().written.push_back(std::stoull(line.substr(6)));
    if (line.rfind("remove ", 0) == 0) out.back().removed.push_back(std::stoull(line.substr(7)));
  }
  return out;
}

TEST(IncrementalDelivery, AfterAFullDeliveryOnlyChangesAndRemovalsFollow) {
  TempDir dir;
  write_file(dir / "events.jsonl", first_events());
  const std::string path = pipeline(dir, "change-recorder", "accept");
  std::vector<Delivery> first = run_and_record(dir, path);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].begin, "0 0") << "no earlier delivery: FULL";
  EXPECT_EQ(first[0].written.size(), 7u);
  EXPECT_TRUE(first[0].removed.empty());
  EXPECT_TRUE(std::is_sorted(first[0].written.begin(), first[0].written.end()));

  EXPECT_TRUE(run_and_record(dir, path).empty()) << "nothing changed: no delivery";

  write_file(dir / "events.jsonl", first_events() + shop_changes());
  std::vector<Delivery> second = run_and_record(dir, path);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].begin, "1 1");
  // c3 and the survivor of c5 + anon; the other one is removed.
  ASSERT_EQ(second[0].written.size(), 2u);
  ASSERT_EQ(second[0].removed.size(), 1u);
  std::set<uint64_t> before(first[0].written.begin(), first[0].written.end());
  for (uint64_t id : second[0].written) EXPECT_TRUE(before.count(id)) << id;
  EXPECT_TRUE(before.count(second[0].removed[0]));
  EXPECT_EQ(std::count(second[0].written.begin(), second[0].written.end(), second[0].removed[0]),
            0);

  // Every live profile changes: more than half, so FULL again.
  std::string all = first_events() + shop_changes();
  for (int i = 0; i < 6; ++i) {
    std::string u = "c" + std::to_string(i);
    all += R"({"type":"track","event":"Order Completed","userId":")" + u + R"(","messageId":"o3-)" +
           u + R"(","timestamp":"2026-01-07T10:00:00Z"})" + "\n";
  }
  write_file(dir / "events.jsonl", all);
  std::vector<Delivery> third = run_and_record(dir, path);
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].begin, "0 0");
  EXPECT_EQ(third[0].written.size(), 6u);
  EXPECT_TRUE(third[0].removed.empty());
}

// Orders of users u{first}..u{first + count - 1}, one each, with message
// ids tagged `tag`; for every third user also an anonymous visit (a{i}),
// a profile of its own until something links the two.
std::string orders_of(int first, int count, const std::string &tag) {
  std::string out;
  for (int i = first; i < first + count; ++i) {
    const std::string u = "u" + std::to_string(i);
    out += R"({"type":"track","event":"Order Completed","userId":")" + u + R"(","messageId":")" +
           tag + u + R"(","timestamp":"2026-01-05T10:00:00Z"})" + "\n";
    if (i % 3 == 0) {
      out += R"({"type":"page","anonymousId":"a)" + std::to_string(i) + R"(","messageId":"p)" +
             tag + u + R"(","timestamp":"2026-01-05T09:00:00Z"})" + "\n";
    }
  }
  return out;
}

// Many pages (more than a large delivery's threshold of 16,000 profiles):
// read ahead on a snapshot connection of their own, both in full and as
// changes, and delivered in order, each profile once, as a run over the
// same events from scratch delivers them.
TEST(IncrementalDelivery, ManyPagesAreReadAheadAndDeliveredInOrder) {
  TempDir dir;
  std::string events = orders_of(0, 40'000, "o1-");
  write_file(dir / "events.jsonl", events);
  const std::string file_dest = "  - { name: file, plugin: file-jsonl, config: { path: \"" +
                                (dir / "profiles.jsonl") + "\" } }\n";
  const std::string path =
      shop_pipeline(dir, "  - { name: rec, plugin: change-recorder, config: { path: \"" +
                             (dir / "calls.txt") + "\", answer: accept } }\n" + file_dest);
  std::vector<Delivery> first = run_and_record(dir, path);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].begin, "0 0");
  ASSERT_EQ(first[0].written.size(), 53'334u);  // 40,000 users, 13,334 visitors
  EXPECT_TRUE(std::is_sorted(first[0].written.begin(), first[0].written.end()));
  EXPECT_EQ(std::set<uint64_t>(first[0].written.begin(), first[0].written.end()).size(), 53'334u);

  // 17,000 users order again (changes, fewer than half), and the visitors
  // a3 and a6 turn out to be u1: their profiles merge away.
  events += orders_of(5'000, 17'000, "o2-");
  events += R"({"type":"track","event":"Order Completed","userId":"u1","anonymousId":"a3",)"
            R"("messageId":"m1","timestamp":"2026-01-06T10:00:00Z"})"
            "\n";
  events += R"({"type":"page","userId":"u1","anonymousId":"a6","messageId":"m2",)"
            R"("timestamp":"2026-01-06T11:00:00Z"})"
            "\n";
  write_file(dir / "events.jsonl", events);
  std::vector<Delivery> second = run_and_record(dir, path);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].begin, "1 1");
  // u5000..u21999, the 5,667 visitors among them, and u1.
  EXPECT_EQ(second[0].written.size(), 22'668u);
  EXPECT_TRUE(std::is_sorted(second[0].written.begin(), second[0].written.end()));
  EXPECT_EQ(second[0].removed.size(), 2u);

  // The patched export equals a run from scratch over the same events.
  TempDir fresh;
  write_file(fresh / "events.jsonl", events);
  const std::string fresh_path =
      shop_pipeline(fresh, "  - { name: file, plugin: file-jsonl, config: { path: \"" +
                               (fresh / "profiles.jsonl") + "\" } }\n");
  RunOutcome r = run_pipeline(fresh_path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> patched = read_lines(dir / "profiles.jsonl");
  EXPECT_EQ(patched.size(), 53'332u);
  EXPECT_TRUE(patched == read_lines(fresh / "profiles.jsonl"));
}

TEST(IncrementalDelivery, ADestinationMayAskForEverything) {
  TempDir dir;
  write_file(dir / "events.jsonl", first_events());
  const std::string path = pipeline(dir, "change-recorder", "full");
  ASSERT_EQ(run_and_record(dir, path).size(), 1u);
  write_file(dir / "events.jsonl", first_events() + shop_changes());
  std::vector<Delivery> second = run_and_record(dir, path);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].begin, "1 0");
  EXPECT_EQ(second[0].written.size(), 6u) << "every live profile";
  EXPECT_TRUE(second[0].removed.empty());
}

TEST(IncrementalDelivery, ADestinationCannotTurnAFullDeliveryIntoChanges) {
  TempDir dir;
  write_file(dir / "events.jsonl", first_events());
  std::vector<Delivery> first = run_and_record(dir, pipeline(dir, "change-recorder", "changes"));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].begin, "0 1");
  EXPECT_EQ(first[0].written.size(), 7u) << "delivered as FULL all the same";
}

TEST(IncrementalDelivery, TheFlagWithoutTheVtableMembersIsRefused) {
  TempDir dir;
  write_file(dir / "events.jsonl", first_events());
  const std::string path = pipeline(dir, "truncated-recorder", "accept");
  for (const char *command : {"validate", "run"}) {
    CommandResult r = run({halo_bin(), command, path, "--plugin-dir", HALO_TEST_PLUGIN_DIR});
    EXPECT_NE(r.exit_code, 0) << command;
    EXPECT_NE(r.err.find("declares HALO_CAP_INCREMENTAL_DELIVERY but its vtable lacks"),
              std::string::npos)
        << command << ": " << r.err;
  }
}

}  // namespace
}  // namespace halo::e2e::incremental_delivery_e2e_test
