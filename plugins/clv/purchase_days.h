// purchase_days.h -- the per-profile state of the clv feature builder: each
// calendar day (UTC) with an order and the total value ordered that day,
// ascending by day. What BG/NBD and Gamma-Gamma need (purchase_history.h)
// follows from it as of any date, and two profiles' days merge exactly.
// Orders on one day are one purchase occasion (their values add): the
// models count occasions, and the published CDNOW summaries are built so.
//
// Invariants: days strictly ascending; values finite and >= 0.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "purchase_history.h"

namespace halo::clv {

struct PurchaseDay {
  int32_t day = 0;  // days since 1970-01-01 (UTC)
  double value = 0;
};

class PurchaseDays {
 public:
  // Adds one order of `value` on `day` (a day already present adds up).
  void add(int32_t day, double value);
  // Adds every day of `other` (same-day values add up).
  void merge(const PurchaseDays &other);
  bool empty() const { return days_.empty(); }
  size_t size() const { return days_.size(); }
  // The purchases up to and including `end_day`, summarised in units of
  // `unit_days` days (7 for weeks); false (and `out` untouched) when there
  // are none.
  bool summarize(int64_t end_day, double unit_days, CustomerSummary &out) const;

  // Stored form: u8 version (1) | u32 count | count x { i32 day | f64 value },
  // little-endian. decode throws std::runtime_error on anything else.
  std::string encode() const;
  static PurchaseDays decode(std::string_view blob);

 private:
  std::vector<PurchaseDay> days_;
};

}  // namespace halo::clv
