// time_text.h -- time arithmetic and text the feature builders share: days
// and buckets by floor division (times before 1970 are negative), and the
// ISO-8601 text of a timestamp as profiles carry it.
#pragma once

#include <cstdint>
#include <string>

namespace halo::plugins {

constexpr int64_t kDayMs = 86'400'000;

// a / b rounded toward negative infinity (b != 0).
constexpr int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// "2024-06-30T12:00:00.000Z": UTC, milliseconds, proleptic Gregorian.
std::string format_iso8601(int64_t epoch_ms);

}  // namespace halo::plugins
