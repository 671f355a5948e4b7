// purchase_history_test.cpp -- orders kept in a canonical order and bound,
// merges independent of direction, as-of views, the stored form and its
// refusals.
#include <gtest/gtest.h>

#include <stdexcept>

#include "purchase_history.h"

namespace halo::recommendations {
namespace {

using Products = std::vector<std::string>;

TEST(PurchaseHistory, OrdersAreSortedDistinctAndTheMostRecentAreKept) {
  PurchaseHistory h;
  h.add(300, {"b", "a", "b"}, 2);
  h.add(100, {"c"}, 2);
  h.add(200, {"d", "c"}, 2);
  ASSERT_EQ(h.orders().size(), 2u);  // the order at 100 fell out
  EXPECT_EQ(h.orders()[0].at_ms, 200);
  EXPECT_EQ(h.orders()[0].products, (Products{"c", "d"}));
  EXPECT_EQ(h.orders()[1].products, (Products{"a", "b"}));
}

TEST(PurchaseHistory, MergeDoesNotDependOnDirection) {
  PurchaseHistory a, b;
  a.add(10, {"x"}, 3);
  a.add(30, {"y", "z"}, 3);
  b.add(20, {"x", "w"}, 3);
  b.add(40, {"v"}, 3);
  PurchaseHistory ab = a, ba = b;
  ab.merge(b, 3);
  ba.merge(a, 3);
  EXPECT_EQ(ab.encode(), ba.encode());
  ASSERT_EQ(ab.orders().size(), 3u);
  EXPECT_EQ(ab.orders().front().at_ms, 20);
}

TEST(PurchaseHistory, BoughtAsOfIsMostRecentFirstAndIgnoresLaterOrders) {
  PurchaseHistory h;
  h.add(100, {"a", "b"}, 10);
  h.add(200, {"b", "c"}, 10);
  h.add(300, {"d"}, 10);
  auto bought = h.bought(250, 10);
  ASSERT_EQ(bought.size(), 3u);
  EXPECT_EQ(bought[0].product, "b");  // 200, before "c" by id
  EXPECT_EQ(bought[0].last_ms, 200);
  EXPECT_EQ(bought[1].product, "c");
  EXPECT_EQ(bought[2].product, "a");
  EXPECT_EQ(bought[2].last_ms, 100);
  EXPECT_EQ(h.bought(250, 1).size(), 1u);
  EXPECT_TRUE(h.bought(99, 10).empty());
  ASSERT_NE(h.last_order(250), nullptr);
  EXPECT_EQ(h.last_order(250)->at_ms, 200);
  EXPECT_EQ(h.last_order(300)->at_ms, 300);
  EXPECT_EQ(h.last_order(99), nullptr);
}

TEST(PurchaseHistory, StoredFormRoundTrips) {
  PurchaseHistory h;
  h.add(-5, {"before 1970"}, 10);
  h.add(INT64_MAX, {"last", "μ"}, 10);
  h.add(7, {std::string(kMaxProductIdBytes, 'p')}, 10);
  PurchaseHistory back = PurchaseHistory::decode(h.encode());
  EXPECT_EQ(back.orders(), h.orders());
  EXPECT_EQ(PurchaseHistory::decode(PurchaseHistory().encode()).orders().size(), 0u);
}

TEST(PurchaseHistory, DamagedStoredFormsAreRefused) {
  PurchaseHistory h;
  h.add(1, {"a", "b"}, 10);
  const std::string good = h.encode();
  EXPECT_THROW(PurchaseHistory::decode(""), std::runtime_error);
  EXPECT_THROW(PurchaseHistory::decode(good.substr(0, good.size() - 1)), std::runtime_error);
  EXPECT_THROW(PurchaseHistory::decode(good + "x"), std::runtime_error);
  std::string version = good;
  version[0] = 2;
  EXPECT_THROW(PurchaseHistory::decode(version), std::runtime_error);
  // Products out of order: "b" before "a".
  std::string swapped = good;
  std::swap(swapped[swapped.size() - 1], swapped[swapped.size() - 3]);
  EXPECT_THROW(PurchaseHistory::decode(swapped), std::runtime_error);
  // An empty product id, and an order without products.
  EXPECT_THROW(PurchaseHistory::decode(std::string("\x01\x01\x02\x01\x00", 5)), std::runtime_error);
  EXPECT_THROW(PurchaseHistory::decode(std::string("\x01\x01\x02\x00", 4)), std::runtime_error);
  // More orders than any history keeps.
  EXPECT_THROW(PurchaseHistory::decode(std::string("\x01\xe9\x07", 3)), std::runtime_error);
}

}  // namespace
}  // namespace halo::recommendations
