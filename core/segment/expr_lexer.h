// expr_lexer.h -- the tokens of a segment expression.
//
// Numbers may use Persian (U+06F0..U+06F9) or Arabic-Indic (U+0660..U+0669)
// digits and the Persian decimal separator (U+066B); a token's `text` holds
// them as ASCII. A number followed by a unit (ms, s, m, h, d, w) is a
// duration. Strings are quoted with ' or " and take \\ escapes of the quote
// and the backslash only. Keywords are lowercase.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "segment/segment_expr.h"

namespace halo::segment {

enum class Tok : uint8_t {
  kEnd,
  kName,  // a word or dotted path: traits.city; `.revenue` right after a string
  kString,
  kNumber,
  kDuration,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kPlus,
  kMinus,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;   // kName, kString (unescaped), kNumber (ASCII digits)
  int64_t ms = 0;     // kDuration
  size_t column = 0;  // of its first character, from 1
};

// The tokens of `text` ending with kEnd; false with `error` set when a
// character starts no token, a string is not closed or a duration
// overflows.
bool tokenize(std::string_view text, std::vector<Token> &out, ExprError &error);

}  // namespace halo::segment
