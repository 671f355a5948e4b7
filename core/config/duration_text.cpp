// duration_text.cpp -- "<integer><unit>" durations (see the header).
#include "config/duration_text.h"

#include <limits>

namespace halo {

namespace {

std::optional<int64_t> unit_ms(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "m") return 60 * 1000;
  if (unit == "h") return 60 * 60 * 1000;
  if (unit == "d") return 24 * 60 * 60 * 1000;
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> parse_duration_ms(std::string_view text) {
  constexpr size_t kMaxDigits = 18;  // below int64's 19 digits: no overflow while reading
  size_t digits = 0;
  int64_t value = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    if (digits == kMaxDigits) return std::nullopt;
    value = value * 10 + (text[digits] - '0');
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  std::optional<int64_t> unit = unit_ms(text.substr(digits));
  if (!unit) return std::nullopt;
  if (value > std::numeric_limits<int64_t>::max() / *unit) return std::nullopt;
  return value * *unit;
}

}  // namespace halo
