// json_text.cpp -- JSON escaping and value checks (see header).
#include "common/json_text.h"

#include <simdjson.h>

#include "common/ascii_chars.h"

namespace halo::plugins {

namespace {
bool needs_escape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\';
}

void append_escape(std::string &out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    default: {
      static const char kHex[] = "0123456789abcdef";
      char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(buf, 6);
    }
  }
}

size_t skip_digits(std::string_view s, size_t i) {
  while (i < s.size() && is_ascii_digit(s[i])) ++i;
  return i;
}
}  // namespace

void append_json_string(std::string &out, std::string_view s) {
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!needs_escape(c)) continue;
    out.append(s.data() + run, i - run);
    append_escape(out, c);
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void append_json_member(std::string &out, std::string_view name, std::string_view value) {
  if (!out.empty() && out.back() != '{') out += ',';
  append_json_string(out, name);
  out += ':';
  append_json_string(out, value);
}

bool is_json_number(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size() || !is_ascii_digit(s[i])) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    i = skip_digits(s, i);
  }
  if (i < s.size() && s[i] == '.') {
    size_t frac = skip_digits(s, i + 1);
    if (frac == i + 1) return false;
    i = frac;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp = skip_digits(s, i);
    if (exp == i) return false;
    i = exp;
  }
  return i == s.size();
}

bool is_valid_utf8(std::string_view s) {
  return simdjson::validate_utf8(s.data(), s.size());
}

bool is_valid_json(std::string_view s) {
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(s);
  return parser.parse(padded).error() == simdjson::SUCCESS;
}

std::string_view trim_ascii(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char &c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_blank(std::string_view s) {
  return trim_ascii(s).empty();
}

std::string_view clip_utf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

}  // namespace halo::plugins
