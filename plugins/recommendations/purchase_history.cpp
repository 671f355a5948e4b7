// purchase_history.cpp -- see purchase_history.h.
#include "purchase_history.h"

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <unordered_map>

#include "common/byte_codec.h"

namespace halo::recommendations {

namespace {
constexpr uint8_t kVersion = 1;
}  // namespace

void PurchaseHistory::add(int64_t at_ms, std::vector<std::string> products, size_t max_orders) {
  std::sort(products.begin(), products.end());
  products.erase(std::unique(products.begin(), products.end()), products.end());
  Basket b{at_ms, std::move(products)};
  orders_.insert(std::upper_bound(orders_.begin(), orders_.end(), b), std::move(b));
  keep_recent(max_orders);
}

void PurchaseHistory::merge(const PurchaseHistory &other, size_t max_orders) {
  std::vector<Basket> all;
  all.reserve(orders_.size() + other.orders_.size());
  std::merge(orders_.begin(), orders_.end(), other.orders_.begin(), other.orders_.end(),
             std::back_inserter(all));
  orders_ = std::move(all);
  keep_recent(max_orders);
}

void PurchaseHistory::keep_recent(size_t max_orders) {
  if (orders_.size() > max_orders) {
    orders_.erase(orders_.begin(), orders_.end() - static_cast<std::ptrdiff_t>(max_orders));
  }
}

std::vector<PurchaseHistory::Bought> PurchaseHistory::bought(int64_t as_of_ms, size_t limit) const {
  std::unordered_map<std::string_view, int64_t> last;
  for (const Basket &b : orders_) {
    if (b.at_ms > as_of_ms) break;  // ascending: the rest are later too
    for (const std::string &p : b.products) last[p] = b.at_ms;
  }
  std::vector<Bought> out;
  out.reserve(last.size());
  for (const auto &[product, ms] : last) out.push_back({product, ms});
  std::sort(out.begin(), out.end(), [](const Bought &a, const Bought &b) {
    return a.last_ms != b.last_ms ? a.last_ms > b.last_ms : a.product < b.product;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

const Basket *PurchaseHistory::last_order(int64_t as_of_ms) const {
  auto after = std::upper_bound(orders_.begin(), orders_.end(), as_of_ms,
                                [](int64_t t, const Basket &b) { return t < b.at_ms; });
  return after == orders_.begin() ? nullptr : &*(after - 1);
}

std::string PurchaseHistory::encode() const {
  std::string out;
  plugins::ByteWriter w(out);
  w.byte(kVersion);
  w.varint(orders_.size());
  for (const Basket &b : orders_) {
    w.svarint(b.at_ms);
    w.varint(b.products.size());
    for (const std::string &p : b.products) {
      w.varint(p.size());
      w.bytes(p);
    }
  }
  return out;
}

PurchaseHistory PurchaseHistory::decode(std::string_view blob) {
  plugins::ByteReader r(blob);
  if (r.byte() != kVersion) throw std::runtime_error("unknown purchase history version");
  const auto count = r.varint();
  if (count > kMaxOrdersKept) throw std::runtime_error("more orders than kept");
  PurchaseHistory h;
  h.orders_.reserve(static_cast<size_t>(count));
  for (size_t i = 0; i < count; ++i) {
    Basket b;
    const auto ms = r.svarint();
    if (ms < INT64_MIN || ms > INT64_MAX) throw std::runtime_error("order time out of range");
    b.at_ms = static_cast<int64_t>(ms);
    const auto n = r.varint();
    if (n == 0 || n > kMaxProductsPerOrder) throw std::runtime_error("bad product count");
    for (size_t k = 0; k < n; ++k) {
      const auto len = r.varint();
      if (len == 0 || len > kMaxProductIdBytes) throw std::runtime_error("bad product id length");
      std::string p(r.bytes(static_cast<size_t>(len)));
      if (!b.products.empty() && !(b.products.back() < p)) {
        throw std::runtime_error("products out of order");
      }
      b.products.push_back(std::move(p));
    }
    if (!h.orders_.empty() && b < h.orders_.back()) throw std::runtime_error("orders out of order");
    h.orders_.push_back(std::move(b));
  }
  if (!r.done()) throw std::runtime_error("trailing bytes");
  // One stored form per history (minimal varints), so equal histories
  // compare equal as bytes.
  if (h.encode() != blob) throw std::runtime_error("not in canonical form");
  return h;
}

}  // namespace halo::recommendations
