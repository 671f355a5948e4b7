// order_history.h -- the per-profile state of the rfm feature builder: every
// order's time and exact value, ascending by time. Recency, frequency and
// monetary value follow from it as of any reference time and over any
// window, and two profiles' histories merge exactly (a merge is a sorted
// union, so the result does not depend on which profile merges into which).
//
// Invariants: orders ascending by (time, value), so equal histories have
// equal stored forms whatever the order of arrival and merges; values >= 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"
#include "common/order_amount.h"

namespace halo::rfm {

using plugins::Decimal;

// Order values are at most plugins::kMaxOrderAmount (1e13): a history
// holds at most 2^32 orders, so no sum of them (< 4.3e22) comes near
// Decimal's range (1.7e29).
using plugins::kMaxOrderAmount;

struct Order {
  int64_t at_ms = 0;  // the event's timestamp
  Decimal value;
};

// One customer's RFM values as of a reference time.
struct RfmValues {
  int64_t recency_days = 0;  // whole days from the last order to the reference time
  int64_t frequency = 0;     // orders in the window
  Decimal monetary;          // their total value
};

class OrderHistory {
 public:
  void add(int64_t at_ms, const Decimal &value);
  void merge(const OrderHistory &other);
  size_t size() const { return orders_.size(); }
  // The values as of `as_of_ms`, with frequency and monetary over the
  // orders in (as_of_ms - window_ms, as_of_ms]; nullopt when no order is at
  // or before `as_of_ms` (a customer has not ordered yet).
  std::optional<RfmValues> values(int64_t as_of_ms, int64_t window_ms) const;
  // The first time after `as_of_ms` at which values() can differ: the next
  // whole day of recency, an order leaving the window, a later order.
  int64_t next_change(int64_t as_of_ms, int64_t window_ms) const;

  // Stored form: u8 version (1) | u32 count | count x { i64 ms | i64 lo |
  // i64 hi } (the value's raw 10^-9 units), little-endian. decode throws
  // std::runtime_error on anything else (out of order, negative values).
  std::string encode() const;
  static OrderHistory decode(std::string_view blob);

 private:
  std::vector<Order> orders_;
};

}  // namespace halo::rfm
