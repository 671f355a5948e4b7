// timestamp_order.h's helpers: profile ids in refusal texts renumbered,
// and step 1's merges followed to the live profile.
#include "pipeline/timestamp_order.h"

#include <gtest/gtest.h>

#include <map>

#include "pipeline/run_summary.h"

namespace halo {
namespace {

std::optional<uint64_t> from_map(const std::map<uint64_t, uint64_t> &m, uint64_t id) {
  auto it = m.find(id);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

TEST(RenumberProfiles, RenamesEveryProfileTheReasonNames) {
  const std::map<uint64_t, uint64_t> m{{1, 7}, {3, 12}, {20, 2}};
  auto renumber = [&](uint64_t id) { return from_map(m, id); };
  EXPECT_EQ(renumber_profiles("merge refused: profiles 1 and 3 would hold 2 user_id identifiers "
                              "(limit 1)",
                              renumber),
            "merge refused: profiles 7 and 12 would hold 2 user_id identifiers (limit 1)");
  EXPECT_EQ(renumber_profiles("demoted: the event's user_id 'u20' is stronger and profile 20 "
                              "already holds its limit of 1 user_id",
                              renumber),
            "demoted: the event's user_id 'u20' is stronger and profile 2 already holds its limit "
            "of 1 user_id");
  // Numbers not after "profile(s) " stay; so do ids the map does not know.
  EXPECT_EQ(renumber_profiles("max_per_profile exceeded for email (limit 3)", renumber),
            "max_per_profile exceeded for email (limit 3)");
  EXPECT_EQ(renumber_profiles("profiles 5 and 1", renumber), "profiles 5 and 7");
  EXPECT_EQ(renumber_profiles("profile 99999999999999999999999 and profile", renumber),
            "profile 99999999999999999999999 and profile");
  EXPECT_EQ(renumber_profiles("", renumber), "");
}

TEST(TimestampOrderLive, FollowsMergesToTheEnd) {
  TimestampOrder order;
  order.merged_into = {{2, 1}, {3, 2}, {5, 4}};
  EXPECT_EQ(order.live(3), 1u);
  EXPECT_EQ(order.live(2), 1u);
  EXPECT_EQ(order.live(5), 4u);
  EXPECT_EQ(order.live(6), 6u);
}

TEST(TimestampOrderSummary, TheOrderLineSaysWhetherIdentitiesWereRebuilt) {
  RunSummary s;
  EXPECT_EQ(s.to_text().find("order "), std::string::npos);
  EXPECT_NE(s.to_json().find("\"rebuilt_in_timestamp_order\":false"), std::string::npos);
  s.arrival_order_reason = "event 2 met an identity limit late";
  EXPECT_NE(s.to_text().find("order          event 2 met an identity limit late; timestamp "
                             "order gives the same profiles\n"),
            std::string::npos)
      << s.to_text();
  s.rebuilt_in_timestamp_order = true;
  EXPECT_NE(s.to_text().find("order          event 2 met an identity limit late; identities "
                             "rebuilt in timestamp order\n"),
            std::string::npos);
  EXPECT_NE(s.to_json().find("\"rebuilt_in_timestamp_order\":true"), std::string::npos);
}

}  // namespace
}  // namespace halo
