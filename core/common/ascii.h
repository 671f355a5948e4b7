// ascii.h -- character classes of the ASCII range, independent of the C
// locale (std::isdigit and friends consult it, and take an int that must
// not be a negative char).
#pragma once

#include <string>
#include <string_view>

namespace halo {

inline constexpr bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

// `text` with A-Z lower-cased; every other byte (UTF-8 included) as it is.
inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char &c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace halo
