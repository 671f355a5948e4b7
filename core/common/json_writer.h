// json_writer.h -- a minimal streaming JSON writer appending to a std::string.
//
// Used for the profile export format (docs/export-format.md), dead-letter context and
// logs. It tracks only whether a comma is due; callers are responsible for
// well-formed nesting. Strings are escaped per RFC 8259; invalid UTF-8 bytes
// are replaced by U+FFFD so output is always valid JSON.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace halo {

void append_json_string(std::string &out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string &out) : out_(out) {}

  JsonWriter &begin_object() { return open('{'); }
  JsonWriter &end_object() { return close('}'); }
  JsonWriter &begin_array() { return open('['); }
  JsonWriter &end_array() { return close(']'); }
  JsonWriter &key(std::string_view k);
  JsonWriter &string(std::string_view s);
  // `literal` must already be valid JSON (a number's exact text, true, null).
  JsonWriter &raw(std::string_view literal);
  JsonWriter &number(int64_t v) { return raw(std::to_string(v)); }

 private:
  JsonWriter &open(char c);
  JsonWriter &close(char c);
  void comma();
  std::string &out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace halo
