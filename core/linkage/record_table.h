// record_table.h -- person records from a CSV file with a header row, as
// FEBRL and most CRM or loyalty exports write them: fields separated by
// commas, spaces around a field ignored, RFC 4180 double quotes allowed
// ("" is a quote inside a quoted field), LF or CRLF line ends.
//
// Inputs are hostile; the limits below are checked while parsing and a
// file beyond one is refused with a message naming the limit and the line,
// never truncated. A row with more or fewer fields than the header is an
// error too (the columns would be misread otherwise).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace halo::linkage {

inline constexpr size_t kMaxTableBytes = size_t{1} << 30;  // 1 GiB
inline constexpr size_t kMaxTableColumns = 256;
inline constexpr size_t kMaxTableRecords = 10'000'000;
inline constexpr size_t kMaxFieldBytes = 64 * 1024;

struct RecordTable {
  std::vector<std::string> columns;            // header names, trimmed
  std::vector<std::vector<std::string>> rows;  // rows[r][c], trimmed
  // Index of the column named `name`, or -1.
  int column(std::string_view name) const;
};

// Parses `text` (the whole file). False with `error` ("line N: ...") when
// it is not a table within the limits. A file with a header and no rows
// is a valid, empty table.
bool parse_record_table(std::string_view text, RecordTable &out, std::string &error);

}  // namespace halo::linkage
