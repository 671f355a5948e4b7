// exact_number.cpp -- see exact_number.h.
#include "segment/exact_number.h"

#include <cstdint>
#include <string>

#include "common/ascii.h"

namespace halo::segment {

namespace {

// value = (negative ? -1 : 1) x 0.digits x 10^point; digits has no leading
// or trailing zeros (empty for zero).
struct Number {
  bool negative = false;
  std::string digits;
  int64_t point = 0;
};

bool parse(std::string_view s, Number &n) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) n.negative = s[i++] == '-';
  size_t whole = 0, any = 0;
  for (; i < s.size() && is_ascii_digit(s[i]); ++i, ++whole, ++any) n.digits += s[i];
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && is_ascii_digit(s[i]); ++i, ++any) n.digits += s[i];
  }
  if (any == 0) return false;
  int64_t exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    bool minus = false;
    if (++i < s.size() && (s[i] == '-' || s[i] == '+')) minus = s[i++] == '-';
    size_t start = i;
    for (; i < s.size() && is_ascii_digit(s[i]); ++i) {
      if (i - start == 6) return false;
      exponent = exponent * 10 + (s[i] - '0');
    }
    if (i == start) return false;
    if (minus) exponent = -exponent;
  }
  if (i != s.size()) return false;
  n.point = static_cast<int64_t>(whole) + exponent;
  size_t lead = n.digits.find_first_not_of('0');
  if (lead == std::string::npos) {
    n.digits.clear();
    n.negative = false;
    return true;
  }
  n.digits.erase(0, lead);
  n.point -= static_cast<int64_t>(lead);
  n.digits.erase(n.digits.find_last_not_of('0') + 1);
  return true;
}

int magnitude(const Number &a, const Number &b) {
  if (a.digits.empty() || b.digits.empty()) {
    return a.digits.empty() == b.digits.empty() ? 0 : (a.digits.empty() ? -1 : 1);
  }
  if (a.point != b.point) return a.point < b.point ? -1 : 1;
  const int c = a.digits.compare(b.digits);  // no trailing zeros: longer is larger
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

std::optional<int64_t> small_integer(std::string_view s) {
  const bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (!is_ascii_digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

std::optional<int> compare_numbers(std::string_view a, std::string_view b) {
  if (const auto i = small_integer(a)) {
    if (const auto j = small_integer(b)) return *i < *j ? -1 : (*i > *j ? 1 : 0);
  }
  Number x, y;
  if (!parse(a, x) || !parse(b, y)) return std::nullopt;
  if (x.negative != y.negative) return x.negative ? -1 : 1;
  const int m = magnitude(x, y);
  return x.negative ? -m : m;
}

}  // namespace halo::segment
