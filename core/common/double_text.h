// double_text.h -- the shortest decimal text that reads back as the same
// double (std::to_chars without a precision), declared once for what stores
// and prints fitted model parameters.
#pragma once

#include <charconv>
#include <string>

namespace halo {

inline std::string shortest_text(double v) {
  char digits[32];  // the longest shortest form of a double is 24 characters
  auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  return std::string(digits, end);
}

}  // namespace halo
