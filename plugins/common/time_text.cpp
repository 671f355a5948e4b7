// time_text.cpp -- see time_text.h.
#include "common/time_text.h"

#include <cstdio>

namespace halo::plugins {

namespace {

// Howard Hinnant's civil_from_days: days since 1970-01-01 -> y/m/d
// (http://howardhinnant.github.io/date_algorithms.html).
void civil_from_days(int64_t z, int64_t &y, unsigned &m, unsigned &d) {
  z += 719468;
  int64_t era = floor_div(z, 146097);
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

}  // namespace

std::string format_iso8601(int64_t epoch_ms) {
  int64_t days = floor_div(epoch_ms, kDayMs);
  int64_t ms_of_day = epoch_ms - days * kDayMs;
  int64_t year;
  unsigned month, day;
  civil_from_days(days, year, month, day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<long long>(year), month, day, static_cast<int>(ms_of_day / 3'600'000),
                static_cast<int>(ms_of_day / 60'000 % 60), static_cast<int>(ms_of_day / 1000 % 60),
                static_cast<int>(ms_of_day % 1000));
  return buf;
}

}  // namespace halo::plugins
