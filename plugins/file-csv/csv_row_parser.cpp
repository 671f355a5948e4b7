// csv_row_parser.cpp -- RFC 4180 field splitting (see header).
#include "csv_row_parser.h"

namespace halo::plugins {

bool CsvRowParser::parse_quoted(std::string_view row, size_t &pos, std::string_view &field,
                                std::string &error, size_t column) {
  size_t start = pos + 1;
  size_t i = start;
  bool doubled = false;
  size_t close = std::string_view::npos;
  while (close == std::string_view::npos) {
    size_t q = row.find('"', i);
    if (q == std::string_view::npos) {
      error = "column " + std::to_string(column) + " has an unterminated quoted field";
      return false;
    }
    if (q + 1 < row.size() && row[q + 1] == '"') {
      doubled = true;
      i = q + 2;
    } else {
      close = q;
    }
  }
  std::string_view raw = row.substr(start, close - start);
  if (doubled) {
    size_t at = scratch_.size();
    for (size_t k = 0; k < raw.size(); ++k) {
      scratch_.push_back(raw[k]);
      if (raw[k] == '"') ++k;  // skip the second quote of a pair
    }
    field = std::string_view(scratch_).substr(at);
  } else {
    field = raw;
  }
  pos = close + 1;
  if (pos < row.size() && row.compare(pos, delimiter_.size(), delimiter_) != 0) {
    error = "column " + std::to_string(column) +
            " has text after its closing quote; quote the whole field and double inner quotes";
    return false;
  }
  return true;
}

bool CsvRowParser::parse(std::string_view row, std::vector<std::string_view> &fields,
                         std::string &error) {
  fields.clear();
  scratch_.clear();
  too_many_fields_ = false;
  // Unquoting only shrinks text, so this capacity is never exceeded and
  // views into scratch_ stay valid.
  if (scratch_.capacity() < row.size()) scratch_.reserve(row.size());
  size_t pos = 0;
  for (;;) {
    std::string_view field;
    if (pos < row.size() && row[pos] == '"') {
      if (!parse_quoted(row, pos, field, error, fields.size() + 1)) return false;
    } else {
      size_t end = row.find(delimiter_, pos);
      if (end == std::string_view::npos) end = row.size();
      field = row.substr(pos, end - pos);
      pos = end;
    }
    if (fields.size() == max_fields_) {
      too_many_fields_ = true;
      error = "row has more than " + std::to_string(max_fields_) + " fields (limit max_fields)";
      return false;
    }
    fields.push_back(field);
    if (pos >= row.size()) return true;
    pos += delimiter_.size();  // at a delimiter
  }
}

}  // namespace halo::plugins
