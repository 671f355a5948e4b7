// profiles_test.cpp -- profiles, features and feature-builder state CRUD.
#include <map>

#include "temp_store.h"

namespace halo::testing {
namespace {

class ProfilesTest : public TempStoreTest {
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
  void put(uint64_t id, std::string traits, int64_t at) {
    StoredProfile p;
    p.id = id;
    p.traits = std::move(traits);
    p.updated_at_ms = at;
    p.features = "{\"ignored\":true}";  // put_profile must not write features
    ASSERT_TRUE(store_->put_profile(p).ok());
  }
  std::map<uint64_t, std::string> state_of(std::string_view instance) {
    std::map<uint64_t, std::string> out;
    EXPECT_TRUE(store_
                    ->scan_feature_state(instance,
                                         [&](uint64_t id, const void *d, size_t n) {
                                           out[id].assign(static_cast<const char *>(d), n);
                                         })
                    .ok());
    return out;
  }
  std::unique_ptr<Store> store_;
};

TEST_F(ProfilesTest, PutGetAndUpsertTraits) {
  EXPECT_EQ(must(store_->get_profile(1)), std::nullopt);
  put(1, R"({"name":"Sara"})", 100);
  auto p = must(store_->get_profile(1));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->id, 1u);
  EXPECT_EQ(p->traits, R"({"name":"Sara"})");
  EXPECT_EQ(p->features, StoredProfile{}.features);  // no features row
  EXPECT_EQ(p->updated_at_ms, 100);
  put(1, R"({"name":"Sara","city":"Tehran"})", 200);
  p = must(store_->get_profile(1));
  EXPECT_EQ(p->traits, R"({"name":"Sara","city":"Tehran"})");
  EXPECT_EQ(p->updated_at_ms, 200);
  EXPECT_EQ(must(store_->profile_count()), 1u);
}

TEST_F(ProfilesTest, FeaturesAreIndependentOfTraitWrites) {
  put(5, "{}", 1);
  ASSERT_TRUE(store_->put_features(5, R"({"order_count":3})").ok());
  put(5, R"({"a":1})", 2);  // must not reset features
  auto p = must(store_->get_profile(5));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->features, R"({"order_count":3})");
  EXPECT_EQ(p->traits, R"({"a":1})");
  ASSERT_TRUE(store_->put_features(5, R"({"order_count":4})").ok());
  EXPECT_EQ(must(store_->get_profile(5))->features, R"({"order_count":4})");
}

TEST_F(ProfilesTest, DeleteRemovesProfileFeaturesAndFeatureState) {
  put(1, "{}", 1);
  put(2, "{}", 1);
  ASSERT_TRUE(store_->put_features(1, R"({"x":1})").ok());
  ASSERT_TRUE(store_->put_feature_state("agg", 1, "s1", 2).ok());
  ASSERT_TRUE(store_->put_feature_state("rfm", 1, "r1", 2).ok());
  ASSERT_TRUE(store_->put_feature_state("agg", 2, "s2", 2).ok());
  // Builders with state for other profiles only, before and after in name
  // order (the delete seeks each builder's row).
  ASSERT_TRUE(store_->put_feature_state("loyalty", 2, "l2", 2).ok());
  ASSERT_TRUE(store_->put_feature_state("zeta", 1, "z1", 2).ok());
  ASSERT_TRUE(store_->delete_profile(1).ok());
  EXPECT_EQ(must(store_->get_profile(1)), std::nullopt);
  EXPECT_EQ(must(store_->profile_count()), 1u);
  EXPECT_EQ(state_of("agg"), (std::map<uint64_t, std::string>{{2, "s2"}}));
  EXPECT_TRUE(state_of("rfm").empty());
  EXPECT_TRUE(state_of("zeta").empty());
  EXPECT_EQ(state_of("loyalty"), (std::map<uint64_t, std::string>{{2, "l2"}}));
  put(1, "{}", 3);  // recreated profile starts without the old features
  EXPECT_EQ(must(store_->get_profile(1))->features, StoredProfile{}.features);  // no features row
  EXPECT_TRUE(store_->delete_profile(42).ok());  // deleting nothing is fine
}

TEST_F(ProfilesTest, ScanIsOrderedByIdAndCarriesFeatures) {
  for (uint64_t id : {30u, 2u, 17u, 1000u}) put(id, "{\"id\":" + std::to_string(id) + "}", 9);
  ASSERT_TRUE(store_->put_features(17, R"({"f":1})").ok());
  std::vector<uint64_t> ids;
  std::string features_of_17;
  ASSERT_TRUE(store_
                  ->scan_profiles([&](const StoredProfile &p) {
                    ids.push_back(p.id);
                    EXPECT_EQ(p.traits, "{\"id\":" + std::to_string(p.id) + "}");
                    if (p.id == 17)
                      features_of_17 = p.features;
                    else
                      EXPECT_EQ(p.features, StoredProfile{}.features);
                  })
                  .ok());
  EXPECT_EQ(ids, (std::vector<uint64_t>{2, 17, 30, 1000}));
  EXPECT_EQ(features_of_17, R"({"f":1})");
}

TEST_F(ProfilesTest, FeatureStateUpsertDeleteAndBinaryData) {
  const std::string binary("\0\x01\xff\x80zz", 6);
  ASSERT_TRUE(store_->put_feature_state("agg", 3, binary.data(), binary.size()).ok());
  ASSERT_TRUE(store_->put_feature_state("agg", 1, "", 0).ok());
  ASSERT_TRUE(store_->put_feature_state("other", 3, "o", 1).ok());
  EXPECT_EQ(state_of("agg"), (std::map<uint64_t, std::string>{{1, ""}, {3, binary}}));
  ASSERT_TRUE(store_->put_feature_state("agg", 3, "new", 3).ok());
  EXPECT_EQ(state_of("agg")[3], "new");
  ASSERT_TRUE(store_->delete_feature_state("agg", 3).ok());
  EXPECT_EQ(state_of("agg"), (std::map<uint64_t, std::string>{{1, ""}}));
  EXPECT_EQ(state_of("other"), (std::map<uint64_t, std::string>{{3, "o"}}));
  EXPECT_TRUE(state_of("missing").empty());
}

}  // namespace
}  // namespace halo::testing
