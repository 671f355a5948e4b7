// json_string_state.h -- whether a byte-by-byte JSON scanner is inside a
// string (RFC 8259 section 7: a string ends at an unescaped '"'). Shared by
// the JSON array splitter and the array-file detection of file-jsonl, which
// both track bracket depth and must ignore brackets inside strings.
#pragma once

namespace halo::plugins {

class JsonStringState {
 public:
  // Feeds byte c; true when c belongs to a string (its opening or closing
  // quote included), so the caller must not read it as structure.
  bool consume(char c) {
    if (!in_string_) {
      in_string_ = c == '"';
      return in_string_;
    }
    if (escaped_) {
      escaped_ = false;
    } else if (c == '\\') {
      escaped_ = true;
    } else if (c == '"') {
      in_string_ = false;
    }
    return true;
  }

 private:
  bool in_string_ = false;
  bool escaped_ = false;
};

}  // namespace halo::plugins
