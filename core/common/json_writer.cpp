// json_writer.cpp -- JSON string escaping and the streaming writer.
#include "common/json_writer.h"

#include <cstdint>

#include "common/utf8.h"

namespace halo {

namespace {

// Printable ASCII that JSON takes as it is.
bool is_plain(char ch) {
  auto c = static_cast<unsigned char>(ch);
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

}  // namespace

void append_json_string(std::string &out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    // A run of plain characters goes in with one append (a character at a
    // time was about a fifth of the samples of a large export's rendering).
    size_t run = i;
    while (run < s.size() && is_plain(s[run])) ++run;
    out.append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = utf8_sequence_length(s, i);
      if (n == 0) {
        out.append("\xEF\xBF\xBD");  // U+FFFD
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (c < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

void JsonWriter::comma() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
  }
}

JsonWriter &JsonWriter::open(char c) {
  comma();
  out_.push_back(c);
  first_.push_back(true);
  return *this;
}

JsonWriter &JsonWriter::close(char c) {
  out_.push_back(c);
  if (!first_.empty()) first_.pop_back();
  return *this;
}

JsonWriter &JsonWriter::key(std::string_view k) {
  comma();
  append_json_string(out_, k);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter &JsonWriter::string(std::string_view s) {
  comma();
  append_json_string(out_, s);
  return *this;
}

JsonWriter &JsonWriter::raw(std::string_view literal) {
  comma();
  out_.append(literal);
  return *this;
}

}  // namespace halo
