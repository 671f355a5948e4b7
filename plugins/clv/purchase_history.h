// purchase_history.h -- a customer's purchases reduced to what the
// buy-till-you-die models need (Fader, Hardie & Lee 2005): the number of
// repeat purchases x, the time of the last purchase t_x and the length of
// observation T, both measured from the first purchase, and the mean value
// of the repeat purchases.
//
// Invariants of a summary: 0 <= t_x <= T; x == 0 implies t_x == 0 and
// mean_repeat_value == 0. Purchases on the same calendar day are one
// purchase (their values add): the models count purchase occasions, and the
// published CDNOW summaries are built that way.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace halo::clv {

struct CustomerSummary {
  uint32_t x = 0;                // repeat purchase occasions
  double t_x = 0;                // first to last purchase, in time units
  double T = 0;                  // first purchase to the end of calibration
  double mean_repeat_value = 0;  // mean value of the repeat occasions (zbar)
};

// One purchase: the day (days since 1970-01-01, UTC) and its value.
struct Purchase {
  int64_t day = 0;
  double value = 0;
};

// Summarises the purchases of one customer made on or before
// `calibration_end_day`, in units of `unit_days` days (7 for weeks). Returns
// false (and leaves `out` alone) when none falls in the period.
bool summarize(std::vector<Purchase> purchases, int64_t calibration_end_day, double unit_days,
               CustomerSummary &out);

// Days since 1970-01-01 of a YYYYMMDD date; -1 when it is not a valid date.
int64_t day_of_yyyymmdd(const std::string &text);

}  // namespace halo::clv
