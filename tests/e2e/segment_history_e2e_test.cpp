// segment_history_e2e_test.cpp -- event-history conditions of the segment
// language through the `halo` binary: `count(...)`, `sum(...)` and `did`
// within sliding windows, over runs that add events and runs where only
// time moves, equal a count made here from the events themselves; a
// rebuild agrees; a preview of history the pipeline does not keep is
// refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <regex>
#include <set>

#include "e2e_support.h"

namespace halo::e2e::segment_history_e2e_test {
namespace {

constexpr int64_t kStart = 1'767'225'600;  // 2026-01-01T00:00:00Z, seconds
constexpr int64_t kDay = 86'400;
constexpr int kUsers = 15;

const char *kSegments = R"y(segments:
  - { name: frequent, expression: "count(Order Completed within 7d) >= 2" }
  - { name: big_month, expression: "sum(Order Completed.revenue within 30d) > 500" }
  - name: browsing
    expression: "did Page Viewed within 2d and not did Order Completed within 48h"
)y";

struct Order {
  int user = 0;
  int64_t at = 0;  // seconds
  int revenue = 0;
  bool page = false;  // a Page Viewed rather than an order
};

// Whether `at` is in the window of `minutes` ending with the minute of
// `as_of`: the documented meaning of `within` (docs/segments.md).
bool within(int64_t at, int64_t as_of, int64_t minutes) {
  const int64_t last = as_of / 60;
  return at / 60 <= last && at / 60 > last - minutes;
}

std::set<std::string> expected_segments(const std::vector<Order> &events, int user, int64_t as_of) {
  int orders_7d = 0, orders_2d = 0, pages_2d = 0;
  long revenue_30d = 0;
  for (const Order &o : events) {
    if (o.user != user) continue;
    if (o.page) {
      pages_2d += within(o.at, as_of, 2 * 1440);
      continue;
    }
    orders_7d += within(o.at, as_of, 7 * 1440);
    orders_2d += within(o.at, as_of, 2 * 1440);
    if (within(o.at, as_of, 30 * 1440)) revenue_30d += o.revenue;
  }
  std::set<std::string> out;
  if (orders_7d >= 2) out.insert("frequent");
  if (revenue_30d > 500) out.insert("big_month");
  if (pages_2d > 0 && orders_2d == 0) out.insert("browsing");
  return out;
}

std::string jsonl(const std::vector<Order> &events) {
  std::string out;
  int message = 0;
  for (const Order &o : events) {
    const std::string common = R"("userId":"u)" + std::to_string(o.user) + R"(","messageId":"m)" +
                               std::to_string(message++) + R"(","timestamp":")" + iso_utc(o.at) +
                               "\"";
    out += o.page ? R"({"type":"track","event":"Page Viewed",)" + common + "}\n"
                  : R"({"type":"track","event":"Order Completed",)" + common +
                        R"(,"properties":{"revenue":)" + std::to_string(o.revenue) + "}}\n";
  }
  return out;
}

std::set<std::string> exported_segments(const std::string &line) {
  static const std::regex list(R"re("segments":\[([^\]]*)\])re"), name(R"re("([^"]+)")re");
  std::smatch m;
  std::set<std::string> out;
  if (!std::regex_search(line, m, list)) return out;
  const std::string names = m[1];
  for (std::sregex_iterator it(names.begin(), names.end(), name), end; it != end; ++it) {
    out.insert((*it)[1]);
  }
  return out;
}

// The exported line of user `u`, "" when the user has no profile yet.
std::string line_of(const std::string &export_path, int u) {
  const std::string id = R"("user_id":["u)" + std::to_string(u) + "\"]";
  for (const std::string &line : read_lines(export_path)) {
    if (line.find(id) != std::string::npos) return line;
  }
  return "";
}

std::string pipeline_text(int64_t as_of) {
  return segment_pipeline_text(as_of, "{ orders: { count: { event: Order Completed } } }",
                               kSegments);
}

TEST(SegmentHistoryE2E, WindowsFollowTheEventsAndTheClock) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  std::mt19937 rng(1202);
  std::vector<Order> events;
  // Rounds of new events (each within the 4 days before its reference
  // time), then rounds where only the clock moves: members leave as their
  // events leave the windows.
  const int counts[] = {40, 30, 0, 30, 0, 0};
  const int64_t steps[] = {0, 4 * kDay, 1 * kDay, 3 * kDay, 2 * kDay, 6 * kDay};
  int64_t as_of = kStart + 4 * kDay;
  long entries = 0, exits = 0;
  for (int round = 0; round < 6; ++round) {
    as_of += steps[round];
    for (int i = 0; i < counts[round]; ++i) {
      const bool page = rng() % 3 == 0;
      events.push_back({static_cast<int>(rng() % kUsers),
                        as_of - static_cast<int64_t>(rng() % (4 * kDay)),
                        static_cast<int>(1 + rng() % 300), page});
    }
    write_file(dir / "events.jsonl", jsonl(events));
    write_file(p, pipeline_text(as_of));
    RunOutcome r = run_pipeline(p);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    entries += summary_count(r.summary, "segment_entries");
    exits += summary_count(r.summary, "segment_exits");
    for (int u = 0; u < kUsers; ++u) {
      const std::string line = line_of(dir / "profiles.jsonl", u);
      if (line.empty()) continue;  // no event yet
      EXPECT_EQ(exported_segments(line), expected_segments(events, u, as_of))
          << "u" << u << " in round " << round << ": " << line;
    }
  }
  EXPECT_GT(entries, 0);
  EXPECT_GT(exits, 0) << "time alone moved events out of the windows";

  // A rebuild replays the log into the same history: nothing differs.
  const std::string before = read_file(dir / "profiles.jsonl");
  CommandResult rebuild = run({halo_bin(), "rebuild", p, "-q", "--summary-json", "-"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_EQ(summary_count(rebuild.out, "segment_entries"), 0) << rebuild.out;
  EXPECT_EQ(summary_count(rebuild.out, "segment_exits"), 0) << rebuild.out;
  for (int u = 0; u < kUsers; ++u) {
    const std::string line = line_of(dir / "profiles.jsonl", u);
    if (!line.empty()) {
      EXPECT_EQ(exported_segments(line), expected_segments(events, u, as_of)) << "u" << u;
    }
  }

  // The value behind a condition is a feature of the profile.
  const std::string u0 = line_of(dir / "profiles.jsonl", 0);
  EXPECT_NE(u0.find(R"x("count(Order Completed within 7d)":)x"), std::string::npos) << u0;
  // A preview may read the history the pipeline keeps, and no other.
  CommandResult kept = run({halo_bin(), "segment", "preview", p,
                            "count(Order Completed within 168h) >= 0", "--limit", "0"});
  EXPECT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_NE(kept.out.find(" of "), std::string::npos) << kept.out;
  CommandResult other =
      run({halo_bin(), "segment", "preview", p, "count(Order Completed within 3d) >= 1"});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("count(Order Completed within 3d) is not kept by this pipeline"),
            std::string::npos)
      << other.err;
}

// At the edges: a window of 7d holds the reference time's minute and the
// 10,079 before it; an event leaves when the reference time reaches the
// minute 7 days after its own; one later in the reference time's minute
// counts already.
TEST(SegmentHistoryE2E, WindowEdgesAreWholeMinutes) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  const int64_t t = kStart + 30 * kDay;  // a minute's start
  write_file(dir / "events.jsonl", jsonl({{0, t - 7 * kDay, 10, false},
                                          {0, t - 7 * kDay + 60, 20, false},
                                          {0, t - 1, 30, false},
                                          {0, t + 30, 40, false}}));
  const auto count_at = [&](int64_t as_of) {
    write_file(p, pipeline_text(as_of));
    RunOutcome r = run_pipeline(p);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string line = line_of(dir / "profiles.jsonl", 0);
    static const std::regex value(R"x("count\(Order Completed within 7d\)":(\d+))x");
    std::smatch m;
    EXPECT_TRUE(std::regex_search(line, m, value)) << line;
    return std::pair{m.size() > 1 ? std::stoi(m[1]) : -1, exported_segments(line)};
  };
  EXPECT_EQ(count_at(t).first, 3) << "t - 7d + 1m, t - 1s and t + 30s (the same minute)";
  EXPECT_EQ(count_at(t + 59).first, 3);
  auto [later, segments] = count_at(t + 60);
  EXPECT_EQ(later, 2) << "t - 7d + 1m left the window";
  EXPECT_EQ(segments, (std::set<std::string>{"frequent"}));
  EXPECT_EQ(count_at(t + 7 * kDay - 1).first, 1) << "only t + 30s is left";
  EXPECT_EQ(count_at(t + 7 * kDay).first, 0);
}

// History added to a store that holds events counts from then on, with a
// warning; a rebuild counts the stored events too.
TEST(SegmentHistoryE2E, HistoryNewToAStoreWarnsUntilRebuilt) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  const int64_t t = kStart + 30 * kDay;
  write_file(dir / "events.jsonl", jsonl({{0, t - kDay, 10, false}, {0, t - 2 * kDay, 20, false}}));
  write_file(p, segment_pipeline_text(t, "{ orders: { count: { event: Order Completed } } }", ""));
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("new to this store"), std::string::npos) << r.err;

  write_file(p, pipeline_text(t));
  r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("new to this store"), std::string::npos) << r.err;
  EXPECT_EQ(exported_segments(line_of(dir / "profiles.jsonl", 0)), std::set<std::string>{});
  CommandResult rebuild = run({halo_bin(), "rebuild", p, "-q"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  const std::string line = line_of(dir / "profiles.jsonl", 0);
  EXPECT_NE(line.find(R"x("count(Order Completed within 7d)":2)x"), std::string::npos) << line;
  EXPECT_EQ(exported_segments(line), (std::set<std::string>{"frequent"}));
  r = run_pipeline(p);
  EXPECT_EQ(r.err.find("new to this store"), std::string::npos) << "rebuilt: " << r.err;
}

// The abandoned-cart journey of docs/triggers.md: a reminder an hour after
// entering, unless an order came in between.
TEST(SegmentHistoryE2E, AbandonedCartReminderIsCancelledByAnOrder) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  const int64_t t = kStart + 30 * kDay;
  const auto event = [](const std::string &name, int user, int64_t at, const std::string &id) {
    return R"({"type":"track","event":")" + name + R"(","userId":"u)" + std::to_string(user) +
           R"(","messageId":")" + id + R"(","timestamp":")" + iso_utc(at) + "\"}\n";
  };
  const auto pipeline = [&](int64_t as_of) {
    return segment_pipeline_text(as_of, "{ orders: { count: { event: Order Completed } } }", R"(
segments:
  - name: cart_abandoners
    expression: did Checkout Started within 1d and not did Order Completed within 1d
triggers:
  - name: abandoned_cart
    on: { entered: cart_abandoners }
    wait: 1h
    if: in_segment(cart_abandoners)
    send:
      channel: email
      destination: out
      template: cart_reminder
      variables: { user: identifiers.user_id }
)");
  };
  std::string events = event("Checkout Started", 1, t - 300, "a") +
                       event("Checkout Started", 2, t - 300, "b") +
                       event("Order Completed", 3, t - 300, "c");
  write_file(dir / "events.jsonl", events);
  write_file(p, pipeline(t));
  RunOutcome r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_count(r.summary, "segment_entries"), 2);  // u1 and u2, not the buyer
  // u2 orders 20 minutes later; the next run is two hours later.
  write_file(dir / "events.jsonl", events + event("Order Completed", 2, t + 1200, "d"));
  write_file(p, pipeline(t + 7200));
  r = run_pipeline(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // u1's reminder waits for delivery; u2's is recorded as suppressed.
  CommandResult list =
      run({halo_bin(), "messages", "list", p, "--format", "jsonl", "--status", "pending"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 1) << list.out;
  EXPECT_NE(list.out.find(R"("user":["u1"])"), std::string::npos) << list.out;
  list = run({halo_bin(), "messages", "list", p, "--format", "jsonl", "--status", "suppressed"});
  EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 1) << list.out;
  EXPECT_NE(list.out.find(R"("profile_id":"2")"), std::string::npos) << list.out;
}

TEST(SegmentHistoryE2E, ValidateReportsHistoryMistakesWithTheirPosition) {
  TempDir dir;
  const std::string p = dir / "pipeline.yaml";
  write_file(dir / "events.jsonl", "");
  write_file(p, segment_pipeline_text(
                    kStart, "{ orders: { count: { event: Order Completed } } }",
                    "segments:\n  - { name: bad, expression: \"sum(Order Completed within 1d) "
                    "> 2\" }\n  - { name: soon, expression: \"did Order Completed within 30s\" "
                    "}\n"));
  CommandResult r = run({halo_bin(), "validate", p});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("needs a field"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("whole number of minutes"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace halo::e2e::segment_history_e2e_test
