// decimal.h -- exact fixed-point decimal numbers for money and counts:
// a signed 128-bit integer of units of 10^-9, parsed from the literal text of
// a JSON number or a numeric string ("42.00"), never through a double.
//
// Invariants:
//  - raw() == value * 10^9 exactly; at most 9 fractional digits are kept
//    (more are rounded half-even when parsing).
//  - to_string() is the shortest exact text: "120.5", "42", "-0.05".
//  - Arithmetic that would overflow reports it instead of wrapping.
//  - 16 bytes aligned to 8 (two 64-bit halves, not an __int128 member), so
//    per-profile slots pack without padding (feature_state.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace halo::plugins {

class Decimal {
 public:
  static constexpr int kScale = 9;
  using Raw = __int128;

  constexpr Decimal() = default;
  static constexpr Decimal from_raw(Raw raw) {
    Decimal d;
    d.lo_ = static_cast<uint64_t>(raw);
    d.hi_ = static_cast<uint64_t>(static_cast<unsigned __int128>(raw) >> 64);
    return d;
  }
  static Decimal from_int(int64_t v);

  // Accepts optional surrounding spaces, a sign, digits with an optional
  // point and an optional exponent ("1.5e3"). nullopt when the text is not a
  // number or its magnitude needs more than 38 digits.
  static std::optional<Decimal> parse(std::string_view text);

  constexpr Raw raw() const {
    return static_cast<Raw>((static_cast<unsigned __int128>(hi_) << 64) | lo_);
  }
  // Adds `other`; false (and unchanged) when the result would overflow.
  bool add(const Decimal &other);
  // this / count rounded half-even to `digits` fractional digits (<= 9).
  Decimal divide_rounded(int64_t count, int digits) const;
  std::string to_string() const;
  double to_double() const;

  friend bool operator==(const Decimal &a, const Decimal &b) { return a.raw() == b.raw(); }
  friend bool operator<(const Decimal &a, const Decimal &b) { return a.raw() < b.raw(); }

 private:
  uint64_t lo_ = 0, hi_ = 0;  // two's complement halves of raw()
};

static_assert(sizeof(Decimal) == 16 && alignof(Decimal) == 8);

}  // namespace halo::plugins
