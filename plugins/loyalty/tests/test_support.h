// test_support.h -- what the loyalty tests share: times in milliseconds and
// exact amounts from text.
#pragma once

#include <cstdint>

#include "common/decimal.h"

namespace halo::loyalty {

inline constexpr int64_t kDay = 86'400'000;

// An amount the test writes as text; the text is known to parse.
inline plugins::Decimal dec(const char *text) {
  return *plugins::Decimal::parse(text);
}

}  // namespace halo::loyalty
