// activity.h -- the per-profile state of the loyalty feature builder: every
// purchase (time, amount in the program's currency, points earned), every
// positive feedback (a good review, a promoter's survey answer), every
// engagement with a message (an open, a click, a tap) and every referral,
// by time. The totals over any window as of any reference time
// follow from it, and two profiles' activities merge exactly.
//
// Invariants: each list ascending (purchases by time, amount, points), so
// equal activities have equal stored forms whatever the order of arrival
// and merges; amounts and points >= 0.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"

namespace halo::loyalty {

using plugins::Decimal;

// The largest purchase taken (program currency) and the most points one
// purchase earns: a profile holds at most 2^32 purchases, so no sum comes
// near Decimal's range (1.7e29) or int64's (9.2e18).
inline const Decimal kMaxAmount = Decimal::from_int(10'000'000'000'000'000);
inline constexpr int64_t kMaxPoints = 1'000'000'000;

struct Purchase {
  int64_t at_ms = 0;
  Decimal amount;
  int64_t points = 0;
  bool operator<(const Purchase &o) const;
  bool operator==(const Purchase &) const = default;
};

// What a customer did within a window, the inputs of every rule.
struct Totals {
  int64_t orders = 0;
  Decimal spend;
  int64_t points = 0;
  int64_t positive_feedback = 0;
  int64_t engagements = 0;
  int64_t referrals = 0;
};

class Activity {
 public:
  void purchase(const Purchase &p);
  void positive_feedback(int64_t at_ms);
  void engagement(int64_t at_ms);
  void referral(int64_t at_ms);
  void merge(const Activity &other);

  bool has_purchase_by(int64_t as_of_ms) const {
    return !purchases_.empty() && purchases_.front().at_ms <= as_of_ms;
  }
  // Totals of what happened in (as_of_ms - window_ms, as_of_ms]; a window
  // of INT64_MAX is all time.
  Totals totals(int64_t as_of_ms, int64_t window_ms) const;
  // The first time after `as_of_ms` at which totals over any of `windows`
  // can differ: something leaving a window, or a later event coming due.
  int64_t next_change(int64_t as_of_ms, const std::vector<int64_t> &windows) const;

  // Stored form: u8 version (1) | varint purchases | per purchase: svarint
  // ms, svarint amount raw (10^-9 units), varint points | varint n, svarint
  // ms... for feedback, then engagements, then referrals. decode throws
  // std::runtime_error on anything else (out of order, negative, not
  // minimal): each activity has one stored form.
  std::string encode() const;
  static Activity decode(std::string_view blob);

 private:
  std::vector<Purchase> purchases_;
  std::vector<int64_t> feedback_, engagements_, referrals_;
};

}  // namespace halo::loyalty
