// identity_graph_restore_test.cpp -- a resolver restored from the persisted
// links (as the kernel keeps them: re-pointed on every merge) continues
// exactly like one that never stopped.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "recording_sink.h"

namespace halo::deterministic::testing {
namespace {

using Event = std::vector<std::pair<std::string, std::string>>;

// Random events over a small identifier pool, so merges, refused merges and
// limit conflicts all happen.
std::vector<Event> random_events(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const char *types[] = {"user_id", "email", "phone", "anonymous_id", "pos_card"};
  const int pool[] = {40, 60, 50, 200, 30};
  std::vector<Event> events(n);
  for (Event &e : events) {
    size_t count = 1 + rng() % 3;
    for (size_t k = 0; k < count; ++k) {
      size_t t = rng() % 5;
      e.emplace_back(types[t], std::string(types[t]) + "-" + std::to_string(rng() % pool[t]));
    }
  }
  return events;
}

void resolve(IdentityGraph &graph, RecordingSink &sink, const std::vector<Event> &events,
             size_t begin, size_t end) {
  std::vector<IdentifierRef> ids;
  for (size_t i = begin; i < end; ++i) {
    ids.clear();
    for (const auto &[type, value] : events[i]) ids.push_back({type, value});
    graph.resolve_event(i, kEventMs, ids, sink);
  }
}

std::vector<std::string> effects_from(const RecordingSink &sink, size_t from) {
  return std::vector<std::string>(sink.effects.begin() + static_cast<long>(from),
                                  sink.effects.end());
}

TEST(IdentityGraphRestore, RestoredGraphContinuesLikeOneThatNeverStopped) {
  std::vector<Event> events = random_events(4000, 11);
  const size_t half = events.size() / 2;

  IdentityGraph straight(standard_rules(2));
  RecordingSink straight_sink;
  resolve(straight, straight_sink, events, 0, half);
  size_t effects_at_half = straight_sink.effects.size();
  resolve(straight, straight_sink, events, half, events.size());

  IdentityGraph first(standard_rules(2));
  RecordingSink first_sink;
  resolve(first, first_sink, events, 0, half);

  // Persisted links in an order unrelated to their creation (reversed map
  // order), fed in two restore() calls as the kernel may do.
  std::vector<std::pair<std::pair<std::string, std::string>, uint64_t>> rows(
      first_sink.links.begin(), first_sink.links.end());
  std::reverse(rows.begin(), rows.end());
  IdentityGraph restored(standard_rules(2));
  for (size_t r = 0; r < rows.size(); ++r) {
    restored.restore_link(rows[r].first.first, rows[r].first.second, rows[r].second);
  }
  EXPECT_EQ(restored.live_profile_count(), first.live_profile_count());
  RecordingSink restored_sink(first_sink.next_profile());
  resolve(restored, restored_sink, events, half, events.size());

  std::vector<std::string> expected = effects_from(straight_sink, effects_at_half);
  EXPECT_EQ(restored_sink.effects, expected);
  // The scenario must exercise the interesting paths to mean anything.
  auto has = [&](const char *prefix) {
    return std::any_of(expected.begin(), expected.end(),
                       [&](const std::string &e) { return e.rfind(prefix, 0) == 0; });
  };
  EXPECT_TRUE(has("merge "));
  EXPECT_TRUE(has("conflict "));
}

TEST(IdentityGraphRestore, RestoringTheSameLinkTwiceDoesNotDoubleCount) {
  IdentityGraph graph(IdentifierRules({{"user_id", 1, 1}}));
  graph.restore_link("user_id", "u1", 5);
  graph.restore_link("user_id", "u1", 5);
  RecordingSink sink(6);
  std::vector<IdentifierRef> ids = {{"user_id", "u1"}};
  graph.resolve_event(0, kEventMs, ids, sink);
  EXPECT_EQ(sink.effects, (std::vector<std::string>{"assign 5"}));
  EXPECT_EQ(graph.identifier_count(), 1u);
}

TEST(IdentityGraphRestore, RestoredCountsEnforceLimits) {
  IdentityGraph graph(IdentifierRules({{"user_id", 1, 1}, {"email", 2, 5}}));
  graph.restore_link("user_id", "u1", 3);
  graph.restore_link("email", "e", 3);
  graph.restore_link("user_id", "u2", 4);
  RecordingSink sink(5);
  std::vector<IdentifierRef> ids = {{"email", "e"}, {"user_id", "u2"}};
  graph.resolve_event(0, kEventMs, ids, sink);
  EXPECT_EQ(sink.effects, (std::vector<std::string>{
                              "conflict user_id:u2@3 merge refused: profiles 3 and 4 would hold "
                              "2 user_id identifiers (limit 1)",
                              "assign 4"}));
}

}  // namespace
}  // namespace halo::deterministic::testing
