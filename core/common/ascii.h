// ascii.h -- character classes of the ASCII range, independent of the C
// locale (std::isdigit and friends consult it, and take an int that must
// not be a negative char).
#pragma once

namespace halo {

inline constexpr bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace halo
