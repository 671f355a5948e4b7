// json_number.h -- checks a number literal against the JSON grammar
// (RFC 8259 §6) and counts its significant digits, in one pass over the
// token. simdjson On-Demand parses numbers lazily and the normalizer keeps
// the literal's text, so this is where `00012`, `1.`, `-`, `.5`, `+1` and
// `1e` are told apart from valid numbers; the pipeline file's reader uses it
// too (a trigger's set_trait literal).
//
// Invariants: never reads outside `text`; allocates nothing.
#pragma once

#include <cstdint>
#include <string_view>

namespace halo {

struct JsonNumberShape {
  bool valid = false;  // matches -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  // Digits of the mantissa without leading and trailing zeros: 1 for "100"
  // and "0.001", 3 for "1.25", 0 for "0.0". Only meaningful when valid.
  uint32_t significant_digits = 0;
};

JsonNumberShape scan_json_number(std::string_view text);

}  // namespace halo
