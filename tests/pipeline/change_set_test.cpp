// change_set_test.cpp -- the change-log entries of one commit: one per
// profile in id order, created profiles marked, merge chains followed to the
// surviving profile, sequences continuing the log.
#include "pipeline/change_set.h"

#include <gtest/gtest.h>

namespace halo {
namespace {

TEST(ChangeSetTest, OneEntryPerProfileInIdOrderWithKindsOred) {
  ChangeSet set;
  set.add(9, kChangeTraits);
  set.add(4, kChangeFeatureState);
  set.add(9, kChangeFeatureState);
  std::vector<ProfileChange> out = set.entries({}, /*first_new_id=*/100, /*last=*/41, 777);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].profile_id, 4u);
  EXPECT_EQ(out[0].sequence, 42u);
  EXPECT_EQ(out[0].kinds, kChangeFeatureState);
  EXPECT_EQ(out[1].profile_id, 9u);
  EXPECT_EQ(out[1].sequence, 43u);
  EXPECT_EQ(out[1].kinds, kChangeTraits | kChangeFeatureState);
  EXPECT_EQ(out[1].at_ms, 777);
  EXPECT_TRUE(set.entries({}, 100, 43, 0).empty()) << "entries() starts a new commit";
}

TEST(ChangeSetTest, ProfilesAtOrAboveThePreviousCounterWereCreated) {
  ChangeSet set;
  set.add(4, kChangeTraits);
  set.add(5, kChangeTraits);
  std::vector<ProfileChange> out = set.entries({}, /*first_new_id=*/5, 0, 0);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kinds, kChangeTraits);
  EXPECT_EQ(out[1].kinds, kChangeCreated | kChangeTraits);
}

TEST(ChangeSetTest, MergedProfilesNameTheFinalSurvivorAndCarryNoOtherChange) {
  ChangeSet set;
  set.add(3, kChangeTraits | kChangeFeatureState);  // changed, then merged away
  set.add(1, kChangeTraits);
  // 3 -> 2 -> 1 within one commit; 7 was created and merged away in it.
  std::vector<ProfileChange> out = set.entries({{3, 2}, {2, 1}, {7, 1}}, /*first_new_id=*/5, 0, 0);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].profile_id, 1u);
  EXPECT_EQ(out[0].kinds, kChangeTraits);
  EXPECT_EQ(out[1].profile_id, 2u);
  EXPECT_EQ(out[1].kinds, kChangeMerged);
  EXPECT_EQ(out[1].merged_into, 1u);
  EXPECT_EQ(out[2].profile_id, 3u);
  EXPECT_EQ(out[2].kinds, kChangeMerged);
  EXPECT_EQ(out[2].merged_into, 1u);
  EXPECT_EQ(out[3].profile_id, 7u);
  EXPECT_EQ(out[3].kinds, kChangeMerged | kChangeCreated);
  EXPECT_EQ(out[3].merged_into, 1u);
}

}  // namespace
}  // namespace halo
