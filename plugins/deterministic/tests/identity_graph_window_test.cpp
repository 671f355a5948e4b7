// identity_graph_window_test.cpp -- limits with a time window
// (`max_per_profile: 2 per 7d`): no span of the window may hold more link
// times than the limit, for new links, merges and demotion alike, and a
// graph restored with its link times continues like one that never stopped.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "recording_sink.h"

namespace halo::deterministic::testing {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kStart = 1'700'000'000'000;

int64_t day(double d) {
  return kStart + static_cast<int64_t>(d * kDay);
}

// user_id: 1 ever; anonymous_id: 2 per 7 days.
IdentifierRules windowed_rules() {
  return IdentifierRules({{"user_id", 1, 1}, {"anonymous_id", 9, 2, 7 * kDay}});
}

struct TimedStep {
  double at_day;
  std::vector<IdentifierRef> ids;
  std::vector<std::string> effects;
};

void run_timed(IdentityGraph &graph, RecordingSink &sink, const std::vector<TimedStep> &steps) {
  for (size_t i = 0; i < steps.size(); ++i) {
    sink.effects.clear();
    graph.resolve_event(i, day(steps[i].at_day), steps[i].ids, sink);
    EXPECT_EQ(sink.effects, steps[i].effects) << "at step " << i;
  }
}

TEST(IdentityGraphWindow, TheThirdInAWeekIsRefusedAndTakenOnceTheWeekHasPassed) {
  IdentityGraph graph(windowed_rules());
  RecordingSink sink;
  run_timed(
      graph, sink,
      {
          {0,
           {{"user_id", "u1"}, {"anonymous_id", "a1"}},
           {"new 1", "assign 1", "link user_id:u1->1", "link anonymous_id:a1->1"}},
          {1, {{"user_id", "u1"}, {"anonymous_id", "a2"}}, {"assign 1", "link anonymous_id:a2->1"}},
          {2,
           {{"user_id", "u1"}, {"anonymous_id", "a3"}},
           {"assign 1",
            "conflict anonymous_id:a3@1 max_per_profile exceeded for anonymous_id (limit 2 "
            "per 7d)"}},
          // Day 7.5: a2 (day 1) and the new one share a week, a1 (day 0) does not.
          {7.5,
           {{"user_id", "u1"}, {"anonymous_id", "a4"}},
           {"assign 1", "link anonymous_id:a4->1"}},
          // Day 7.8: a2 (day 1), a4 (day 7.5) and a5 would share the week [1, 8).
          {7.8,
           {{"user_id", "u1"}, {"anonymous_id", "a5"}},
           {"assign 1",
            "conflict anonymous_id:a5@1 max_per_profile exceeded for anonymous_id (limit 2 "
            "per 7d)"}},
          {15,
           {{"user_id", "u1"}, {"anonymous_id", "a6"}},
           {"assign 1", "link anonymous_id:a6->1"}},
      });
  EXPECT_EQ(graph.profile_of("anonymous_id", "a3"), 0u);
  EXPECT_EQ(graph.profile_of("anonymous_id", "a6"), 1u);
}

TEST(IdentityGraphWindow, AnEarlierEventCountsAgainstTheWeeksAroundIt) {
  IdentityGraph graph(windowed_rules());
  RecordingSink sink;
  run_timed(
      graph, sink,
      {
          {10,
           {{"user_id", "u1"}, {"anonymous_id", "a1"}},
           {"new 1", "assign 1", "link user_id:u1->1", "link anonymous_id:a1->1"}},
          {12,
           {{"user_id", "u1"}, {"anonymous_id", "a2"}},
           {"assign 1", "link anonymous_id:a2->1"}},
          // Day 5 arrives late: the week [5, 12) holds only day 10.
          {5, {{"user_id", "u1"}, {"anonymous_id", "a3"}}, {"assign 1", "link anonymous_id:a3->1"}},
          // Day 11: [5, 12) would hold days 5, 10 and 11.
          {11,
           {{"user_id", "u1"}, {"anonymous_id", "a4"}},
           {"assign 1",
            "conflict anonymous_id:a4@1 max_per_profile exceeded for anonymous_id (limit 2 "
            "per 7d)"}},
      });
}

TEST(IdentityGraphWindow, AMergeIsRefusedWhenOneWeekWouldHoldTooMany) {
  IdentityGraph graph(windowed_rules());
  RecordingSink sink;
  run_timed(
      graph, sink,
      {
          {0,
           {{"user_id", "u1"}, {"anonymous_id", "a1"}},
           {"new 1", "assign 1", "link user_id:u1->1", "link anonymous_id:a1->1"}},
          {1, {{"user_id", "u1"}, {"anonymous_id", "a2"}}, {"assign 1", "link anonymous_id:a2->1"}},
          {2, {{"anonymous_id", "a3"}}, {"new 2", "assign 2", "link anonymous_id:a3->2"}},
          {20, {{"anonymous_id", "a4"}}, {"new 3", "assign 3", "link anonymous_id:a4->3"}},
          // Days 0, 1 and 2 in one week: refused.
          {21,
           {{"user_id", "u1"}, {"anonymous_id", "a3"}},
           {"conflict anonymous_id:a3@1 merge refused: profiles 1 and 2 would hold 3 anonymous_id "
            "identifiers taken within one window (limit 2 per 7d)",
            "assign 1"}},
          // Days 0, 1 and 20: no week holds more than two.
          {22, {{"user_id", "u1"}, {"anonymous_id", "a4"}}, {"merge 3->1", "assign 1"}},
          // The merged times count: day 20 and this one fill their week.
          {23,
           {{"user_id", "u1"}, {"anonymous_id", "a5"}},
           {"assign 1", "link anonymous_id:a5->1"}},
          {24,
           {{"user_id", "u1"}, {"anonymous_id", "a6"}},
           {"assign 1",
            "conflict anonymous_id:a6@1 max_per_profile exceeded for anonymous_id (limit 2 per "
            "7d)"}},
      });
  EXPECT_EQ(graph.live_profile_count(), 2u);
}

TEST(IdentityGraphWindow, AFullWeekDemotesTheWeakerIdentifierOfAStrongerNewOne) {
  // user_id: 1 per 30 days (a device's profile may take a new user id each
  // month), anonymous_id: unlimited.
  IdentityGraph graph(IdentifierRules({{"user_id", 1, 1, 30 * kDay}, {"anonymous_id", 9, 100}}));
  RecordingSink sink;
  run_timed(
      graph, sink,
      {
          {0,
           {{"user_id", "u1"}, {"anonymous_id", "kiosk"}},
           {"new 1", "assign 1", "link user_id:u1->1", "link anonymous_id:kiosk->1"}},
          {3,
           {{"user_id", "u2"}, {"anonymous_id", "kiosk"}},
           {"conflict anonymous_id:kiosk@1 demoted: the event's user_id 'u2' is stronger "
            "and profile 1 already holds its limit of 1 per 30d user_id; not used to match "
            "this event",
            "new 2", "assign 2", "link user_id:u2->2"}},
          // Forty days later the month of u1 is over: the kiosk's next user joins it.
          {40, {{"user_id", "u3"}, {"anonymous_id", "kiosk"}}, {"assign 1", "link user_id:u3->1"}},
      });
}

using Event = std::vector<std::pair<std::string, std::string>>;

// Random events over a small pool, each at a random time over 60 days (not
// in order), so windowed refusals, merges and refused merges all happen.
std::vector<std::pair<int64_t, Event>> random_timed_events(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const char *types[] = {"user_id", "email", "anonymous_id"};
  const int pool[] = {40, 60, 300};
  std::vector<std::pair<int64_t, Event>> events(n);
  for (auto &[at, e] : events) {
    at = kStart + static_cast<int64_t>(rng() % (60 * kDay));
    size_t count = 1 + rng() % 3;
    for (size_t k = 0; k < count; ++k) {
      size_t t = rng() % 3;
      e.emplace_back(types[t], std::string(types[t]) + "-" + std::to_string(rng() % pool[t]));
    }
  }
  return events;
}

IdentifierRules random_rules() {
  return IdentifierRules(
      {{"user_id", 1, 1}, {"email", 2, 3, 10 * kDay}, {"anonymous_id", 9, 3, 7 * kDay}});
}

void resolve(IdentityGraph &graph, RecordingSink &sink,
             const std::vector<std::pair<int64_t, Event>> &events, size_t begin, size_t end) {
  std::vector<IdentifierRef> ids;
  for (size_t i = begin; i < end; ++i) {
    ids.clear();
    for (const auto &[type, value] : events[i].second) ids.push_back({type, value});
    graph.resolve_event(i, events[i].first, ids, sink);
  }
}

TEST(IdentityGraphWindow, RestoredWithTheirTimesTheLinksContinueLikeNeverStopping) {
  const auto events = random_timed_events(4000, 23);
  const size_t half = events.size() / 2;

  IdentityGraph straight(random_rules());
  RecordingSink straight_sink;
  resolve(straight, straight_sink, events, 0, half);
  const size_t effects_at_half = straight_sink.effects.size();
  resolve(straight, straight_sink, events, half, events.size());

  IdentityGraph first(random_rules());
  RecordingSink first_sink;
  resolve(first, first_sink, events, 0, half);

  // The kernel's rows: each link with its event's time, in an order
  // unrelated to their creation, in two restore calls.
  std::vector<std::pair<std::pair<std::string, std::string>, uint64_t>> rows(
      first_sink.links.begin(), first_sink.links.end());
  std::reverse(rows.begin(), rows.end());
  IdentityGraph restored(random_rules());
  for (size_t from = 0; from < rows.size(); from += rows.size() / 2 + 1) {
    const size_t to = std::min(rows.size(), from + rows.size() / 2 + 1);
    std::vector<int64_t> times;
    restored.forget_restored();
    for (size_t r = from; r < to; ++r) {
      restored.restore_link(rows[r].first.first, rows[r].first.second, rows[r].second);
      times.push_back(events[first_sink.link_events.at(rows[r].first)].first);
    }
    restored.restore_times(times);
  }
  RecordingSink restored_sink(first_sink.next_profile());
  resolve(restored, restored_sink, events, half, events.size());

  const std::vector<std::string> expected(
      straight_sink.effects.begin() + static_cast<long>(effects_at_half),
      straight_sink.effects.end());
  EXPECT_EQ(restored_sink.effects, expected);
  auto count_of = [&](const char *text) {
    return std::count_if(expected.begin(), expected.end(),
                         [&](const std::string &e) { return e.find(text) != std::string::npos; });
  };
  // Both windowed kinds of refusal happen in the second half, so the times
  // restored are what decided them.
  EXPECT_GT(count_of("exceeded for anonymous_id (limit 3 per 7d)"), 0);
  EXPECT_GT(count_of("taken within one window"), 0);
  EXPECT_GT(count_of("merge "), 0);

  // Without its times the restored graph decides otherwise.
  IdentityGraph timeless(random_rules());
  for (const auto &row : rows) timeless.restore_link(row.first.first, row.first.second, row.second);
  RecordingSink timeless_sink(first_sink.next_profile());
  resolve(timeless, timeless_sink, events, half, events.size());
  EXPECT_NE(timeless_sink.effects, expected);
}

TEST(IdentityGraphWindow, RulesPrintTheirWindow) {
  IdentifierRules rules({{"user_id", 1, 1},
                         {"anonymous_id", 9, 5, 7 * kDay},
                         {"email", 2, 3, 36 * 3'600'000},
                         {"phone", 3, 2, 90'500}});
  EXPECT_EQ(rules.limit_text(0), "1");
  EXPECT_EQ(rules.limit_text(1), "5 per 7d");
  EXPECT_EQ(rules.limit_text(2), "3 per 36h");
  EXPECT_EQ(rules.limit_text(3), "2 per 90500ms");
  EXPECT_TRUE(rules.any_window());
  EXPECT_FALSE(IdentifierRules({{"user_id", 1, 1}}).any_window());
}

}  // namespace
}  // namespace halo::deterministic::testing
