// wire_text.h -- small text helpers for talking HTTP/JSON APIs: URL
// percent-encoding and form decoding, RFC 3339 <-> epoch-millisecond conversion and bare
// email addresses.
//
// Invariants: url_encode leaves only RFC 3986 unreserved bytes unescaped;
// parse_rfc3339_ms accepts "YYYY-MM-DDTHH:MM:SS[.fff...][Z|+hh:mm|-hh:mm]"
// and nothing else (no local times: an API timestamp without a zone is a
// bug we want to see); format_iso8601 (time_text.h) writes its UTC form
// with milliseconds, so format(parse(x)) round-trips to the millisecond.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace halo::plugins {

std::string url_encode(std::string_view s);

// The authority of a URL, "shop.example:8443" in
// "https://shop.example:8443/wp-json?x=1" (for messages and logs: it
// carries no path or query, where keys may be).
std::string_view url_host(std::string_view url);

// The path of a URL without its query or fragment, "/" when it has none:
// what a route on the kernel's HTTP server matches for a public URL.
std::string url_path(std::string_view url);

// The fields of an application/x-www-form-urlencoded body (or a query
// string), in order, names and values percent-decoded with '+' as space
// (WHATWG URL, "application/x-www-form-urlencoded parsing"). nullopt for
// a malformed escape (not %XX) or more than max_fields fields: a body a
// well-behaved sender never makes.
using FormFields = std::vector<std::pair<std::string, std::string>>;
std::optional<FormFields> parse_form(std::string_view body, size_t max_fields = 256);

std::optional<int64_t> parse_rfc3339_ms(std::string_view text);

// An email address as SMTP envelopes and mail APIs take it: local@domain,
// at most 320 bytes, with no spaces, control bytes, quotes, commas or
// angle brackets (so it can never add a header or a second recipient).
bool is_bare_address(std::string_view address);

}  // namespace halo::plugins
