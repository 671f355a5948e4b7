// text_format.h -- byte-exact formatting shared by every writer: JSON
// strings, CSV fields, money and timestamps.
//
// Invariants: no locale, no iostreams, no floating point in money (amounts
// are int64 minor units, 1/100 of the currency unit), timestamps are UTC
// seconds since the Unix epoch converted with pure integer civil-date math.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace halo::datagen {

// Appends `s` as a quoted JSON string, escaping quotes, backslashes and
// control characters. Bytes >= 0x80 are copied unchanged (callers pass UTF-8).
void append_json_string(std::string &out, std::string_view s);
void append_int(std::string &out, int64_t v);

// 4250 -> "42.50"; -5 -> "-0.05".
void append_money(std::string &out, int64_t minor_units);
std::string money_string(int64_t minor_units);
// A JSON number for an amount: "4500000" when whole, else "42.5"-style.
void append_money_number(std::string &out, int64_t minor_units);

// Appends a CSV field, quoted (RFC 4180) only when it holds , " CR or LF.
void append_csv_field(std::string &out, std::string_view s);

struct CivilTime {
  int year, month, day, hour, minute, second;
};
CivilTime civil_from_epoch(int64_t epoch_seconds);
int64_t epoch_from_civil(int year, int month, int day);

// "2026-03-01T14:22:05.123Z" (Segment).
void append_iso_millis_z(std::string &out, int64_t epoch_seconds, int millis);
// "2026-03-01T14:22:05" (WooCommerce date_*_gmt and date_*: no zone).
void append_iso_no_zone(std::string &out, int64_t epoch_seconds);
// "2026-03-01 14:22:05" (POS till export).
void append_space_datetime(std::string &out, int64_t epoch_seconds);

// ASCII digits -> Persian digits (U+06F0..U+06F9); other bytes unchanged.
std::string to_persian_digits(std::string_view ascii);
// Persian letters ی/ک -> Arabic ي/ك, as some keyboards and old systems write them.
std::string to_arabic_letters(std::string_view persian);

}  // namespace halo::datagen
