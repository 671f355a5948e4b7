// civil_date.h -- proleptic Gregorian calendar arithmetic, declared once for
// every parser of dates (ISO timestamps, `as_of`, dates of birth).
//
// days_from_civil and civil_from_days are Howard Hinnant's algorithms
// ("chrono-Compatible Low-Level Date Algorithms", public domain,
// http://howardhinnant.github.io/date_algorithms.html), exact for every
// year an int64_t day count can hold.
#pragma once

#include <cstdint>
#include <string>

namespace halo {

constexpr bool is_leap_year(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Days of month m (1..12) of year y.
constexpr unsigned days_in_month(int64_t y, unsigned m) {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of y-m-d (m 1..12, d 1..31).
constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// y-m-d of the day `z` days after 1970-01-01 (z may be negative), for any
// z whose year fits an int64_t (|z| < 2^62).
constexpr void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

// Epoch milliseconds as "YYYY-MM-DDThh:mm:ss.mmmZ" (UTC), the one text form
// of an instant everywhere Halo writes one. Defined for every int64_t;
// a year outside 0000-9999 has a sign or more digits, as ISO 8601's
// expanded years ("-0001", "10000"). No locale, time zone or allocation
// beyond the result: it runs once per timestamp of every exported profile.
std::string format_iso8601_ms(int64_t ms);

}  // namespace halo
