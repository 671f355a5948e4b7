// purchase_days.cpp -- see purchase_days.h.
#include "purchase_days.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "common/byte_codec.h"

namespace halo::clv {

namespace {

constexpr uint8_t kVersion = 1;
constexpr size_t kDayBytes = 4 + 8;

}  // namespace

void PurchaseDays::add(int32_t day, double value) {
  auto at = std::lower_bound(days_.begin(), days_.end(), day,
                             [](const PurchaseDay &d, int32_t x) { return d.day < x; });
  if (at != days_.end() && at->day == day) {
    at->value += value;
  } else {
    days_.insert(at, PurchaseDay{day, value});
  }
}

void PurchaseDays::merge(const PurchaseDays &other) {
  for (const PurchaseDay &d : other.days_) add(d.day, d.value);
}

bool PurchaseDays::summarize(int64_t end_day, double unit_days, CustomerSummary &out) const {
  // Days are unique and ascending: those up to end_day are a prefix.
  auto end = std::upper_bound(days_.begin(), days_.end(), end_day,
                              [](int64_t x, const PurchaseDay &d) { return x < d.day; });
  if (end == days_.begin()) return false;
  const PurchaseDay &first = days_.front(), &last = *(end - 1);
  CustomerSummary s;
  s.x = static_cast<uint32_t>(end - days_.begin() - 1);
  s.t_x = static_cast<double>(int64_t{last.day} - first.day) / unit_days;  // no int32 overflow
  s.T = static_cast<double>(end_day - first.day) / unit_days;
  double repeat_total = 0;
  for (auto d = days_.begin() + 1; d != end; ++d) repeat_total += d->value;
  s.mean_repeat_value = s.x > 0 ? repeat_total / s.x : 0;
  out = s;
  return true;
}

std::string PurchaseDays::encode() const {
  std::string out;
  out.reserve(5 + days_.size() * kDayBytes);
  plugins::ByteWriter w(out);
  w.byte(kVersion);
  w.fixed(days_.size(), 4);
  for (const PurchaseDay &d : days_) {
    w.fixed(static_cast<uint32_t>(d.day), 4);
    w.fixed(std::bit_cast<uint64_t>(d.value), 8);
  }
  return out;
}

PurchaseDays PurchaseDays::decode(std::string_view blob) {
  plugins::ByteReader r(blob);
  if (blob.size() < 5 || r.byte() != kVersion) {
    throw std::runtime_error("not a clv state of version 1");
  }
  const uint64_t count = r.fixed(4);
  if (r.left() != count * kDayBytes) {
    throw std::runtime_error("state holds " + std::to_string(blob.size()) + " bytes for " +
                             std::to_string(count) + " days");
  }
  PurchaseDays out;
  out.days_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    PurchaseDay d;
    d.day = static_cast<int32_t>(static_cast<uint32_t>(r.fixed(4)));
    d.value = std::bit_cast<double>(r.fixed(8));
    if (!out.days_.empty() && d.day <= out.days_.back().day) {
      throw std::runtime_error("days out of order");
    }
    if (!std::isfinite(d.value) || d.value < 0)
      throw std::runtime_error("a day's value is invalid");
    out.days_.push_back(d);
  }
  return out;
}

}  // namespace halo::clv
