// product_model_test.cpp -- similarity, bought-together and popularity on
// five customers worked out by hand, exclusion of recent purchases, ties,
// independence from the order customers are visited in, and the list text.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "product_model.h"

namespace halo::recommendations {
namespace {

using Names = std::vector<std::string_view>;

PurchaseHistory history(
    std::initializer_list<std::pair<int64_t, std::vector<std::string>>> orders) {
  PurchaseHistory h;
  for (const auto &[at, products] : orders) h.add(at, products, 50);
  return h;
}

// c1 {A,B}; c2 {A,B} then {C}; c3 {A,C}; c4 {B}; c5 {D}.
// Customers per product N: A 3, B 3, C 2, D 1; customers per pair: AB 2,
// AC 2, BC 1 (c2). Orders per product B: A 3, B 3, C 2, D 1; orders per
// pair: AB 2, AC 1.
struct Shop {
  std::vector<PurchaseHistory> customers = {
      history({{1, {"A", "B"}}}), history({{1, {"A", "B"}}, {2, {"C"}}}),
      history({{1, {"A", "C"}}}), history({{1, {"B"}}}), history({{1, {"D"}}})};
  ProductModel fit(uint32_t min_together, std::vector<size_t> order = {0, 1, 2, 3, 4}) const {
    ProductModel m({20, min_together, 50});
    for (size_t i : order) m.add(customers[i], 100);
    m.finish();
    return m;
  }
};

TEST(ProductModel, CountsWhatItSaw) {
  ProductModel m = Shop().fit(1);
  EXPECT_EQ(m.customers(), 5u);
  EXPECT_EQ(m.orders(), 6u);
  EXPECT_EQ(m.products(), 4u);
  EXPECT_EQ(m.similar_pairs(), 6u);   // AB, AC, BC, each both ways
  EXPECT_EQ(m.together_pairs(), 4u);  // AB, AC both ways
}

TEST(ProductModel, RecommendsBySimilarityThenPopularity) {
  Shop shop;
  ProductModel m = shop.fit(1);
  // c4 bought B: sim(B,A) = 2/sqrt(3*3) = 0.667 > sim(B,C) = 1/sqrt(3*2) =
  // 0.408; then the rest by popularity (B before D; A and B tie on 3
  // customers, A first by id, and is already listed).
  EXPECT_EQ(m.recommend(&shop.customers[3], 100, 10, 4), (Names{"A", "C", "B", "D"}));
  EXPECT_EQ(m.recommend(&shop.customers[3], 100, 10, 1), (Names{"A"}));
  // c3 bought A and C (recently: excluded); B scores 0.667 + 0.408.
  EXPECT_EQ(m.recommend(&shop.customers[2], 100, 1000, 4), (Names{"B", "D"}));
  // Nobody else bought D: c5 and a new customer get the most popular.
  EXPECT_EQ(m.recommend(&shop.customers[4], 100, 1000, 4), (Names{"A", "B", "C"}));
  EXPECT_EQ(m.recommend(nullptr, 100, 1000, 2), (Names{"A", "B"}));
}

TEST(ProductModel, OnlyRecentPurchasesAreExcluded) {
  Shop shop;
  ProductModel m = shop.fit(1);
  // c4 bought B at 1: excluded while the window (as_of - exclude, as_of]
  // holds 1.
  EXPECT_EQ(m.recommend(&shop.customers[3], 100, 100, 4), (Names{"A", "C", "D"}));
  EXPECT_EQ(m.recommend(&shop.customers[3], 100, 99, 4), (Names{"A", "C", "B", "D"}));
}

TEST(ProductModel, PairsBelowTheMinimumAreIgnored) {
  Shop shop;
  ProductModel m = shop.fit(2);
  EXPECT_EQ(m.similar_pairs(), 4u);   // BC (1 customer) dropped
  EXPECT_EQ(m.together_pairs(), 2u);  // AC (1 order) dropped
  // c4 bought B: only A is similar now; C comes by popularity.
  EXPECT_EQ(m.recommend(&shop.customers[3], 100, 1000, 4), (Names{"A", "C", "D"}));
  EXPECT_EQ(m.together(shop.customers[0].orders()[0], 3), (Names{}));
  EXPECT_EQ(m.together(Basket{1, {"A"}}, 3), (Names{"B"}));
}

TEST(ProductModel, BoughtTogetherSumsConfidence) {
  Shop shop;
  ProductModel m = shop.fit(1);
  // A -> B 2/3, A -> C 1/3.
  EXPECT_EQ(m.together(Basket{1, {"A"}}, 3), (Names{"B", "C"}));
  EXPECT_EQ(m.together(Basket{1, {"A"}}, 1), (Names{"B"}));
  // {A, B}: C from A (1/3); the order's own products never.
  EXPECT_EQ(m.together(Basket{1, {"A", "B"}}, 3), (Names{"C"}));
  EXPECT_EQ(m.together(Basket{1, {"D"}}, 3), (Names{}));
  EXPECT_EQ(m.together(Basket{1, {"unknown"}}, 3), (Names{}));
}

TEST(ProductModel, LaterOrdersThanTheReferenceTimeAreNotSeen) {
  PurchaseHistory h = history({{1, {"A", "B"}}, {500, {"C", "A"}}});
  ProductModel m({20, 1, 50});
  m.add(h, 100);
  m.finish();
  EXPECT_EQ(m.products(), 2u);
  EXPECT_EQ(m.orders(), 1u);
}

TEST(ProductModel, TiesGoByIdAndVisitOrderDoesNotMatter) {
  // x1 {P,Q}, x2 {P,R}: sim(P,Q) = sim(P,R); Q and R tie on popularity.
  std::vector<PurchaseHistory> people = {history({{1, {"P", "Q"}}}), history({{1, {"P", "R"}}}),
                                         history({{1, {"P"}}})};
  ProductModel m({20, 1, 50});
  for (const auto &p : people) m.add(p, 10);
  m.finish();
  EXPECT_EQ(m.recommend(&people[2], 10, 0, 2), (Names{"Q", "R"}));
  EXPECT_EQ(m.together(Basket{1, {"P"}}, 2), (Names{"Q", "R"}));

  Shop shop;
  const ProductModel reference = shop.fit(1);
  std::vector<size_t> order = {0, 1, 2, 3, 4};
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(order.begin(), order.end(), rng);
    ProductModel m2 = shop.fit(1, order);
    for (const PurchaseHistory &c : shop.customers) {
      EXPECT_EQ(m2.recommend(&c, 100, 10, 4), reference.recommend(&c, 100, 10, 4));
      EXPECT_EQ(m2.together(c.orders().back(), 3), reference.together(c.orders().back(), 3));
    }
  }
}

TEST(JoinProducts, EscapesTheSeparator) {
  EXPECT_EQ(join_products({}), "");
  EXPECT_EQ(join_products({"101", "a,b", "50%"}), "101,a%2Cb,50%25");
}

}  // namespace
}  // namespace halo::recommendations
