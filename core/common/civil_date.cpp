// civil_date.cpp -- see civil_date.h.
#include "common/civil_date.h"

#include <cstdio>

#include "common/time_units.h"

namespace halo {

namespace {

// Writes v (< 10^width) as `width` digits ending just before `end`.
char *put_digits(char *end, unsigned v, int width) {
  for (int i = 0; i < width; ++i, v /= 10) *--end = static_cast<char>('0' + v % 10);
  return end;
}

}  // namespace

std::string format_iso8601_ms(int64_t ms) {
  // Floor division that cannot overflow (INT64_MIN included).
  int64_t days = ms / kDayMs, rem = ms % kDayMs;
  if (rem < 0) {
    rem += kDayMs;
    --days;
  }
  int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, &y, &m, &d);
  const auto of_day = static_cast<unsigned>(rem);  // 0 <= rem < 86,400,000
  char buf[64];
  char *const end = buf + sizeof buf;
  char *p = end;
  *--p = 'Z';
  p = put_digits(p, of_day % 1000, 3);
  *--p = '.';
  p = put_digits(p, of_day / 1000 % 60, 2);
  *--p = ':';
  p = put_digits(p, of_day / 60'000 % 60, 2);
  *--p = ':';
  p = put_digits(p, of_day / 3'600'000, 2);
  *--p = 'T';
  p = put_digits(p, d, 2);
  *--p = '-';
  p = put_digits(p, m, 2);
  *--p = '-';
  if (y >= 0 && y <= 9999) {
    p = put_digits(p, static_cast<unsigned>(y), 4);
    return std::string(p, end);
  }
  // The rare year outside 0000-9999 (|y| < 2^40 for any int64_t ms).
  char year[32];
  std::snprintf(year, sizeof year, "%s%04lld", y < 0 ? "-" : "",
                static_cast<long long>(y < 0 ? -y : y));
  return std::string(year) + std::string(p, end);
}

}  // namespace halo
