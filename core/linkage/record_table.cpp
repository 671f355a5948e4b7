// record_table.cpp -- the CSV reader; see record_table.h.
#include "record_table.h"

namespace halo::linkage {

int RecordTable::column(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Reads one row starting at `at`; advances `at` past its line end. Lines
// counted from 1 for messages; quoted fields may span lines.
class RowReader {
 public:
  RowReader(std::string_view text) : text_(text) {}
  bool done() const { return at_ >= text_.size(); }
  size_t line() const { return line_; }

  bool read(std::vector<std::string> &fields, std::string &error) {
    fields.clear();
    std::string field;
    for (;;) {
      field.clear();
      if (!read_field(field, error)) return false;
      if (fields.size() == kMaxTableColumns) {
        error = "line " + std::to_string(line_) + ": more than " +
                std::to_string(kMaxTableColumns) + " fields";
        return false;
      }
      fields.push_back(field);
      if (at_ < text_.size() && text_[at_] == ',') {
        ++at_;
        continue;
      }
      end_line();
      return true;
    }
  }

 private:
  bool too_long(const std::string &field, std::string &error) const {
    if (field.size() <= kMaxFieldBytes) return false;
    error = "line " + std::to_string(line_) + ": a field is longer than " +
            std::to_string(kMaxFieldBytes) + " bytes";
    return true;
  }

  bool read_field(std::string &field, std::string &error) {
    size_t start = at_;
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t')) ++at_;
    if (at_ < text_.size() && text_[at_] == '"') return read_quoted(field, error);
    at_ = start;
    while (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '\n' && text_[at_] != '\r') {
      ++at_;
    }
    field.assign(trim(text_.substr(start, at_ - start)));
    return !too_long(field, error);
  }

  bool read_quoted(std::string &field, std::string &error) {
    const size_t opened = line_;
    ++at_;  // the opening quote
    for (;;) {
      if (at_ >= text_.size()) {
        error = "line " + std::to_string(opened) + ": a quoted field is never closed";
        return false;
      }
      const char c = text_[at_++];
      if (c == '"' && at_ < text_.size() && text_[at_] == '"') {
        field.push_back('"');
        ++at_;
      } else if (c == '"') {
        break;
      } else {
        if (c == '\n') ++line_;
        field.push_back(c);
      }
      if (too_long(field, error)) return false;
    }
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t')) ++at_;
    if (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '\n' && text_[at_] != '\r') {
      error = "line " + std::to_string(line_) + ": text after a closing quote";
      return false;
    }
    return true;
  }

  void end_line() {
    if (at_ < text_.size() && text_[at_] == '\r') ++at_;
    if (at_ < text_.size() && text_[at_] == '\n') ++at_;
    ++line_;
  }

  std::string_view text_;
  size_t at_ = 0;
  size_t line_ = 1;
};

bool blank(const std::vector<std::string> &fields) {
  return fields.size() == 1 && fields[0].empty();
}

}  // namespace

bool parse_record_table(std::string_view text, RecordTable &out, std::string &error) {
  out = {};
  if (text.size() > kMaxTableBytes) {
    error = "the file is larger than " + std::to_string(kMaxTableBytes) + " bytes";
    return false;
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  RowReader reader(text);
  if (reader.done() || !reader.read(out.columns, error)) {
    if (error.empty()) error = "line 1: no header row";
    return false;
  }
  for (size_t i = 0; i < out.columns.size(); ++i) {
    if (out.columns[i].empty() || out.column(out.columns[i]) != static_cast<int>(i)) {
      error = "line 1: column " + std::to_string(i + 1) + " is " +
              (out.columns[i].empty() ? "unnamed" : "named twice ('" + out.columns[i] + "')");
      return false;
    }
  }
  std::vector<std::string> fields;
  while (!reader.done()) {
    const size_t line = reader.line();
    if (!reader.read(fields, error)) return false;
    if (blank(fields)) continue;
    if (fields.size() != out.columns.size()) {
      error = "line " + std::to_string(line) + ": " + std::to_string(fields.size()) +
              " fields, the header has " + std::to_string(out.columns.size());
      return false;
    }
    if (out.rows.size() == kMaxTableRecords) {
      error = "line " + std::to_string(line) + ": more than " + std::to_string(kMaxTableRecords) +
              " records";
      return false;
    }
    out.rows.push_back(fields);
  }
  return true;
}

}  // namespace halo::linkage
