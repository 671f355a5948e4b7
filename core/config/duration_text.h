// duration_text.h -- durations written in pipeline files: an integer and a
// unit, e.g. "250ms", "30s", "5m", "2h", "1d" (no spaces, no fractions, no
// sign). Explicit limits: at most 18 digits, and the result must fit in
// int64 milliseconds; anything else is refused, never rounded or clamped.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace halo {

// Milliseconds, or nullopt when `text` is not a duration as above.
std::optional<int64_t> parse_duration_ms(std::string_view text);

}  // namespace halo
