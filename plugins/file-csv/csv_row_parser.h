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
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins {

class CsvRowParser {
 public:
  explicit CsvRowParser(std::string delimiter) : delimiter_(std::move(delimiter)) {}

  // Returns false with `error` for a malformed row.
  bool parse(std::string_view row, std::vector<std::string_view> &fields, std::string &error);

 private:
  bool parse_quoted(std::string_view row, size_t &pos, std::string_view &field, std::string &error,
                    size_t column);

  std::string delimiter_;
  std::string scratch_;
};

}  // namespace halo::plugins
