// pos_date.h -- till date/time text (local time, any calendar, Persian or
// ASCII digits) -> canonical ISO-8601 UTC ("2024-03-20T10:52:00Z").
//
// Formats:
//   "iso"       Y-M-D or Y/M/D, optionally followed by 'T' or spaces and
//               H:M[:S[.fraction]], optionally followed by 'Z' or +HH:MM /
//               +HHMM (an explicit zone wins over timezone_offset).
//   strftime-like patterns with %Y (1-4 digits), %m %d %H %M %S (1-2
//   digits), %% and literal text; a space matches one or more spaces.
//   Missing time fields are 00.
// Calendars: gregorian, jalali (the date fields are Solar Hijri).
//
// Invariants: a value either converts completely (the whole text is
// consumed, every field in range, the date exists in its calendar) or is
// rejected with a reason that names what is wrong; no guessing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace halo::plugins {

enum class Calendar : uint8_t { kGregorian, kJalali };

struct DateSpec {
  Calendar calendar = Calendar::kGregorian;
  std::string format = "iso";
  int offset_minutes = 0;  // local till time = UTC + offset
};

// "+03:30", "-05:00", "+0330", "Z", "UTC" -> minutes; false otherwise.
bool parse_utc_offset(std::string_view text, int &minutes);
// Checks a format at configuration time; false with `error` naming the
// unsupported directive.
bool validate_date_format(std::string_view format, std::string &error);

// Converts one value. `scratch` is reused between calls; `out` receives the
// ISO text. Returns false with `reason`.
bool convert_pos_date(const DateSpec &spec, std::string_view text, std::string &scratch,
                      std::string &out, std::string &reason);

}  // namespace halo::plugins
