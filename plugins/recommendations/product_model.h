// product_model.h -- the population step of the recommendations builder:
// from every customer's purchase history as of the reference time,
//  - item-to-item similarity: two products are similar when the same
//    customers bought both, cosine over customer sets,
//    sim(i, j) = C(i, j) / sqrt(N(i) N(j)) with C the customers who bought
//    both and N those who bought each (Linden, Smith & York, "Amazon.com
//    recommendations: item-to-item collaborative filtering", IEEE Internet
//    Computing 7(1), 2003);
//  - frequently bought together: confidence(i -> j) = O(i, j) / B(i), with
//    O the orders holding both and B the orders holding i (the association
//    rule measure of Agrawal, Imielinski & Swami, SIGMOD 1993);
//  - popularity: N(i), the fallback when a customer's own history says
//    too little.
// Then, per customer, the top products by summed similarity to what they
// bought, without what they bought recently.
//
// Invariants: the fit depends only on the set of histories (not the order
// they are visited in); every ranking breaks ties by product id, so equal
// inputs give equal outputs; pairs seen fewer than `min_together` times are
// not used (noise), and each product keeps at most `neighbours` similar and
// together products.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/string_keyed.h"
#include "purchase_history.h"

namespace halo::recommendations {

struct ModelOptions {
  size_t neighbours = 20;     // similar / together products kept per product
  uint32_t min_together = 2;  // customers (similarity) or orders (together) per pair
  size_t max_bought = 50;     // most recent distinct products of a customer used
};

class ProductModel {
 public:
  struct Neighbour {  // a similar or together product and its weight
    uint32_t product;
    double weight;
  };
  explicit ProductModel(ModelOptions options = {}) : options_(options) {}

  // Fits from scratch: call add() for every customer, then finish().
  void add(const PurchaseHistory &history, int64_t as_of_ms);
  void finish();

  // Up to `n` products for a customer: by summed similarity to the
  // products they bought as of `as_of_ms`, then by popularity; none bought
  // in (as_of_ms - exclude_ms, as_of_ms]. A customer without orders gets
  // the most popular products.
  std::vector<std::string_view> recommend(const PurchaseHistory *history, int64_t as_of_ms,
                                          int64_t exclude_ms, size_t n) const;
  // Up to `n` products most often in the same order as those of the
  // customer's last order (summed confidence), none of that order's own.
  std::vector<std::string_view> together(const Basket &last_order, size_t n) const;

  // The fitted model as bytes, and back (for a stored fit: load_model in
  // plugin.h). decode() throws std::runtime_error on damaged input or one
  // no fit gives (a duplicate product, a neighbour out of range, a weight
  // that is not positive, a form encode() does not write); the popularity
  // order is recomputed.
  std::string encode() const;
  static ProductModel decode(std::string_view data, ModelOptions options);

  size_t customers() const { return customers_; }
  size_t orders() const { return orders_; }
  size_t products() const { return names_.size(); }
  size_t similar_pairs() const { return similar_pairs_; }
  size_t together_pairs() const { return together_pairs_; }

 private:
  uint32_t intern(std::string_view product);
  int32_t find(std::string_view product) const;
  // Top options_.neighbours of each product's pair counts by `weight`.
  template <class Weight>
  size_t keep_top(std::unordered_map<uint64_t, uint32_t> &pairs,
                  std::vector<std::vector<Neighbour>> &out, Weight weight);
  bool before(uint32_t a, uint32_t b) const;  // popularity order
  void rank_popular();

  ModelOptions options_;
  plugins::StringMap<uint32_t> ids_;
  std::vector<std::string_view> names_;  // index -> id (views of ids_' keys: nodes never move)
  std::vector<uint32_t> customers_of_;   // N(i)
  std::vector<uint32_t> orders_of_;      // B(i)
  std::unordered_map<uint64_t, uint32_t> customer_pairs_, order_pairs_;  // while fitting
  std::vector<std::vector<Neighbour>> similar_, together_;
  std::vector<uint32_t> popular_;  // every product, most popular first
  size_t customers_ = 0, orders_ = 0, similar_pairs_ = 0, together_pairs_ = 0;
};

// Product ids joined with ',' for a feature value; '%' and ',' inside an id
// are written %25 and %2C, so every list splits back into its ids.
std::string join_products(const std::vector<std::string_view> &products);

}  // namespace halo::recommendations
