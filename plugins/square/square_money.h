// square_money.h -- Square Money amounts (int64 minor units) as exact
// decimal text: 900 with 2 minor units -> "9.00"; 12000 IRR with 0 -> "12000".
//
// Invariants: exact for every int64 (no floating point); the result is a
// JSON number literal with exactly `minor_units` fraction digits (none when
// 0); negative amounts (refunds) keep their sign.
#pragma once

#include <cstdint>
#include <string>

namespace halo::plugins::square {

std::string minor_units_to_decimal(int64_t amount, int minor_units);

}  // namespace halo::plugins::square
