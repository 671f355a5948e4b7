// expr_lexer.cpp -- see expr_lexer.h.
#include "segment/expr_lexer.h"

#include <halo/units.hpp>

namespace halo::segment {

namespace {

bool is_word_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_word_char(char c) {
  return is_word_start(c) || (c >= '0' && c <= '9');
}

// The ASCII digit (or '.') a code point at text[i] stands for, with its
// length in bytes; 0 when it is none. Persian and Arabic-Indic digits are
// two-byte UTF-8: U+06F0.. is DB B0.., U+0660.. is D9 A0.., U+066B D9 AB.
char number_char(std::string_view text, size_t i, size_t &len) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  len = 1;
  if ((text[i] >= '0' && text[i] <= '9') || text[i] == '.') return text[i];
  if (i + 1 >= text.size()) return 0;
  len = 2;
  if (b(i) == 0xDB && b(i + 1) >= 0xB0 && b(i + 1) <= 0xB9) return '0' + (b(i + 1) - 0xB0);
  if (b(i) == 0xD9 && b(i + 1) >= 0xA0 && b(i + 1) <= 0xA9) return '0' + (b(i + 1) - 0xA0);
  if (b(i) == 0xD9 && b(i + 1) == 0xAB) return '.';
  return 0;
}

class Lexer {
 public:
  Lexer(std::string_view text, std::vector<Token> &out, ExprError &error)
      : text_(text), out_(out), error_(error) {}

  bool run() {
    while (true) {
      while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                     text_[pos_] == '\n' || text_[pos_] == '\r')) {
        advance(1);
      }
      if (pos_ == text_.size()) {
        out_.push_back({Tok::kEnd, "", 0, column_});
        return true;
      }
      if (!next()) return false;
    }
  }

 private:
  bool next() {
    const char c = text_[pos_];
    size_t len = 0;
    if (is_word_start(c)) return word();
    // 'Add-to-cart'.revenue: a field after a quoted event name.
    if (c == '.' && !out_.empty() && out_.back().kind == Tok::kString && pos_ + 1 < text_.size() &&
        is_word_start(text_[pos_ + 1])) {
      return word();
    }
    if (number_char(text_, pos_, len) != 0) return number();
    if (c == '\'' || c == '"') return string(c);
    static constexpr std::pair<std::string_view, Tok> kSymbols[] = {
        {"==", Tok::kEq},      {"!=", Tok::kNe},      {"<=", Tok::kLe},    {">=", Tok::kGe},
        {"<", Tok::kLt},       {">", Tok::kGt},       {"(", Tok::kLParen}, {")", Tok::kRParen},
        {"[", Tok::kLBracket}, {"]", Tok::kRBracket}, {",", Tok::kComma},  {"+", Tok::kPlus},
        {"-", Tok::kMinus},
    };
    for (const auto &[symbol, kind] : kSymbols) {
      if (text_.substr(pos_, symbol.size()) == symbol) {
        out_.push_back({kind, std::string(symbol), 0, column_});
        advance(symbol.size());
        return true;
      }
    }
    return fail(column_, c == '=' ? "'=' is not an operator (compare with '==')"
                                  : "unexpected character here");
  }

  // A name or a dotted path; a part may be an array index
  // (properties.products.0.sku), never empty, and `[]` right after a part
  // names a list's elements (properties.products[].sku, halo/field_path.hpp;
  // `in [` keeps its space or a quote after the bracket).
  bool word() {
    Token t{Tok::kName, "", 0, column_};
    const size_t start = pos_;
    const auto next_is = [&](char c) { return pos_ + 1 < text_.size() && text_[pos_ + 1] == c; };
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (is_word_char(c) ||
          (c == '.' && pos_ + 1 < text_.size() && is_word_char(text_[pos_ + 1]))) {
        advance(1);
      } else if (c == '[' && next_is(']')) {
        advance(2);
      } else {
        break;
      }
    }
    t.text = std::string(text_.substr(start, pos_ - start));
    out_.push_back(std::move(t));
    return true;
  }

  bool number() {
    Token t{Tok::kNumber, "", 0, column_};
    size_t len = 0;
    for (char d; pos_ < text_.size() && (d = number_char(text_, pos_, len)) != 0;) {
      t.text += d;
      advance(len);
    }
    std::string unit;
    while (pos_ < text_.size() && is_word_start(text_[pos_])) {
      unit += text_[pos_];
      advance(1);
    }
    if (!unit.empty()) {
      auto ms = parse_duration_ms(t.text + unit);
      if (!ms) {
        return fail(t.column, "'" + t.text + unit +
                                  "' is not a duration (a whole number and ms, s, m, h, d or w)");
      }
      t.kind = Tok::kDuration;
      t.ms = *ms;
    } else if (t.text.front() == '.' || t.text.back() == '.' ||
               t.text.find('.') != t.text.rfind('.')) {
      return fail(t.column, "'" + t.text + "' is not a number");
    }
    out_.push_back(std::move(t));
    return true;
  }

  bool string(char quote) {
    Token t{Tok::kString, "", 0, column_};
    advance(1);
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size() &&
          (text_[pos_ + 1] == quote || text_[pos_ + 1] == '\\')) {
        advance(1);
      }
      t.text += text_[pos_];
      advance(1);
    }
    if (pos_ == text_.size()) return fail(t.column, "this string is not closed");
    advance(1);
    out_.push_back(std::move(t));
    return true;
  }

  // Moves `n` bytes on, counting code points (bytes that do not continue
  // a UTF-8 sequence).
  void advance(size_t n) {
    for (size_t k = 0; k < n; ++k, ++pos_) {
      if ((static_cast<unsigned char>(text_[pos_]) & 0xC0) != 0x80) ++column_;
    }
  }
  bool fail(size_t column, std::string message) {
    error_ = {column, std::move(message)};
    return false;
  }

  std::string_view text_;
  std::vector<Token> &out_;
  ExprError &error_;
  size_t pos_ = 0;
  size_t column_ = 1;  // of the character at pos_
};

}  // namespace

bool tokenize(std::string_view text, std::vector<Token> &out, ExprError &error) {
  return Lexer(text, out, error).run();
}

}  // namespace halo::segment
