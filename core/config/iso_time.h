// iso_time.h -- ISO-8601 timestamps in pipeline files (run.as_of) to UTC
// milliseconds since the Unix epoch.
//
// Accepted: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff...]]" followed by "Z",
// "+HH:MM", "-HH:MM", "+HHMM" or nothing (then UTC); a space may stand for
// the 'T'. Fields are range-checked (month 1-12, day within the month).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace halo {

std::optional<int64_t> parse_iso8601_ms(std::string_view text);

}  // namespace halo
