// voice_state_test.cpp -- the latest NPS answer, exact ratings, tickets and
// complaints in a window, merges in any order, the stored form and its
// damage checks.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include "voice_state.h"

namespace halo::satisfaction {
namespace {

constexpr int64_t kDay = 86'400'000;

TEST(VoiceState, TheLatestNpsAnswerWinsAndTiesTakeTheLowerScore) {
  VoiceState s;
  s.answer_nps({10 * kDay, 9});
  s.answer_nps({5 * kDay, 2});  // older: arrives late, changes nothing
  EXPECT_EQ(s.nps()->score, 9);
  s.answer_nps({10 * kDay, 7});
  EXPECT_EQ(s.nps()->score, 7);
  s.answer_nps({10 * kDay, 8});
  EXPECT_EQ(s.nps()->score, 7);
}

TEST(VoiceState, TicketsAndComplaintsInAWindow) {
  VoiceState s;
  s.ticket_event("T1", 10 * kDay, false, true);  // a complaint, open
  s.ticket_event("T2", 20 * kDay, true, false);  // closed; its opening arrives later
  s.ticket_event("T2", 15 * kDay, false, true);  // ...and says it is a complaint
  s.ticket_event("T3", 30 * kDay, false, false);
  EXPECT_EQ(s.open_complaints(), 1);
  EXPECT_EQ(s.last_contact_ms(), 30 * kDay);
  EXPECT_EQ(s.recent_complaints(40 * kDay, 30 * kDay), 1);  // T2 (day 15); T1 is day 10
  EXPECT_EQ(s.recent_complaints(40 * kDay - 1, 30 * kDay), 2);
  EXPECT_EQ(s.next_change(40 * kDay - 1, 30 * kDay), 40 * kDay);  // T1 leaves
  EXPECT_EQ(s.next_change(5 * kDay, 30 * kDay), 10 * kDay);       // T1 enters
  EXPECT_EQ(s.next_change(50 * kDay, 30 * kDay), std::numeric_limits<int64_t>::max());
  ASSERT_EQ(s.tickets().size(), 3u);
  EXPECT_EQ(s.tickets()[1].opened_ms, 15 * kDay);
  EXPECT_EQ(s.tickets()[1].closed_ms, 20 * kDay);
}

TEST(VoiceState, RatingsAndSentimentAreExactSums) {
  VoiceState s;
  s.rate(*Decimal::parse("4.5"));
  s.rate(*Decimal::parse("3"));
  s.rate(*Decimal::parse("4"));
  EXPECT_EQ(s.ratings(), 3);
  EXPECT_EQ(s.rating_sum().divide_rounded(3, 2).to_string(), "3.83");
  s.add_text(0.4404);
  s.add_text(-0.25);
  EXPECT_EQ(s.texts(), 2);
  EXPECT_EQ(s.sentiment_micros(), 190'400);
}

VoiceState state_of(const std::vector<int> &events, const std::vector<size_t> &order) {
  VoiceState s;
  for (size_t k : order) {
    const int e = events[k];
    switch (e % 4) {
      case 0:
        s.answer_nps({(e / 4 % 5) * kDay, e / 4 % 11});
        break;
      case 1:
        s.rate(Decimal::from_int(e / 4 % 6));
        break;
      case 2:
        s.add_text((e / 4 % 21 - 10) / 11.0);
        break;
      default:
        s.ticket_event("t" + std::to_string(e / 4 % 7), (e / 4 % 9) * kDay, e / 8 % 2, e % 3 == 0);
    }
  }
  return s;
}

TEST(VoiceState, MergesInAnyOrderToTheSameStoredForm) {
  std::mt19937 rng(11);
  for (int round = 0; round < 50; ++round) {
    std::vector<int> events(30);
    for (int &e : events) e = static_cast<int>(rng() % 4000);
    std::vector<size_t> all(events.size()), a, b;
    for (size_t i = 0; i < all.size(); ++i) (all[i] = i, (rng() % 2 ? a : b).push_back(i));
    const std::string whole = state_of(events, all).encode();
    std::shuffle(all.begin(), all.end(), rng);
    EXPECT_EQ(state_of(events, all).encode(), whole);
    VoiceState ab = state_of(events, a), ba = state_of(events, b);
    ab.merge(state_of(events, b));
    ba.merge(state_of(events, a));
    EXPECT_EQ(ab.encode(), whole);
    EXPECT_EQ(ba.encode(), whole);
    EXPECT_EQ(VoiceState::decode(whole).encode(), whole);
  }
}

TEST(VoiceState, TheStoredFormRefusesDamage) {
  VoiceState s;
  s.answer_nps({kDay, 10});
  s.rate(Decimal::from_int(5));
  s.ticket_event("T1", kDay, false, true);
  const std::string blob = s.encode();
  EXPECT_EQ(VoiceState::decode(blob).encode(), blob);
  EXPECT_THROW(VoiceState::decode(""), std::runtime_error);
  EXPECT_THROW(VoiceState::decode(blob + "x"), std::runtime_error);
  for (size_t cut = 0; cut < blob.size(); ++cut) {
    EXPECT_THROW(VoiceState::decode(blob.substr(0, cut)), std::runtime_error) << cut;
  }
  std::string nps = blob;
  nps[1 + 1 + 4] = 11;  // version, flag, svarint of one day (4 bytes), score
  EXPECT_THROW(VoiceState::decode(nps), std::runtime_error);
  std::string flag = blob;
  flag[1] = 2;
  EXPECT_THROW(VoiceState::decode(flag), std::runtime_error);
}

}  // namespace
}  // namespace halo::satisfaction
