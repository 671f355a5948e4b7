// pos_money.h -- till money text -> exact decimal text for a JSON number,
// with rial/toman scaling.
//
// Accepted input: optional sign ('-', '+', U+2212 minus, a trailing '-', or
// the whole amount in parentheses), digits (ASCII, Persian or Arabic-Indic)
// with thousands separators in groups of three (',' or '٬'; '.' when the
// decimal separator is ','), and an optional fraction after the decimal
// separator ('.' or '٫' by default, or ',').
//
// Invariants:
//  - Exact: no floating point. Scaling by 10 moves the decimal point; the
//    output has no leading zeros, no trailing fraction zeros, no '+', and
//    "-" only for a non-zero negative amount ("0", "125000", "-12.5").
//  - Anything else (letters, a separator in the wrong place, two signs) is
//    rejected with a reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace halo::plugins {

enum class MoneyUnit : uint8_t { kNone, kRial, kToman };  // 1 toman = 10 rial

struct MoneySpec {
  MoneyUnit unit = MoneyUnit::kNone;         // unit of the column
  MoneyUnit output_unit = MoneyUnit::kNone;  // unit written to the event
  char decimal_separator = '.';              // '.' or ','
};

bool parse_money_unit(std::string_view name, MoneyUnit &unit);

// `negative` tells whether the amount is below zero (refund detection).
bool convert_pos_money(const MoneySpec &spec, std::string_view text, std::string &scratch,
                       std::string &out, bool &negative, std::string &reason);

}  // namespace halo::plugins
