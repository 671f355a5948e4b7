// time_text.h -- time arithmetic and text the feature builders share: days
// and buckets by floor division (times before 1970 are negative), sums and
// differences of times that saturate, and the ISO-8601 text of a timestamp
// as profiles carry it.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace halo::plugins {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;

// a / b rounded toward negative infinity (b != 0).
constexpr int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// a + b and a - b on times (ms) that saturate at the ends of int64 instead
// of overflowing: stored states are hostile, and a time near the ends must
// not wrap a window's start or a next-change time around.
constexpr int64_t saturating_add(int64_t a, int64_t b) {
  int64_t out = 0;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}
constexpr int64_t saturating_sub(int64_t a, int64_t b) {
  int64_t out = 0;
  if (!__builtin_sub_overflow(a, b, &out)) return out;
  return b < 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

// "2024-06-30T12:00:00.000Z": UTC, milliseconds, proleptic Gregorian.
std::string format_iso8601(int64_t epoch_ms);

// "2024-06-30": the year in at least four digits, a negative one after a
// '-' in at least three (printf's "%04lld"); month and day in two.
std::string format_date(int64_t year, unsigned month, unsigned day);

}  // namespace halo::plugins
