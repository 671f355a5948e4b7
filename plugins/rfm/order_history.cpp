// order_history.cpp -- see order_history.h.
#include "order_history.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "common/byte_codec.h"
#include "common/time_text.h"

namespace halo::rfm {

namespace {

constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderBytes = 1 + 4;
constexpr size_t kOrderBytes = 8 + 16;
using plugins::kDayMs;
using plugins::saturating_add;
using plugins::saturating_sub;
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

bool earlier(const Order &a, const Order &b) {
  return a.at_ms != b.at_ms ? a.at_ms < b.at_ms : a.value < b.value;
}

// The first order after `at_ms`.
std::vector<Order>::const_iterator after(const std::vector<Order> &orders, int64_t at_ms) {
  return std::upper_bound(orders.begin(), orders.end(), at_ms,
                          [](int64_t t, const Order &o) { return t < o.at_ms; });
}

}  // namespace

void OrderHistory::add(int64_t at_ms, const Decimal &value) {
  Order o{at_ms, value};
  orders_.insert(std::upper_bound(orders_.begin(), orders_.end(), o, earlier), o);
}

void OrderHistory::merge(const OrderHistory &other) {
  std::vector<Order> both;
  both.reserve(orders_.size() + other.orders_.size());
  std::merge(orders_.begin(), orders_.end(), other.orders_.begin(), other.orders_.end(),
             std::back_inserter(both), earlier);
  orders_ = std::move(both);
}

std::optional<RfmValues> OrderHistory::values(int64_t as_of_ms, int64_t window_ms) const {
  const auto end = after(orders_, as_of_ms);
  if (end == orders_.begin()) return std::nullopt;
  RfmValues v;
  // as_of_ms >= the last order's time: the difference is >= 0.
  const int64_t since = saturating_sub(as_of_ms, (end - 1)->at_ms);
  v.recency_days = since / kDayMs;
  for (auto o = after(orders_, saturating_sub(as_of_ms, window_ms)); o < end; ++o) {
    ++v.frequency;
    v.monetary.add(o->value);  // cannot overflow (kMaxOrderAmount)
  }
  return v;
}

int64_t OrderHistory::next_change(int64_t as_of_ms, int64_t window_ms) const {
  const auto end = after(orders_, as_of_ms);
  int64_t next = end == orders_.end() ? kNever : end->at_ms;
  if (end == orders_.begin()) return next;
  const int64_t last = (end - 1)->at_ms;
  const int64_t days = saturating_sub(as_of_ms, last) / kDayMs;
  next = std::min(next, saturating_add(saturating_add(last, days * kDayMs), kDayMs));
  const auto first_in_window = after(orders_, saturating_sub(as_of_ms, window_ms));
  if (first_in_window < end)
    next = std::min(next, saturating_add(first_in_window->at_ms, window_ms));
  return next;
}

std::string OrderHistory::encode() const {
  std::string out;
  out.reserve(kHeaderBytes + orders_.size() * kOrderBytes);
  plugins::ByteWriter w(out);
  w.byte(kVersion);
  w.fixed(orders_.size(), 4);
  for (const Order &o : orders_) {
    const auto raw = static_cast<unsigned __int128>(o.value.raw());
    w.fixed(static_cast<uint64_t>(o.at_ms), 8);
    w.fixed(static_cast<uint64_t>(raw), 8);
    w.fixed(static_cast<uint64_t>(raw >> 64), 8);
  }
  return out;
}

OrderHistory OrderHistory::decode(std::string_view blob) {
  plugins::ByteReader r(blob);
  if (blob.size() < kHeaderBytes || r.byte() != kVersion) {
    throw std::runtime_error("not an rfm state of version 1");
  }
  const uint64_t count = r.fixed(4);
  if (r.left() != count * kOrderBytes) {
    throw std::runtime_error("state holds " + std::to_string(blob.size()) + " bytes for " +
                             std::to_string(count) + " orders");
  }
  OrderHistory out;
  out.orders_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    const auto at_ms = static_cast<int64_t>(r.fixed(8));
    const unsigned __int128 low = r.fixed(8), high = r.fixed(8);
    Order o{at_ms, Decimal::from_raw(static_cast<Decimal::Raw>((high << 64) | low))};
    if (o.value.raw() < 0 || kMaxOrderAmount < o.value) {
      throw std::runtime_error("an order's value is out of range");
    }
    if (!out.orders_.empty() && earlier(o, out.orders_.back())) {
      throw std::runtime_error("orders out of order");
    }
    out.orders_.push_back(o);
  }
  return out;
}

}  // namespace halo::rfm
