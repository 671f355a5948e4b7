// civil_date.h -- proleptic Gregorian calendar arithmetic, declared once for
// every parser of dates (ISO timestamps, `as_of`, dates of birth).
//
// days_from_civil is Howard Hinnant's algorithm ("chrono-Compatible
// Low-Level Date Algorithms", public domain), exact for every year an
// int64_t day count can hold.
#pragma once

#include <cstdint>

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

}  // namespace halo
