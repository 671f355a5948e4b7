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

// Writes v (< 10^width) as `width` digits ending just before `end`.
char *put_digits(char *end, unsigned v, int width) {
  for (int i = 0; i < width; ++i, v /= 10) *--end = static_cast<char>('0' + v % 10);
  return end;
}

}  // namespace

// By hand, not snprintf: a feature builder formats a date or a timestamp
// for every profile it emits, and snprintf's format parsing cost about
// 4,000 instructions a call -- ten times the rest.
std::string format_date(int64_t year, unsigned month, unsigned day) {
  char buf[32];
  char *const end = buf + sizeof buf;
  char *p = put_digits(end, day, 2);
  *--p = '-';
  p = put_digits(p, month, 2);
  *--p = '-';
  if (year >= 0 && year <= 9999) {
    p = put_digits(p, static_cast<unsigned>(year), 4);
    return std::string(p, end);
  }
  char text[32];  // the rare year outside 0000-9999
  std::snprintf(text, sizeof text, "%04lld", static_cast<long long>(year));
  return text + std::string(p, end);
}

std::string format_iso8601(int64_t epoch_ms) {
  const int64_t days = floor_div(epoch_ms, kDayMs);
  // The remainder, not epoch_ms - days * kDayMs: that product overflows
  // near INT64_MIN.
  const int64_t rem = epoch_ms % kDayMs;
  const auto of_day = static_cast<unsigned>(rem < 0 ? rem + kDayMs : rem);  // 0 .. kDayMs - 1
  int64_t year;
  unsigned month, day;
  civil_from_days(days, year, month, day);
  char buf[16];
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
  return format_date(year, month, day).append(p, end);
}

}  // namespace halo::plugins
