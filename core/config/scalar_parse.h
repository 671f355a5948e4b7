// scalar_parse.h -- strict conversion of YAML scalar text to numbers and
// booleans, shared by the pipeline schema and the plugin option view.
//
// Strict means the whole text must be the value: "12abc", "1.5" (as an
// integer), "" and out-of-range numbers are rejected instead of truncated.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>

namespace halo {

// The span a window of the pipeline file may cover (a frequency cap's
// `within`, an identifier limit's `per`): 1m to 3660d.
inline constexpr int64_t kMinWindowMs = 60'000;
inline constexpr int64_t kMaxWindowMs = int64_t{3660} * 24 * 60 * 60 * 1000;

// Decimal with optional sign, or 0x hex; surrounding spaces not allowed.
std::optional<int64_t> parse_strict_int(const std::string &text);
// Decimal or exponent notation, or an integer as above.
std::optional<double> parse_strict_float(const std::string &text);
// true/false/yes/no/on/off, case-insensitive.
std::optional<bool> parse_strict_bool(const std::string &text);
// "09:30" -> 570: minutes past midnight of a local time of day; nullopt
// unless exactly HH:MM with HH 00..23 and MM 00..59.
std::optional<int> parse_minute_of_day(const std::string &text);

// Longest scalar a config error quotes: a longer value may be a credential
// pasted into the wrong option (docs/security.md, "## Secrets").
inline constexpr size_t kMaxQuotedValueBytes = 24;

// How a node looks, for "expected X, got Y" messages: "'abc'", "a list",
// "a mapping", "nothing". Secret scalars are shown as '***'; a value
// substituted from ${ENV} or longer than kMaxQuotedValueBytes is described,
// not quoted ("a 40-character value (not shown)").
std::string describe_node(const YAML::Node &node, bool secret = false);

// `text` cut to its first `max_shown` bytes (at a UTF-8 boundary) plus "..." when
// longer, with control characters escaped ("\n", "\x1b"), so a message
// quoting input stays one short line whatever the input is.
std::string shorten_for_message(const std::string &text, size_t max_shown = 60);

}  // namespace halo
