// halo/units.hpp -- the one parser of durations and sizes written in
// pipeline files and on the command line, shared by the kernel (option
// validation, `--interval`, `--since`) and by plugins (the C++ SDK's typed
// option getters), so "90s" or "64MiB" means the same everywhere.
//
// Grammar (whole text, no spaces, no sign, no fraction; docs/pipeline.md
// "Durations and sizes"):
//   duration  DIGITS UNIT   UNIT: ms s m h d w        ("250ms", "90s", "7d")
//             "0"           zero needs no unit
//   size      DIGITS [UNIT] UNIT: B kB KB MB GB TB    (powers of 1000)
//                                 KiB MiB GiB TiB     (powers of 1024, IEC 80000-13)
//             a bare number is bytes                  ("1048576", "1MiB")
// Limits: at most 18 digits; a value that does not fit in int64_t is
// refused, never wrapped. duration_text() writes a duration back in the
// same grammar. Header-only C++17; the parsers allocate nothing; no
// exceptions (beyond std::bad_alloc in duration_text).
#ifndef HALO_UNITS_HPP
#define HALO_UNITS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace halo {
namespace units_detail {

struct Unit {
  std::string_view suffix;
  int64_t factor;
};

// Splits "123abc" into 123 and "abc"; nullopt when there is no digit, more
// than 18 digits (cannot overflow int64_t) or a sign.
inline std::optional<std::pair<int64_t, std::string_view>> split_number(std::string_view text) {
  size_t digits = 0;
  int64_t n = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    if (digits == 18) return std::nullopt;
    n = n * 10 + (text[digits] - '0');
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return std::make_pair(n, text.substr(digits));
}

template <size_t N>
std::optional<int64_t> scale(std::string_view text, const Unit (&units)[N], bool bare_ok) {
  auto split = split_number(text);
  if (!split) return std::nullopt;
  const auto [n, suffix] = *split;
  if (suffix.empty()) {
    if (bare_ok || n == 0) return n;
    return std::nullopt;
  }
  for (const Unit &u : units) {
    if (suffix != u.suffix) continue;
    if (n > INT64_MAX / u.factor) return std::nullopt;
    return n * u.factor;
  }
  return std::nullopt;
}

}  // namespace units_detail

// "90s" -> 90000 (milliseconds); nullopt when `text` is not a duration.
inline std::optional<int64_t> parse_duration_ms(std::string_view text) {
  static constexpr units_detail::Unit kUnits[] = {
      {"ms", 1},          {"s", 1000},           {"m", 60 * 1000},
      {"h", 3600 * 1000}, {"d", 86400 * 1000LL}, {"w", 7 * 86400 * 1000LL},
  };
  return units_detail::scale(text, kUnits, false);
}

// 604800000 -> "7d": a duration of non-negative `ms` in the largest of d,
// h, m, s that divides it evenly, else in ms ("36h", "90s", "1500ms");
// parse_duration_ms reads it back. Weeks are written as days ("14d").
inline std::string duration_text(int64_t ms) {
  static constexpr std::pair<int64_t, const char *> kUnits[] = {
      {86400 * 1000LL, "d"}, {3600 * 1000, "h"}, {60 * 1000, "m"}, {1000, "s"}};
  for (const auto &[factor, suffix] : kUnits) {
    if (ms % factor == 0) return std::to_string(ms / factor) + suffix;
  }
  return std::to_string(ms) + "ms";
}

// "64KiB" -> 65536 (bytes); nullopt when `text` is not a size.
inline std::optional<int64_t> parse_size_bytes(std::string_view text) {
  constexpr int64_t kKi = 1024, kK = 1000;
  static constexpr units_detail::Unit kUnits[] = {
      {"B", 1},
      {"kB", kK},
      {"KB", kK},
      {"MB", kK * kK},
      {"GB", kK * kK * kK},
      {"TB", kK * kK * kK * kK},
      {"KiB", kKi},
      {"MiB", kKi * kKi},
      {"GiB", kKi * kKi * kKi},
      {"TiB", kKi * kKi * kKi * kKi},
  };
  return units_detail::scale(text, kUnits, true);
}

}  // namespace halo

#endif  // HALO_UNITS_HPP
