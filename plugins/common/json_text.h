// json_text.h -- small text helpers for writing JSON and checking values:
// string escaping, number syntax, UTF-8 validity, whitespace trimming.
//
// Invariants: append_json_string writes valid JSON for valid UTF-8 input
// (control characters, quotes and backslashes escaped; other bytes copied),
// and never allocates beyond growing `out`.
#pragma once

#include <string>
#include <string_view>

namespace halo::plugins {

// Appends `s` as a quoted, escaped JSON string.
void append_json_string(std::string &out, std::string_view s);

// Appends `"name":"value"` to an object being written into `out`, after a
// comma unless `out` ends with the object's opening '{'.
void append_json_member(std::string &out, std::string_view name, std::string_view value);

// True when `s` is exactly a JSON number literal (RFC 8259 grammar).
bool is_json_number(std::string_view s);

// True when `s` is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

// True when `s` parses as one complete JSON value.
bool is_valid_json(std::string_view s);

std::string_view trim_ascii(std::string_view s);
// `s` with ASCII letters in lower case (other bytes as they are).
std::string lower_ascii(std::string_view s);
bool is_blank(std::string_view s);

// At most max_bytes of `s`, cut on a UTF-8 character boundary, for messages.
std::string_view clip_utf8(std::string_view s, size_t max_bytes);

}  // namespace halo::plugins
