// decimal.h -- exact fixed-point decimal numbers for money and counts:
// a signed 128-bit integer of units of 10^-9, parsed from the literal text of
// a JSON number or a numeric string ("42.00"), never through a double.
//
// Invariants:
//  - raw() == value * 10^9 exactly; at most 9 fractional digits are kept
//    (more are rounded half-even when parsing).
//  - to_string() is the shortest exact text: "120.5", "42", "-0.05".
//  - Arithmetic that would overflow reports it instead of wrapping.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace halo::aggregates {

class Decimal {
 public:
  static constexpr int kScale = 9;
  using Raw = __int128;

  constexpr Decimal() = default;
  static constexpr Decimal from_raw(Raw raw) {
    Decimal d;
    d.raw_ = raw;
    return d;
  }
  static Decimal from_int(int64_t v);

  // Accepts optional surrounding spaces, a sign, digits with an optional
  // point and an optional exponent ("1.5e3"). nullopt when the text is not a
  // number or its magnitude needs more than 38 digits.
  static std::optional<Decimal> parse(std::string_view text);

  Raw raw() const { return raw_; }
  // Adds `other`; false (and unchanged) when the result would overflow.
  bool add(const Decimal &other);
  // this / count rounded half-even to `digits` fractional digits (<= 9).
  Decimal divide_rounded(int64_t count, int digits) const;
  std::string to_string() const;
  double to_double() const;

  friend bool operator==(const Decimal &a, const Decimal &b) { return a.raw_ == b.raw_; }
  friend bool operator<(const Decimal &a, const Decimal &b) { return a.raw_ < b.raw_; }

 private:
  Raw raw_ = 0;
};

}  // namespace halo::aggregates
