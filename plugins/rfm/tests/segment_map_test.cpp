// segment_map_test.cpp -- the standard map's cells, first-match order,
// maps that miss a score triple, and score range texts.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "segment_map.h"

namespace halo::rfm {
namespace {

TEST(SegmentMap, TheStandardMapNamesTheGrid) {
  const SegmentMap map = SegmentMap::standard();
  EXPECT_EQ(map.name(5, 5, 1), "Champions");
  EXPECT_EQ(map.name(5, 4, 5), "Champions");
  EXPECT_EQ(map.name(3, 5, 3), "Loyal");
  EXPECT_EQ(map.name(4, 2, 2), "Potential Loyalist");
  EXPECT_EQ(map.name(5, 1, 1), "New Customers");
  EXPECT_EQ(map.name(4, 1, 5), "Promising");
  EXPECT_EQ(map.name(3, 3, 3), "Need Attention");
  EXPECT_EQ(map.name(3, 2, 1), "About to Sleep");
  EXPECT_EQ(map.name(1, 5, 5), "Cannot Lose Them");
  EXPECT_EQ(map.name(2, 3, 4), "At Risk");
  EXPECT_EQ(map.name(1, 1, 1), "Lost");
  EXPECT_EQ(map.name(2, 2, 2), "Hibernating");
  std::set<std::string> names;
  for (const SegmentRule &r : map.rules()) names.insert(r.name);
  EXPECT_EQ(names.size(), 11u);
}

TEST(SegmentMap, TheFirstMatchingRuleNamesAndEveryTripleNeedsOne) {
  SegmentMap map(
      {{"Whales", {1, 5}, {1, 5}, {5, 5}}, {"Recent", {4, 5}, {}, {}}, {"Rest", {}, {}, {}}});
  EXPECT_EQ(map.name(5, 1, 5), "Whales");
  EXPECT_EQ(map.name(5, 1, 4), "Recent");
  EXPECT_EQ(map.name(3, 5, 4), "Rest");
  try {
    SegmentMap({{"Recent", {4, 5}, {}, {}}});
    FAIL() << "a map without r 1-3 was taken";
  } catch (const std::invalid_argument &e) {
    EXPECT_STREQ(e.what(),
                 "no rule names the scores r=1 f=1 m=1; end the list with a rule without ranges");
  }
}

TEST(SegmentMap, ScoreRangesAreOneDigitOrTwoJoinedByAHyphen) {
  ScoreRange r;
  ASSERT_TRUE(parse_score_range("4-5", r));
  EXPECT_EQ(r.low, 4);
  EXPECT_EQ(r.high, 5);
  ASSERT_TRUE(parse_score_range("3", r));
  EXPECT_EQ(r.low, 3);
  EXPECT_EQ(r.high, 3);
  for (const char *bad : {"", "0", "6", "5-4", "1-6", "1 - 2", "12", "a", "-1", "1-"}) {
    EXPECT_FALSE(parse_score_range(bad, r)) << bad;
  }
}

}  // namespace
}  // namespace halo::rfm
