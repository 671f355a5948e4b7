// exact_number.h -- orders two JSON number texts by the values they write,
// exactly: "19.90" == "19.9", "1e3" == "1000", "0.1" < "0.10000000000000001"
// (a double would call the last two equal).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace halo::segment {

// -1, 0 or 1 as a < b, a == b, a > b; nullopt when either is not a number
// (digits with an optional sign, point and exponent of at most 6 digits).
std::optional<int> compare_numbers(std::string_view a, std::string_view b);

// The value of an optionally negative run of 1 to 18 digits (so it fits
// int64_t); nullopt for any other text. Most numbers a segment compares
// are such counts and amounts: they compare as integers.
std::optional<int64_t> small_integer(std::string_view s);

}  // namespace halo::segment
