// product_model.cpp -- see product_model.h.
#include "product_model.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>

#include "common/byte_codec.h"
#include "common/time_text.h"

namespace halo::recommendations {

namespace {

uint64_t pair_key(uint32_t a, uint32_t b) {
  return a < b ? (uint64_t{a} << 32 | b) : (uint64_t{b} << 32 | a);
}

// Counts every unordered pair of `items` (distinct) once.
void count_pairs(const std::vector<uint32_t> &items,
                 std::unordered_map<uint64_t, uint32_t> &pairs) {
  for (size_t a = 0; a < items.size(); ++a) {
    for (size_t b = a + 1; b < items.size(); ++b) ++pairs[pair_key(items[a], items[b])];
  }
}

}  // namespace

uint32_t ProductModel::intern(std::string_view product) {
  auto [it, fresh] = ids_.try_emplace(std::string(product), static_cast<uint32_t>(names_.size()));
  if (fresh) {
    names_.push_back(it->first);
    customers_of_.push_back(0);
    orders_of_.push_back(0);
  }
  return it->second;
}

int32_t ProductModel::find(std::string_view product) const {
  auto it = ids_.find(product);
  return it == ids_.end() ? -1 : static_cast<int32_t>(it->second);
}

void ProductModel::add(const PurchaseHistory &history, int64_t as_of_ms) {
  std::vector<uint32_t> items;
  for (const auto &b : history.bought(as_of_ms, options_.max_bought)) {
    items.push_back(intern(b.product));
  }
  if (items.empty()) return;
  ++customers_;
  for (uint32_t i : items) ++customers_of_[i];
  count_pairs(items, customer_pairs_);
  for (const Basket &order : history.orders()) {
    if (order.at_ms > as_of_ms) break;
    ++orders_;
    items.clear();
    for (const std::string &p : order.products) items.push_back(intern(p));
    for (uint32_t i : items) ++orders_of_[i];
    count_pairs(items, order_pairs_);
  }
}

bool ProductModel::before(uint32_t a, uint32_t b) const {
  if (customers_of_[a] != customers_of_[b]) return customers_of_[a] > customers_of_[b];
  return names_[a] < names_[b];
}

template <class Weight>
size_t ProductModel::keep_top(std::unordered_map<uint64_t, uint32_t> &pairs,
                              std::vector<std::vector<Neighbour>> &out, Weight weight) {
  out.assign(names_.size(), {});
  for (const auto &[key, count] : pairs) {
    if (count < options_.min_together) continue;
    const auto a = static_cast<uint32_t>(key >> 32), b = static_cast<uint32_t>(key);
    out[a].push_back({b, weight(a, b, count)});
    out[b].push_back({a, weight(b, a, count)});
  }
  pairs = {};  // the counts are not needed after the fit
  size_t kept = 0;
  for (auto &list : out) {
    auto better = [&](const Neighbour &x, const Neighbour &y) {
      return x.weight != y.weight ? x.weight > y.weight : names_[x.product] < names_[y.product];
    };
    const size_t k = std::min(list.size(), options_.neighbours);
    std::partial_sort(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(k), list.end(),
                      better);
    list.resize(k);
    list.shrink_to_fit();
    kept += k;
  }
  return kept;
}

void ProductModel::finish() {
  similar_pairs_ = keep_top(customer_pairs_, similar_, [&](uint32_t a, uint32_t b, uint32_t c) {
    return c / std::sqrt(double(customers_of_[a]) * double(customers_of_[b]));
  });
  together_pairs_ = keep_top(order_pairs_, together_, [&](uint32_t a, uint32_t, uint32_t c) {
    return double(c) / double(orders_of_[a]);
  });
  rank_popular();
}

void ProductModel::rank_popular() {
  popular_.resize(names_.size());
  for (uint32_t i = 0; i < popular_.size(); ++i) popular_[i] = i;
  std::sort(popular_.begin(), popular_.end(), [&](uint32_t a, uint32_t b) { return before(a, b); });
}

namespace {

using Neighbour = ProductModel::Neighbour;
constexpr uint8_t kModelVersion = 1;

void write_neighbours(plugins::ByteWriter &w, const std::vector<std::vector<Neighbour>> &lists) {
  for (const auto &list : lists) {
    w.varint(list.size());
    for (const auto &nb : list) {
      w.varint(nb.product);
      w.real(nb.weight);
    }
  }
}

void read_neighbours(plugins::ByteReader &r, size_t products, size_t max_per_product,
                     std::vector<std::vector<Neighbour>> &lists, size_t &pairs) {
  lists.assign(products, {});
  pairs = 0;
  for (auto &list : lists) {
    list.resize(r.count(std::min(products, max_per_product), "neighbour"));
    for (auto &nb : list) {
      nb.product = static_cast<uint32_t>(r.count(products - 1, "product index"));
      nb.weight = r.real();
      if (!(nb.weight > 0) || !std::isfinite(nb.weight)) {
        throw std::runtime_error("a neighbour weight is not a positive number");
      }
    }
    pairs += list.size();
  }
}

}  // namespace

std::string ProductModel::encode() const {
  std::string out;
  plugins::ByteWriter w(out);
  w.byte(kModelVersion);
  w.varint(customers_);
  w.varint(orders_);
  w.varint(names_.size());
  for (size_t i = 0; i < names_.size(); ++i) {
    w.varint(names_[i].size());
    w.bytes(names_[i]);
    w.varint(customers_of_[i]);
    w.varint(orders_of_[i]);
  }
  write_neighbours(w, similar_);
  write_neighbours(w, together_);
  return out;
}

ProductModel ProductModel::decode(std::string_view data, ModelOptions options) {
  plugins::ByteReader r(data);
  if (r.byte() != kModelVersion) throw std::runtime_error("a model of another version");
  ProductModel m(options);
  m.customers_ = static_cast<size_t>(r.count());
  m.orders_ = static_cast<size_t>(r.count());
  // Each product takes at least three bytes: the count is bounded by them.
  const size_t products = r.count(r.left() / 3, "product");
  for (size_t i = 0; i < products; ++i) {
    const std::string_view name = r.bytes(r.count(r.left(), "name byte"));
    if (m.intern(name) != i) throw std::runtime_error("a product is listed twice");
    m.customers_of_[i] = static_cast<uint32_t>(r.count(UINT32_MAX, "customer"));
    m.orders_of_[i] = static_cast<uint32_t>(r.count(UINT32_MAX, "order"));
  }
  read_neighbours(r, products, options.neighbours, m.similar_, m.similar_pairs_);
  read_neighbours(r, products, options.neighbours, m.together_, m.together_pairs_);
  r.expect_done();
  // One stored form per model (minimal varints), as the states have.
  if (m.encode() != data) throw std::runtime_error("not in canonical form");
  m.rank_popular();
  return m;
}

std::vector<std::string_view> ProductModel::recommend(const PurchaseHistory *history,
                                                      int64_t as_of_ms, int64_t exclude_ms,
                                                      size_t n) const {
  std::vector<double> score(names_.size(), 0.0);
  std::vector<char> excluded(names_.size(), 0);
  if (history != nullptr) {
    const int64_t recent_after = plugins::saturating_sub(as_of_ms, exclude_ms);
    for (const auto &b : history->bought(as_of_ms, options_.max_bought)) {
      const int32_t i = find(b.product);
      if (i < 0) continue;  // bought after the fit's reference time
      if (b.last_ms > recent_after) excluded[i] = 1;
      for (const Neighbour &nb : similar_[i]) score[nb.product] += nb.weight;
    }
  }
  std::vector<uint32_t> scored;
  for (uint32_t i = 0; i < score.size(); ++i) {
    if (score[i] > 0 && !excluded[i]) scored.push_back(i);
  }
  auto better = [&](uint32_t a, uint32_t b) {
    return score[a] != score[b] ? score[a] > score[b] : before(a, b);
  };
  const size_t k = std::min(scored.size(), n);
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(k), scored.end(),
                    better);
  scored.resize(k);
  std::vector<std::string_view> out;
  for (uint32_t i : scored) out.push_back(names_[i]);
  for (size_t p = 0; p < popular_.size() && out.size() < n; ++p) {  // popular to fill up
    const uint32_t i = popular_[p];
    if (score[i] <= 0 && !excluded[i]) out.push_back(names_[i]);
  }
  return out;
}

std::vector<std::string_view> ProductModel::together(const Basket &last_order, size_t n) const {
  std::unordered_map<uint32_t, double> score;
  std::vector<uint32_t> own;
  for (const std::string &p : last_order.products) {
    const int32_t i = find(p);
    if (i >= 0) own.push_back(static_cast<uint32_t>(i));
  }
  for (uint32_t i : own) {
    for (const Neighbour &nb : together_[i]) score[nb.product] += nb.weight;
  }
  for (uint32_t i : own) score.erase(i);
  std::vector<std::pair<uint32_t, double>> ranked(score.begin(), score.end());
  std::sort(ranked.begin(), ranked.end(), [&](const auto &a, const auto &b) {
    return a.second != b.second ? a.second > b.second : names_[a.first] < names_[b.first];
  });
  std::vector<std::string_view> out;
  for (size_t k = 0; k < ranked.size() && k < n; ++k) out.push_back(names_[ranked[k].first]);
  return out;
}

std::string join_products(const std::vector<std::string_view> &products) {
  std::string out;
  for (std::string_view p : products) {
    if (!out.empty()) out += ',';
    for (char c : p) {
      if (c == '%') {
        out += "%25";
      } else if (c == ',') {
        out += "%2C";
      } else {
        out += c;
      }
    }
  }
  return out;
}

}  // namespace halo::recommendations
