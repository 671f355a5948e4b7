// engagement_state_test.cpp -- visits, channels, interests decayed by age
// (hand-computed), the forgetting horizon, merges in any order and the
// stored form with its damage checks.
#include <gtest/gtest.h>

#include <vector>

#include <random>
#include <stdexcept>

#include "engagement_state.h"

namespace halo::engagement {
namespace {

TEST(EngagementState, VisitsAreDistinctDays) {
  EngagementState s;
  s.visit(5000, 10);
  s.visit(9000, 10);
  s.visit(1000, 12);
  EXPECT_EQ(s.visits_between(10, 12), 2);
  EXPECT_EQ(s.visits_between(11, 12), 1);
  EXPECT_EQ(s.last_visit_ms(), 9000);
  EXPECT_EQ(s.next_visit_day(10), 12);
  EXPECT_EQ(s.next_visit_day(12), std::numeric_limits<int32_t>::max());
}

// Late events (a day before the last one seen) are inserted in order, once.
TEST(EngagementState, VisitDaysStayOrderedWhateverTheEventOrder) {
  EngagementState s;
  for (int32_t day : {20, 14, 20, 17, 14, 25, 8}) s.visit(int64_t{day} * 86'400'000, day);
  std::vector<int32_t> days;
  s.for_each_visit_day(0, 100, [&](int32_t d) { days.push_back(d); });
  EXPECT_EQ(days, (std::vector<int32_t>{8, 14, 17, 20, 25}));
  EXPECT_EQ(s.last_visit_day(), 25);
  EXPECT_EQ(s.next_visit_day(17), 20);
  EXPECT_EQ(s.last_visit_ms(), int64_t{25} * 86'400'000);
}

// shoes: 3 (bought) 30 days ago -> 1.5; bags: 1 (viewed) today and 1
// yesterday -> 1 + 0.977 = 1.977; hats: 2 (carted) 60 days ago -> 0.5.
TEST(EngagementState, InterestsDecayByAge) {
  EngagementState s;
  s.interest("shoes", 70, 3, 240);
  s.interest("bags", 100, 1, 240);
  s.interest("bags", 99, 1, 240);
  s.interest("hats", 40, 2, 240);
  EXPECT_EQ(s.top_interests(100, 30, 3), (std::vector<std::string>{"bags", "shoes", "hats"}));
  EXPECT_EQ(s.top_interests(100, 30, 1), (std::vector<std::string>{"bags"}));
  // Seen from day 70 (later days at age 0): shoes 3, bags 2, hats 2 x 0.5.
  EXPECT_EQ(s.top_interests(70, 30, 3), (std::vector<std::string>{"shoes", "bags", "hats"}));
  // Equal weights: by name.
  EngagementState tie;
  tie.interest("b", 5, 1, 240);
  tie.interest("a", 5, 1, 240);
  EXPECT_EQ(tie.top_interests(5, 30, 2), (std::vector<std::string>{"a", "b"}));
}

TEST(EngagementState, DaysBeyondTheHorizonAreForgottenInAnyOrder) {
  EngagementState a, b;
  a.interest("old", 10, 1, 30);
  a.interest("new", 50, 1, 30);  // 10 <= 50 - 30: forgotten
  b.interest("new", 50, 1, 30);
  b.interest("old", 10, 1, 30);  // arrives late: not taken
  EXPECT_EQ(a.encode(), b.encode());
  EXPECT_EQ(a.top_interests(50, 10, 5), std::vector<std::string>{"new"});
  EngagementState c, d;
  c.interest("old", 10, 1, 30);
  d.interest("new", 50, 1, 30);
  c.merge(d, 30);
  EXPECT_EQ(c.encode(), a.encode());
}

EngagementState state_of(const std::vector<int> &events, const std::vector<size_t> &order) {
  EngagementState s;
  for (size_t k : order) {
    const int e = events[k];
    switch (e % 4) {
      case 0:
        s.engaged_at_hour(e / 4 % 24, e / 96 % 3 == 0);  // some on the weekend
        break;
      case 1:
        s.message(e / 4 % 3, e / 12 % 2 == 1);
        break;
      case 2:
        s.visit(e * 1000, e / 4 % 30);
        break;
      default:
        s.interest("c" + std::to_string(e / 4 % 5), e / 20 % 60, 1 + e % 3, 40);
    }
  }
  return s;
}

TEST(EngagementState, MergesInAnyOrderToTheSameStoredForm) {
  std::mt19937 rng(5);
  for (int round = 0; round < 50; ++round) {
    std::vector<int> events(40);
    for (int &e : events) e = static_cast<int>(rng() % 5000);
    std::vector<size_t> all(events.size()), a, b;
    for (size_t i = 0; i < all.size(); ++i) (all[i] = i, (rng() % 2 ? a : b).push_back(i));
    const std::string whole = state_of(events, all).encode();
    std::shuffle(all.begin(), all.end(), rng);
    EXPECT_EQ(state_of(events, all).encode(), whole);
    EngagementState ab = state_of(events, a), ba = state_of(events, b);
    ab.merge(state_of(events, b), 40);
    ba.merge(state_of(events, a), 40);
    EXPECT_EQ(ab.encode(), whole);
    EXPECT_EQ(ba.encode(), whole);
    EXPECT_EQ(EngagementState::decode(whole).encode(), whole);
  }
}

TEST(EngagementState, TheStoredFormRefusesDamage) {
  EngagementState s;
  s.engaged_at_hour(9, false);
  s.message(1, true);
  s.visit(1000, 3);
  s.interest("shoes", 3, 2, 240);
  const std::string blob = s.encode();
  EXPECT_EQ(EngagementState::decode(blob).encode(), blob);
  EXPECT_THROW(EngagementState::decode(""), std::runtime_error);
  EXPECT_THROW(EngagementState::decode(blob + "x"), std::runtime_error);
  for (size_t cut = 0; cut < blob.size(); ++cut) {
    EXPECT_THROW(EngagementState::decode(blob.substr(0, cut)), std::runtime_error) << cut;
  }
  std::string version = blob;
  version[0] = 2;
  EXPECT_THROW(EngagementState::decode(version), std::runtime_error);
}

// Weekend engagements are kept apart (version 3, or 4 with a zone) only
// when there are any: a state without them keeps its earlier stored form;
// more weekend engagements than engagements at an hour are refused.
TEST(EngagementState, WeekendHoursAreStoredOnlyWhenThereAreAny) {
  EngagementState s;
  s.engaged_at_hour(9, false);
  EXPECT_EQ(s.encode()[0], 1);
  s.engaged_at_hour(9, true);
  s.engaged_at_hour(21, true);
  const std::string blob = s.encode();
  EXPECT_EQ(blob[0], 3);
  const EngagementState back = EngagementState::decode(blob);
  EXPECT_EQ(back.hours()[9], 2u);
  EXPECT_EQ(back.weekend_hours()[9], 1u);
  EXPECT_EQ(back.weekend_hours()[21], 1u);
  EXPECT_EQ(back.encode(), blob);
  s.zone("Asia/Tehran", 5);
  EXPECT_EQ(s.encode()[0], 4);
  EXPECT_EQ(EngagementState::decode(s.encode()).encode(), s.encode());
  std::string more = blob;
  more[more.size() - 24 + 9] = 3;  // weekend count 3 at 09:00, against 2 in all
  EXPECT_THROW(EngagementState::decode(more), std::runtime_error);
}

}  // namespace
}  // namespace halo::engagement

namespace halo::engagement {
namespace {

// The latest event naming a zone wins, in any order of events and merges;
// a state without a zone keeps the version 1 stored form.
TEST(EngagementState, TheLatestNamedTimeZoneWins) {
  EngagementState none;
  none.visit(1000, 1);
  ASSERT_EQ(none.encode()[0], 1);
  EngagementState a = none, b;
  a.zone("Europe/Berlin", 5000);
  a.zone("Asia/Tokyo", 4000);  // older: ignored
  b.zone("America/New_York", 6000);
  EXPECT_EQ(a.zone(), "Europe/Berlin");
  EngagementState ab = a, ba = b;
  ab.merge(b, 100);
  ba.merge(a, 100);
  EXPECT_EQ(ab.zone(), "America/New_York");
  EXPECT_EQ(ab.encode(), ba.encode());
  EXPECT_EQ(ab.encode()[0], 2);
  const EngagementState back = EngagementState::decode(ab.encode());
  EXPECT_EQ(back.zone(), "America/New_York");
  EXPECT_EQ(back.encode(), ab.encode());
  // Equal times: the greater name, whichever arrives first.
  EngagementState x, y;
  x.zone("Asia/Tehran", 7);
  x.zone("Asia/Dubai", 7);
  y.zone("Asia/Dubai", 7);
  y.zone("Asia/Tehran", 7);
  EXPECT_EQ(x.zone(), "Asia/Tehran");
  EXPECT_EQ(y.zone(), "Asia/Tehran");
  // A version 2 state must name a zone of 1 to 64 bytes.
  std::string bad = none.encode();
  bad[0] = 2;
  EXPECT_THROW(EngagementState::decode(bad + std::string("\x00\x00", 2)), std::runtime_error);
  EXPECT_THROW(EngagementState::decode(bad), std::runtime_error);
}

}  // namespace
}  // namespace halo::engagement
