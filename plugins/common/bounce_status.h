// bounce_status.h -- which delivery failures say that the address itself
// does not exist (a hard bounce), so that later messages to it are
// suppressed: the enhanced status codes (RFC 3463) of class 5.1
// "addressing" -- 5.1.1 bad mailbox, 5.1.2 bad system, 5.1.3 bad mailbox
// syntax, 5.1.6 mailbox moved, 5.1.10 null MX (RFC 7505). Other permanent
// failures (policy, content, size: 5.7.x, 5.3.x, ...) are about one
// message, not the address.
#pragma once

#include <array>
#include <string_view>

namespace halo::plugins {

inline bool is_hard_bounce_status(std::string_view enhanced_code) {
  static constexpr std::array<std::string_view, 5> kAddressing = {"5.1.1", "5.1.2", "5.1.3",
                                                                  "5.1.6", "5.1.10"};
  for (std::string_view c : kAddressing) {
    if (enhanced_code == c) return true;
  }
  return false;
}

}  // namespace halo::plugins
