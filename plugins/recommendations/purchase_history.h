// purchase_history.h -- the per-profile state of the recommendations
// feature builder: the customer's most recent orders, each its time and the
// distinct products in it. What a customer bought as of any reference time,
// and which products shared an order, follow from it.
//
// Invariants: orders ascending by (time, products); each order's products
// sorted, distinct and non-empty; at most `max_orders` orders (the most
// recent kept), so equal histories have equal stored forms whatever the
// order of arrival and merges.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace halo::recommendations {

// Hard bounds of the stored form (the options are checked against them).
inline constexpr size_t kMaxOrdersKept = 1000;
inline constexpr size_t kMaxProductsPerOrder = 1000;
inline constexpr size_t kMaxProductIdBytes = 256;

struct Basket {
  int64_t at_ms = 0;
  std::vector<std::string> products;  // sorted, distinct
  auto operator<=>(const Basket &) const = default;
};

class PurchaseHistory {
 public:
  // Adds one order (its products in any order, repeats allowed; at least
  // one) and keeps the `max_orders` most recent.
  void add(int64_t at_ms, std::vector<std::string> products, size_t max_orders);
  // Every order of both, the `max_orders` most recent kept.
  void merge(const PurchaseHistory &other, size_t max_orders);

  const std::vector<Basket> &orders() const { return orders_; }
  // The distinct products of the orders at or before `as_of_ms`, each with
  // the time it was last bought, most recent first (then by id), at most
  // `limit` of them.
  struct Bought {
    std::string_view product;
    int64_t last_ms;
  };
  std::vector<Bought> bought(int64_t as_of_ms, size_t limit) const;
  // The last order at or before `as_of_ms`, or nullptr.
  const Basket *last_order(int64_t as_of_ms) const;

  // Stored form: u8 version (1) | varint orders | per order: svarint ms |
  // varint products | per product: varint length, bytes. decode throws
  // std::runtime_error on anything else (out of order, repeats, empty or
  // oversized ids, more than the hard bounds above, varints longer than
  // needed): each history has exactly one stored form.
  std::string encode() const;
  static PurchaseHistory decode(std::string_view blob);

 private:
  void keep_recent(size_t max_orders);
  std::vector<Basket> orders_;
};

}  // namespace halo::recommendations
