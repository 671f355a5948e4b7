// purchase_history.h -- a customer's purchases reduced to what the
// buy-till-you-die models need (Fader, Hardie & Lee 2005): the number of
// repeat purchases x, the time of the last purchase t_x and the length of
// observation T, both measured from the first purchase, and the mean value
// of the repeat purchases.
//
// Invariants of a summary: 0 <= t_x <= T; x == 0 implies t_x == 0 and
// mean_repeat_value == 0. PurchaseDays::summarize (purchase_days.h) makes
// them from a customer's days with an order.
#pragma once

#include <cstdint>

namespace halo::clv {

struct CustomerSummary {
  uint32_t x = 0;                // repeat purchase occasions
  double t_x = 0;                // first to last purchase, in time units
  double T = 0;                  // first purchase to the end of calibration
  double mean_repeat_value = 0;  // mean value of the repeat occasions (zbar)
};

}  // namespace halo::clv
