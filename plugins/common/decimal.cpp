// decimal.cpp -- parsing, rounding and printing of Decimal (see decimal.h).
#include "common/decimal.h"

#include <cstdlib>

#include "common/ascii_chars.h"

namespace halo::plugins {

namespace {

constexpr int kMaxDigits = 38;  // every 38-digit integer fits in __int128

Decimal::Raw pow10(int n) {
  Decimal::Raw r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Rounds q (with remainder r of divisor d, same sign as the dividend)
// half-even, away from zero on a tie with odd q.
Decimal::Raw round_half_even(Decimal::Raw q, Decimal::Raw r, Decimal::Raw d, bool negative) {
  Decimal::Raw twice = (r < 0 ? -r : r) * 2;
  if (twice > d || (twice == d && (q % 2 != 0))) return negative ? q - 1 : q + 1;
  return q;
}

// Significant digits and power of ten of a decimal literal.
struct Mantissa {
  char digits[kMaxDigits + 1];
  int count = 0;
  int64_t exponent = 0;  // value = digits * 10^exponent
};

// Reads [digits][.digits]; false when malformed or too long.
bool read_mantissa(std::string_view s, size_t &pos, Mantissa &m) {
  bool any_digit = false, seen_point = false;
  for (; pos < s.size(); ++pos) {
    char c = s[pos];
    if (c == '.') {
      if (seen_point) return false;
      seen_point = true;
      continue;
    }
    if (!is_ascii_digit(c)) break;
    any_digit = true;
    if (m.count == 0 && c == '0') {  // leading zero: only moves the point
      if (seen_point) --m.exponent;
      continue;
    }
    if (m.count == kMaxDigits + 1) return false;
    m.digits[m.count++] = c;
    if (seen_point) --m.exponent;
  }
  return any_digit;
}

bool read_exponent(std::string_view s, size_t &pos, int64_t &exponent) {
  if (pos == s.size() || (s[pos] != 'e' && s[pos] != 'E')) return true;
  ++pos;
  bool negative = false;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) negative = s[pos++] == '-';
  size_t start = pos;
  int64_t e = 0;
  for (; pos < s.size() && is_ascii_digit(s[pos]); ++pos) {
    if (pos - start >= 4) return false;  // |exponent| < 10000 is plenty
    e = e * 10 + (s[pos] - '0');
  }
  if (pos == start) return false;
  exponent += negative ? -e : e;
  return true;
}

// digits * 10^(exponent + kScale), rounded half-even when digits drop off.
std::optional<Decimal::Raw> scale(const Mantissa &m) {
  int64_t shift = m.exponent + Decimal::kScale;
  if (m.count == 0) return Decimal::Raw{0};
  if (shift >= 0) {
    if (m.count + shift > kMaxDigits) return std::nullopt;
    Decimal::Raw v = 0;
    for (int i = 0; i < m.count; ++i) v = v * 10 + (m.digits[i] - '0');
    return v * pow10(static_cast<int>(shift));
  }
  int64_t keep = m.count + shift;        // digits left of the rounding point
  if (keep < 0) return Decimal::Raw{0};  // below half a unit
  Decimal::Raw v = 0;
  for (int i = 0; i < keep; ++i) v = v * 10 + (m.digits[i] - '0');
  char first_dropped = keep < m.count ? m.digits[keep] : '0';
  bool sticky = false;
  for (int i = static_cast<int>(keep) + 1; i < m.count; ++i) sticky |= m.digits[i] != '0';
  if (first_dropped > '5' || (first_dropped == '5' && (sticky || v % 2 != 0))) ++v;
  return v;
}

}  // namespace

Decimal Decimal::from_int(int64_t v) {
  return from_raw(static_cast<Raw>(v) * pow10(kScale));
}

std::optional<Decimal> Decimal::parse(std::string_view text) {
  std::string_view s = trim(text);
  size_t pos = 0;
  bool negative = false;
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) negative = s[pos++] == '-';
  Mantissa m;
  if (!read_mantissa(s, pos, m) || !read_exponent(s, pos, m.exponent) || pos != s.size()) {
    return std::nullopt;
  }
  std::optional<Raw> v = scale(m);
  if (!v) return std::nullopt;
  return from_raw(negative ? -*v : *v);
}

bool Decimal::add(const Decimal &other) {
  Raw sum;
  if (__builtin_add_overflow(raw(), other.raw(), &sum)) return false;
  *this = from_raw(sum);
  return true;
}

Decimal Decimal::divide_rounded(int64_t count, int digits) const {
  Raw unit = pow10(kScale - digits);
  Raw divisor = static_cast<Raw>(count) * unit;
  Raw value = raw();
  Raw q = value / divisor, r = value % divisor;
  return from_raw(round_half_even(q, r, divisor, value < 0) * unit);
}

std::string Decimal::to_string() const {
  using U = unsigned __int128;
  const Raw value = raw();
  U magnitude = value < 0 ? U(0) - U(value) : U(value);
  U scale = U(pow10(kScale));
  U integer = magnitude / scale;
  uint64_t fraction = static_cast<uint64_t>(magnitude % scale);

  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(integer % 10)));
    integer /= 10;
  } while (integer != 0);
  if (value < 0) digits.insert(digits.begin(), '-');
  if (fraction != 0) {
    std::string frac(kScale, '0');
    for (int i = kScale - 1; i >= 0; --i, fraction /= 10) frac[i] = char('0' + fraction % 10);
    frac.erase(frac.find_last_not_of('0') + 1);
    digits += '.';
    digits += frac;
  }
  return digits;
}

double Decimal::to_double() const {
  std::string text = to_string();
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace halo::plugins
