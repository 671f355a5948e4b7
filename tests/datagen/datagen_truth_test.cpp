// datagen_truth_test.cpp -- truth.jsonl agrees with the data files as re-read
// by independent parsers: identifiers unique per person, exactly the ones
// the valid records carry, each person's records connected through shared
// identifiers, and order counts/revenue equal to the recomputed sums.
#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

#include "demo_records.h"
#include "test_support.h"

namespace halo::datagen::testing {
namespace {

using IdKey = std::pair<std::string, std::string>;

std::string describe(const IdKey &id) {
  return id.first + "=" + id.second;
}

class DatagenTruth : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new DemoRecords(read_demo_records(shared_demo_dir()));
    truth_ = new std::vector<TruthPerson>(read_truth(shared_demo_dir()));
    owner_ = new std::map<IdKey, size_t>();
    for (size_t p = 0; p < truth_->size(); ++p) {
      for (const IdKey &id : (*truth_)[p].ids) owner_->emplace(id, p);
    }
  }
  static void TearDownTestSuite() {
    delete data_;
    delete truth_;
    delete owner_;
  }
  // The truth person a record belongs to (via its first identifier).
  static size_t owner_of(const Record &r) {
    EXPECT_FALSE(r.ids.empty()) << r.where << " carries no identifier";
    auto it = owner_->find(r.ids.front());
    EXPECT_NE(it, owner_->end()) << r.where << ": " << describe(r.ids.front()) << " not in truth";
    return it == owner_->end() ? SIZE_MAX : it->second;
  }

  static DemoRecords *data_;
  static std::vector<TruthPerson> *truth_;
  static std::map<IdKey, size_t> *owner_;
};
DemoRecords *DatagenTruth::data_ = nullptr;
std::vector<TruthPerson> *DatagenTruth::truth_ = nullptr;
std::map<IdKey, size_t> *DatagenTruth::owner_ = nullptr;

TEST_F(DatagenTruth, OneLinePerPersonInOrder) {
  ASSERT_EQ(truth_->size(), kSharedCustomers);
  EXPECT_EQ(truth_->front().person, "P000001");
  EXPECT_EQ(truth_->back().person, "P003000");
  for (const TruthPerson &p : *truth_) EXPECT_FALSE(p.ids.empty()) << p.person;
}

TEST_F(DatagenTruth, IdentifiersAreUniqueAcrossPersons) {
  size_t total = 0;
  for (const TruthPerson &p : *truth_) total += p.ids.size();
  EXPECT_EQ(owner_->size(), total) << "some identifier is listed for two persons (or twice)";
}

TEST_F(DatagenTruth, TruthListsExactlyTheIdentifiersTheValidRecordsCarry) {
  std::set<IdKey> in_data;
  for (const Record &r : data_->records) in_data.insert(r.ids.begin(), r.ids.end());
  for (const IdKey &id : in_data) {
    EXPECT_TRUE(owner_->count(id)) << describe(id) << " is in the data but not in truth";
  }
  for (const auto &[id, person] : *owner_) {
    EXPECT_TRUE(in_data.count(id)) << describe(id) << " of " << (*truth_)[person].person
                                   << " is in truth but in no valid record";
  }
}

TEST_F(DatagenTruth, EachPersonsRecordsConnectAndNeverTouchAnotherPerson) {
  // Union-find over identifiers: a record joins all identifiers it carries.
  std::map<IdKey, size_t> node;
  std::vector<size_t> parent;
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  auto id_of = [&](const IdKey &k) {
    auto [it, inserted] = node.emplace(k, parent.size());
    if (inserted) parent.push_back(parent.size());
    return it->second;
  };
  for (const Record &r : data_->records) {
    const size_t first = id_of(r.ids.front());
    for (const IdKey &k : r.ids) parent[find(id_of(k))] = find(first);
  }
  std::map<size_t, size_t> component_person;  // root -> truth index
  for (size_t p = 0; p < truth_->size(); ++p) {
    const TruthPerson &person = (*truth_)[p];
    const size_t root = find(id_of(person.ids.front()));
    for (const IdKey &k : person.ids) {
      EXPECT_EQ(find(id_of(k)), root) << person.person << ": " << describe(k)
                                      << " is not connected to " << describe(person.ids.front());
    }
    auto [it, inserted] = component_person.emplace(root, p);
    EXPECT_TRUE(inserted) << person.person << " shares a component with "
                          << (*truth_)[it->second].person;
  }
}

TEST_F(DatagenTruth, OrderCountAndRevenueEqualTheCountedRecords) {
  std::vector<int64_t> orders(truth_->size(), 0), revenue(truth_->size(), 0);
  for (const Record &r : data_->records) {
    if (!r.counted) continue;
    const size_t p = owner_of(r);
    ASSERT_NE(p, SIZE_MAX);
    ++orders[p];
    revenue[p] += r.amount_minor;
  }
  int64_t with_orders = 0;
  for (size_t p = 0; p < truth_->size(); ++p) {
    EXPECT_EQ((*truth_)[p].order_count, orders[p]) << (*truth_)[p].person;
    EXPECT_EQ((*truth_)[p].revenue_minor, revenue[p]) << (*truth_)[p].person;
    with_orders += orders[p] > 0;
  }
  EXPECT_GT(with_orders, static_cast<int64_t>(truth_->size() / 4));
}

TEST_F(DatagenTruth, SourceMixCoversTheIdentityCases) {
  size_t anonymous_only = 0, web_and_shop = 0, shop_crm_till = 0, till_card_and_phone_only = 0;
  for (const TruthPerson &p : *truth_) {
    std::set<std::string> kinds;
    for (const auto &[kind, value] : p.ids) kinds.insert(kind);
    anonymous_only += kinds == std::set<std::string>{"anonymous_id"};
    web_and_shop += kinds.count("user_id") && kinds.count("woo_customer_id");
    shop_crm_till += kinds.count("crm_id") && kinds.count("pos_card") && kinds.count("email");
    till_card_and_phone_only += kinds == std::set<std::string>{"phone", "pos_card"};
  }
  EXPECT_GT(anonymous_only, 100u);
  EXPECT_GT(web_and_shop, 100u);
  EXPECT_GT(shop_crm_till, 20u);
  EXPECT_GT(till_card_and_phone_only, 20u);
}

}  // namespace
}  // namespace halo::datagen::testing
