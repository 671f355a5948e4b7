// json_number.cpp -- the RFC 8259 §6 number grammar, written out as the
// grammar's four parts (sign, integer, fraction, exponent) so each branch
// can be checked against the RFC's ABNF.
#include "common/json_number.h"

#include "common/ascii.h"

namespace halo {

namespace {

// Mantissa digits are counted while scanning: `first` is the index (among
// the mantissa's digits) of the first non-zero digit, `last` of the last.
struct DigitCounter {
  uint32_t index = 0;
  int64_t first = -1, last = -1;
  void add(char c) {
    if (c != '0') {
      if (first < 0) first = index;
      last = index;
    }
    ++index;
  }
  uint32_t significant() const { return first < 0 ? 0 : static_cast<uint32_t>(last - first + 1); }
};

}  // namespace

JsonNumberShape scan_json_number(std::string_view text) {
  JsonNumberShape shape;
  size_t i = 0;
  const size_t n = text.size();
  DigitCounter digits;
  if (i < n && text[i] == '-') ++i;
  // int = zero / ( digit1-9 *DIGIT )
  if (i >= n || !is_ascii_digit(text[i])) return shape;
  if (text[i] == '0') {
    digits.add(text[i++]);
    if (i < n && is_ascii_digit(text[i])) return shape;  // leading zero: "012"
  } else {
    while (i < n && is_ascii_digit(text[i])) digits.add(text[i++]);
  }
  // frac = decimal-point 1*DIGIT
  if (i < n && text[i] == '.') {
    ++i;
    if (i >= n || !is_ascii_digit(text[i])) return shape;  // "1." or "1.e5"
    while (i < n && is_ascii_digit(text[i])) digits.add(text[i++]);
  }
  // exp = e [ minus / plus ] 1*DIGIT
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    if (i >= n || !is_ascii_digit(text[i])) return shape;  // "1e" or "1e+"
    while (i < n && is_ascii_digit(text[i])) ++i;
  }
  if (i != n) return shape;  // anything else after the number: "1.5x", "1-2"
  shape.valid = true;
  shape.significant_digits = digits.significant();
  return shape;
}

}  // namespace halo
