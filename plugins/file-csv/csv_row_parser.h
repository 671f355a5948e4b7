// csv_row_parser.h -- splits one CSV row (as framed by RecordSplitter, line
// terminator removed) into fields, RFC 4180 style: quoted fields, doubled
// quotes, delimiters and newlines inside quotes, any (multi-byte) delimiter.
//
// Invariants:
//  - Field views point into the row or into the parser's scratch buffer
//    (only fields with doubled quotes are copied); they stay valid until the
//    next parse().
//  - A row of n delimiters has n + 1 fields; "a,b," ends with an empty field.
//  - Text after a closing quote other than a delimiter is an error naming
//    the column; a quote inside an unquoted field is kept as data.
//  - A row with more than max_fields fields is refused (too_many_fields()
//    tells the caller to dead-letter it as TOO_LARGE); the byte size of a
//    row is bounded by the splitter's max_record_bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins {

// Default limit on the fields of one row (header included).
inline constexpr size_t kDefaultMaxFields = 10000;

class CsvRowParser {
 public:
  explicit CsvRowParser(std::string delimiter, size_t max_fields = kDefaultMaxFields)
      : delimiter_(std::move(delimiter)), max_fields_(max_fields) {}

  // Returns false with `error` for a malformed row or one over max_fields.
  bool parse(std::string_view row, std::vector<std::string_view> &fields, std::string &error);
  // After a failed parse(): true when the row broke the field-count limit.
  bool too_many_fields() const { return too_many_fields_; }
  size_t max_fields() const { return max_fields_; }

 private:
  bool parse_quoted(std::string_view row, size_t &pos, std::string_view &field, std::string &error,
                    size_t column);

  std::string delimiter_;
  size_t max_fields_;
  bool too_many_fields_ = false;
  std::string scratch_;
};

}  // namespace halo::plugins
