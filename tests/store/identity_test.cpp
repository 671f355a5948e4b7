// identity_test.cpp -- identifiers (upsert, repoint, find, scan), merges
// (and the profile a merged one lives on in) and conflicts.
#include <map>

#include "temp_store.h"

namespace halo::testing {
namespace {

class IdentityTest : public TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    store_ = open_store();
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->begin().ok());
  }
  void TearDown() override {
    store_.reset();
    TempStoreTest::TearDown();
  }
  std::unique_ptr<Store> store_;
};

TEST_F(IdentityTest, PutFindAndUpsertMovesTheIdentifier) {
  ASSERT_TRUE(store_->put_identifier("email", "a@b.ir", 1, 0, 0).ok());
  ASSERT_TRUE(store_->put_identifier("phone", "+989121234567", 1, 0, 0).ok());
  ASSERT_TRUE(store_->put_identifier("email", "c@d.ir", 2, 0, 0).ok());
  EXPECT_EQ(must(store_->find_profile("email", "a@b.ir")), 1u);
  EXPECT_EQ(must(store_->find_profile("email", "c@d.ir")), 2u);
  EXPECT_EQ(must(store_->find_profile("phone", "a@b.ir")), std::nullopt);  // type matters
  EXPECT_EQ(must(store_->find_profile("email", "missing")), std::nullopt);

  ASSERT_TRUE(store_->put_identifier("email", "a@b.ir", 7, 0, 0).ok());
  EXPECT_EQ(must(store_->find_profile("email", "a@b.ir")), 7u);
  using Ids = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(must(store_->identifiers_of(1)), (Ids{{"phone", "+989121234567"}}));
  EXPECT_EQ(must(store_->identifiers_of(7)), (Ids{{"email", "a@b.ir"}}));
}

TEST_F(IdentityTest, IdentifiersOfIsSortedByTypeThenValue) {
  ASSERT_TRUE(store_->put_identifier("phone", "+98912", 3, 0, 0).ok());
  ASSERT_TRUE(store_->put_identifier("email", "z@x.ir", 3, 0, 0).ok());
  ASSERT_TRUE(store_->put_identifier("email", "a@x.ir", 3, 0, 0).ok());
  ASSERT_TRUE(store_->put_identifier("anonymous_id", "anon-1", 3, 0, 0).ok());
  using Ids = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(must(store_->identifiers_of(3)), (Ids{{"anonymous_id", "anon-1"},
                                                  {"email", "a@x.ir"},
                                                  {"email", "z@x.ir"},
                                                  {"phone", "+98912"}}));
  EXPECT_TRUE(must(store_->identifiers_of(99)).empty());
}

TEST_F(IdentityTest, RepointMovesAllIdentifiersOfOneProfile) {
  ASSERT_TRUE(store_->put_identifier("email", "a@b.ir", 1, 0, 0).ok());
  ASSERT_TRUE(store_->put_identifier("anonymous_id", "x", 1, 0, 0).ok());
  ASSERT_TRUE(store_->put_identifier("email", "other@b.ir", 2, 0, 0).ok());
  ASSERT_TRUE(store_->put_identifier("email", "third@b.ir", 3, 0, 0).ok());
  ASSERT_TRUE(store_->repoint_identifiers(1, 2).ok());
  EXPECT_TRUE(must(store_->identifiers_of(1)).empty());
  EXPECT_EQ(must(store_->identifiers_of(2)).size(), 3u);
  EXPECT_EQ(must(store_->find_profile("anonymous_id", "x")), 2u);
  EXPECT_EQ(must(store_->find_profile("email", "third@b.ir")), 3u);
}

TEST_F(IdentityTest, ScanVisitsEveryIdentifierWithItsProfile) {
  std::map<std::pair<std::string, std::string>, uint64_t> expected;
  for (uint64_t i = 1; i <= 50; ++i) {
    std::string value = "user" + std::to_string(i) + "@example.ir";
    ASSERT_TRUE(store_->put_identifier("email", value, i % 7 + 1, 0, 0).ok());
    expected[{"email", value}] = i % 7 + 1;
  }
  // Non-ASCII values (Persian) survive as bytes.
  ASSERT_TRUE(store_->put_identifier("name", "علی", 4, 0, 0).ok());
  expected[{"name", "علی"}] = 4;
  std::map<std::pair<std::string, std::string>, uint64_t> seen;
  ASSERT_TRUE(
      store_
          ->scan_identifiers([&](std::string_view t, std::string_view v, uint64_t p, int64_t) {
            seen[{std::string(t), std::string(v)}] = p;
          })
          .ok());
  EXPECT_EQ(seen, expected);
}

TEST_F(IdentityTest, MergesAndConflictsAreCounted) {
  EXPECT_EQ(must(store_->merge_count()), 0u);
  EXPECT_EQ(must(store_->conflict_count()), 0u);
  ASSERT_TRUE(store_->add_merge(2, 1, 17).ok());
  ASSERT_TRUE(store_->add_merge(3, 1, 18).ok());
  ASSERT_TRUE(store_->add_conflict(19, "email", "a@b.ir", 1, "max_per_profile", 0).ok());
  EXPECT_EQ(must(store_->merge_count()), 2u);
  EXPECT_EQ(must(store_->conflict_count()), 1u);
}

TEST_F(IdentityTest, OversharedValuesCountTheDistinctProfilesTheyWouldLink) {
  // The family phone lives in 1; events of 2, 3 and 2 again were refused it,
  // once a link to 1 and twice demoted on their own profile.
  ASSERT_TRUE(store_->put_identifier("phone", "+989121234567", 1, 3, 0).ok());
  ASSERT_TRUE(store_->add_conflict(4, "phone", "+989121234567", 1, "demoted", 2).ok());
  ASSERT_TRUE(store_->add_conflict(6, "phone", "+989121234567", 1, "demoted", 3).ok());
  ASSERT_TRUE(store_->add_conflict(9, "phone", "+989121234567", 2, "refused", 2).ok());
  ASSERT_TRUE(
      store_->add_conflict(7, "email", "a@b.ir", 5, "limit", 0).ok());  // 0: no event profile

  std::vector<SharedIdentifier> all = must(store_->overshared_identifiers(0));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].type, "email");
  EXPECT_EQ(all[0].profiles, 1u);
  EXPECT_EQ(all[1].value, "+989121234567");
  EXPECT_EQ(all[1].profiles, 3u);  // 1, 2, 3
  // Only values refused after the sequence are reported, counted over all time.
  std::vector<SharedIdentifier> fresh = must(store_->overshared_identifiers(7));
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0].profiles, 3u);
  EXPECT_TRUE(must(store_->overshared_identifiers(9)).empty());
}

TEST_F(IdentityTest, LinkedIdentifiersAreUpsertedWithTheirEvidenceAndKeptByClearDerived) {
  ASSERT_TRUE(
      store_->link_identifier({"record_id", "r2", "record_id:r1", 0.97, R"({"weight":1})"}, 5)
          .ok());
  ASSERT_TRUE(store_->link_identifier({"linked", "k9", "record_id:r1", 0.5, ""}, 6).ok());
  ASSERT_TRUE(
      store_->link_identifier({"record_id", "r2", "record_id:r0", 0.999, R"({"weight":2})"}, 7)
          .ok());
  ASSERT_TRUE(store_->clear_derived().ok());
  std::vector<LinkedIdentifier> seen;
  ASSERT_TRUE(
      store_->scan_linked_identifiers([&](const LinkedIdentifier &l) { seen.push_back(l); }).ok());
  ASSERT_EQ(seen.size(), 2u);  // by type, then value
  EXPECT_EQ(seen[0].type, "linked");
  EXPECT_EQ(seen[1].value, "r2");
  EXPECT_EQ(seen[1].key, "record_id:r0");  // the later decision
  EXPECT_DOUBLE_EQ(seen[1].probability, 0.999);
  EXPECT_EQ(seen[1].evidence, R"({"weight":2})");
  EXPECT_EQ(seen[0].evidence, "");  // an admin's acceptance has none
}

TEST_F(IdentityTest, HistoryWalksTheMergeTreeWithEachLinksEvent) {
  // 4 <- 3 <- 2 (2 merged into 3, then 3 into 4); 5 merged into 6 elsewhere.
  ASSERT_TRUE(store_->put_identifier("email", "a@b.ir", 2, 11, 0).ok());
  ASSERT_TRUE(store_->put_identifier("phone", "+989121234567", 3, 12, 0).ok());
  ASSERT_TRUE(store_->put_identifier("user_id", "u4", 4, 10, 0).ok());
  ASSERT_TRUE(store_->add_merge(2, 3, 13).ok());
  ASSERT_TRUE(store_->repoint_identifiers(2, 3).ok());
  ASSERT_TRUE(store_->add_merge(3, 4, 14).ok());
  ASSERT_TRUE(store_->repoint_identifiers(3, 4).ok());
  ASSERT_TRUE(store_->add_merge(5, 6, 15).ok());
  ASSERT_TRUE(store_->add_conflict(16, "user_id", "u9", 2, "max_per_profile", 0).ok());
  ASSERT_TRUE(store_->add_conflict(17, "user_id", "u8", 6, "max_per_profile", 0).ok());
  // A link moved by a later event takes that event's sequence.
  ASSERT_TRUE(store_->put_identifier("user_id", "u4", 4, 18, 0).ok());

  IdentityHistory h = must(store_->identity_history(4));
  ASSERT_EQ(h.links.size(), 3u);
  EXPECT_EQ(h.links[0].type, "email");
  EXPECT_EQ(h.links[0].sequence, 11u);
  EXPECT_EQ(h.links[1].sequence, 12u);
  EXPECT_EQ(h.links[2].sequence, 18u);
  ASSERT_EQ(h.merges.size(), 2u);  // 2 into 3, 3 into 4; not 5 into 6
  EXPECT_EQ(h.merges[0].from, 2u);
  EXPECT_EQ(h.merges[0].into, 3u);
  EXPECT_EQ(h.merges[0].sequence, 13u);
  EXPECT_EQ(h.merges[1].from, 3u);
  ASSERT_EQ(h.refused.size(), 1u);  // refused to 2, which is now part of 4
  EXPECT_EQ(h.refused[0].value, "u9");
  EXPECT_EQ(h.refused[0].reason, "max_per_profile");
  EXPECT_TRUE(must(store_->identity_history(99)).links.empty());
}

TEST_F(IdentityTest, SetLinkTimeMovesOnlyTheTime) {
  ASSERT_TRUE(store_->put_identifier("anonymous_id", "d1", 3, 40, 5000).ok());
  ASSERT_TRUE(store_->put_identifier("anonymous_id", "d2", 3, 41, 6000).ok());
  ASSERT_TRUE(store_->set_link_time("anonymous_id", "d1", 1000).ok());
  ASSERT_TRUE(store_->set_link_time("anonymous_id", "missing", 1000).ok());  // nothing to move
  std::vector<StoredLink> links = must(store_->links_of(3));
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].at_ms, 1000);
  EXPECT_EQ(links[1].at_ms, 6000);
  IdentityHistory h = must(store_->identity_history(3));
  ASSERT_EQ(h.links.size(), 2u);
  EXPECT_EQ(h.links[0].sequence, 40u);  // the link's event stays
  EXPECT_EQ(must(store_->find_profile("anonymous_id", "d1")), 3u);
}

TEST_F(IdentityTest, RefusedLinksCountForTheProfileTheyNameAndTheEventsProfile) {
  // 2 merged into 3; a link refused to 2 (its event went to 8); 5 untouched.
  ASSERT_TRUE(store_->add_merge(2, 3, 13).ok());
  ASSERT_TRUE(store_->add_merge(6, 7, 14).ok());
  EXPECT_FALSE(must(store_->has_refused_links(3)));
  ASSERT_TRUE(store_->add_conflict(16, "email", "a@b.ir", 2, "demoted", 8).ok());
  EXPECT_TRUE(must(store_->has_refused_links(3)));  // through the merge
  EXPECT_TRUE(must(store_->has_refused_links(2)));
  EXPECT_TRUE(must(store_->has_refused_links(8)));  // the event's profile
  EXPECT_FALSE(must(store_->has_refused_links(5)));
  EXPECT_FALSE(must(store_->has_refused_links(7)));
  ASSERT_TRUE(store_->add_conflict(17, "user_id", "u8", 9, "max_per_profile", 6).ok());
  EXPECT_TRUE(must(store_->has_refused_links(7)));  // event went to 6, now part of 7
}

TEST_F(IdentityTest, LiveProfileFollowsMergesToTheEnd) {
  // 2 -> 3 -> 4; 5 -> 6; 7 never merged; 99 never existed.
  ASSERT_TRUE(store_->add_merge(2, 3, 13).ok());
  ASSERT_TRUE(store_->add_merge(3, 4, 14).ok());
  ASSERT_TRUE(store_->add_merge(5, 6, 15).ok());
  EXPECT_EQ(must(store_->live_profile(2)), 4u);
  EXPECT_EQ(must(store_->live_profile(3)), 4u);
  EXPECT_EQ(must(store_->live_profile(4)), 4u);
  EXPECT_EQ(must(store_->live_profile(5)), 6u);
  EXPECT_EQ(must(store_->live_profile(7)), 7u);
  EXPECT_EQ(must(store_->live_profile(99)), 99u);
  // A damaged store's cycle is an error, not a hang.
  ASSERT_TRUE(store_->add_merge(4, 2, 16).ok());
  Result<uint64_t> cycle = store_->live_profile(2);
  ASSERT_FALSE(cycle.ok());
  EXPECT_EQ(cycle.status().code(), StatusCode::kCorruption);
}

TEST_F(IdentityTest, DecisionsComeInEventLogOrder) {
  ASSERT_TRUE(store_->add_conflict(20, "email", "x@y.ir", 1, "limit", 0).ok());
  ASSERT_TRUE(store_->add_merge(2, 1, 20).ok());
  ASSERT_TRUE(store_->add_merge(3, 1, 5).ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(store_
                  ->scan_identity_decisions([&](const IdentityDecision &d) {
                    seen.push_back(
                        std::to_string(d.sequence) +
                        (d.kind == IdentityDecision::Kind::kMerge
                             ? " merge " + std::to_string(d.from) + ">" + std::to_string(d.into)
                             : " refused " + d.value + " " + std::to_string(d.profile)));
                    return Status::Ok();
                  })
                  .ok());
  // Merges before refused links of the same event.
  EXPECT_EQ(seen, (std::vector<std::string>{"5 merge 3>1", "20 merge 2>1", "20 refused x@y.ir 1"}));
}

// Identifiers and source records an operator detached share one contract:
// detach upserts, clear_derived keeps them, scans come in key order, and a
// reattach of what is not detached is NotFound.
using DetachedScan =
    std::function<void(std::string_view, std::string_view, int64_t, std::string_view)>;
struct DetachedKind {
  Status (Store::*detach)(std::string_view, std::string_view, int64_t, std::string_view);
  Status (Store::*reattach)(std::string_view, std::string_view);
  Status (Store::*scan)(const DetachedScan &);
};

TEST_F(IdentityTest, DetachedIdentifiersAndRecordsAreDecisionsThatRebuildKeeps) {
  for (const DetachedKind kind :
       {DetachedKind{&Store::detach_identifier, &Store::reattach_identifier,
                     &Store::scan_detached_identifiers},
        DetachedKind{&Store::detach_record, &Store::reattach_record,
                     &Store::scan_detached_records}}) {
    Store &st = *store_;
    ASSERT_TRUE((st.*kind.detach)("phone", "+989121234567", 100, "family phone").ok());
    ASSERT_TRUE((st.*kind.detach)("email", "a@b.ir", 200, "").ok());
    ASSERT_TRUE((st.*kind.detach)("phone", "+989121234567", 300, "shared").ok());  // upsert
    ASSERT_TRUE(st.clear_derived().ok());
    std::vector<std::string> seen;
    auto scan = [&] {
      seen.clear();
      EXPECT_TRUE((st.*kind.scan)([&](std::string_view a, std::string_view b, int64_t at,
                                      std::string_view note) {
                    seen.push_back(std::string(a) + " " + std::string(b) + " " +
                                   std::to_string(at) + " " + std::string(note));
                  }).ok());
    };
    scan();
    EXPECT_EQ(seen,
              (std::vector<std::string>{"email a@b.ir 200 ", "phone +989121234567 300 shared"}));
    ASSERT_TRUE((st.*kind.reattach)("email", "a@b.ir").ok());
    EXPECT_EQ((st.*kind.reattach)("email", "a@b.ir").code(), StatusCode::kNotFound);
    scan();
    EXPECT_EQ(seen.size(), 1u);
  }
  // The two kinds are apart: the records above did not touch the identifiers.
  size_t identifiers = 0;
  ASSERT_TRUE(store_
                  ->scan_detached_identifiers([&](std::string_view, std::string_view, int64_t,
                                                  std::string_view) { ++identifiers; })
                  .ok());
  EXPECT_EQ(identifiers, 1u);
}

}  // namespace
}  // namespace halo::testing
