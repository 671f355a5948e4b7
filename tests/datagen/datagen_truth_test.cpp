// datagen_truth_test.cpp -- truth.jsonl agrees with the data files as re-read
// by independent parsers: identifiers unique per person, exactly the ones
// the valid records carry, each person's records connected through shared
// identifiers, order counts/revenue equal to the recomputed sums, and the
// hard cases (household phones, changed phones, mistyped emails) present.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

#include <simdjson.h>

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
    shared_ = new std::map<IdKey, size_t>();
    for (size_t p = 0; p < truth_->size(); ++p) {
      for (const IdKey &id : (*truth_)[p].ids) owner_->emplace(id, p);
      for (const IdKey &id : (*truth_)[p].shared) shared_->emplace(id, p);
    }
  }
  static void TearDownTestSuite() {
    delete data_;
    delete truth_;
    delete owner_;
    delete shared_;
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
  static std::map<IdKey, size_t> *shared_;  // value -> the person who uses it, not its owner
};
DemoRecords *DatagenTruth::data_ = nullptr;
std::vector<TruthPerson> *DatagenTruth::truth_ = nullptr;
std::map<IdKey, size_t> *DatagenTruth::owner_ = nullptr;
std::map<IdKey, size_t> *DatagenTruth::shared_ = nullptr;

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
  // Union-find over identifiers: a record joins all identifiers it carries,
  // except a household's phone (two people use it; tested below).
  auto is_shared = [&](const IdKey &k) { return shared_->count(k) != 0; };
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
    for (const IdKey &k : r.ids) {
      if (!is_shared(k)) parent[find(id_of(k))] = find(first);
    }
  }
  std::map<size_t, size_t> component_person;  // root -> truth index
  for (size_t p = 0; p < truth_->size(); ++p) {
    const TruthPerson &person = (*truth_)[p];
    const size_t root = find(id_of(person.ids.front()));
    for (const IdKey &k : person.ids) {
      if (is_shared(k)) continue;
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

// A household's phone belongs to the member whose record carried it first;
// the other member's records carry it too, always beside an account id
// (max_per_profile: 1), which is what lets a resolver keep them apart.
TEST_F(DatagenTruth, HouseholdPhonesBelongToTheirFirstHolderAndComeWithAnAccountId) {
  std::map<IdKey, size_t> first_holder;  // in file order
  size_t records_with_shared = 0;
  for (const Record &r : data_->records) {
    bool carries_shared = false;
    for (const IdKey &k : r.ids) {
      if (!shared_->count(k)) continue;
      carries_shared = true;
      first_holder.emplace(k, owner_of(r));
    }
    if (!carries_shared) continue;
    ++records_with_shared;
    const bool with_account = std::any_of(
        r.ids.begin(), r.ids.end(), [](const IdKey &k) { return k.first == "woo_customer_id"; });
    const bool with_email =
        std::any_of(r.ids.begin(), r.ids.end(), [](const IdKey &k) { return k.first == "email"; });
    EXPECT_TRUE(with_account || with_email)
        << r.where << " names its person by the shared phone only";
  }
  for (const auto &[value, user] : *shared_) {
    auto owner = owner_->find(value);
    ASSERT_NE(owner, owner_->end()) << describe(value) << " is shared but owned by nobody";
    EXPECT_NE(owner->second, user) << describe(value);
    EXPECT_EQ(first_holder[value], owner->second)
        << describe(value) << ": its owner is not the first to give it";
    for (size_t person : {owner->second, user}) {
      const auto &ids = (*truth_)[person].ids;
      EXPECT_EQ(std::count_if(ids.begin(), ids.end(),
                              [](const IdKey &k) { return k.first == "woo_customer_id"; }),
                1)
          << (*truth_)[person].person << " needs exactly one shop account";
    }
  }
  EXPECT_GT(records_with_shared, shared_->size());
}

// Every hard case is in the data set, as often as summary.json says.
TEST_F(DatagenTruth, HardCasesArePresentAndCounted) {
  simdjson::dom::parser parser;
  const std::string text = read_file(shared_demo_dir() / "summary.json");
  const simdjson::dom::element summary = parser.parse(text);
  auto count_of = [&](std::string_view kind, size_t at_least) {
    return std::count_if(truth_->begin(), truth_->end(), [&](const TruthPerson &p) {
      return static_cast<size_t>(std::count_if(p.ids.begin(), p.ids.end(), [&](const IdKey &k) {
               return k.first == kind;
             })) >= at_least;
    });
  };
  const int64_t households = summary["households"].get_int64();
  const int64_t changed_phones = summary["changed_phones"].get_int64();
  const int64_t mistyped_emails = summary["woo_orders.json"]["mistyped_emails"].get_int64();
  const auto holders = std::count_if(truth_->begin(), truth_->end(),
                                     [](const TruthPerson &p) { return !p.shared.empty(); });
  EXPECT_EQ(holders, households) << "one member of each household gives the other's phone";
  EXPECT_EQ(count_of("phone", 2), changed_phones) << "only a changed phone gives a person two";
  EXPECT_EQ(count_of("email", 2), mistyped_emails) << "a person mistypes an email at most once";
  EXPECT_GT(households, 10);
  EXPECT_GT(changed_phones, 50);
  EXPECT_GT(mistyped_emails, 30);
  EXPECT_GT(summary["crm_contacts.csv"]["mistyped_names"].get_int64().value(), 20);
}

}  // namespace
}  // namespace halo::datagen::testing
