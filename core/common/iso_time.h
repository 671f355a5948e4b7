// iso_time.h -- ISO-8601 timestamps <-> Unix epoch milliseconds (UTC): the
// one reader of times as text, for events, pipeline files (run.as_of,
// trigger times), segment literals and the command line.
//
// Invariants:
//  - parse_iso8601_ms accepts only complete, in-range dates and times
//    (month 1-12, day valid for the month incl. leap years, hh 0-23, mm 0-59,
//    ss 0-60); anything else is nullopt, never a guess.
//  - Text without a zone ("2026-01-02T10:00:00", "2026-01-02 10:00:00",
//    "2026-01-02") is read as UTC. Fractions beyond milliseconds are
//    truncated toward the earlier instant.
//  - format_iso8601_ms(parse_iso8601_ms(x)) is the canonical UTC form
//    "YYYY-MM-DDThh:mm:ss.mmmZ" for years 0000-9999.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/civil_date.h"  // format_iso8601_ms, the writer

namespace halo {

// Accepts "YYYY-MM-DD", optionally followed by 'T' or ' ' and "hh:mm",
// ":ss", ".fraction", and a zone "Z" | "±hh:mm" | "±hhmm" | "±hh".
std::optional<int64_t> parse_iso8601_ms(std::string_view s);

}  // namespace halo
