// csv_reader.cpp -- CSV file reading, header binding and row mapping.
#include "csv_reader.h"

#include "common/file_set.h"
#include "common/json_text.h"

#include <algorithm>
#include <numeric>

namespace halo::plugins {

// The mapping's view of the current row: source path i -> its column.
class CsvFileReader::Lookup : public FieldLookup {
 public:
  Lookup(const std::vector<int32_t> &column_of_path, const std::vector<std::string_view> &fields)
      : column_of_path_(column_of_path), fields_(fields) {}
  SourceValue field(size_t i) override {
    int32_t column = column_of_path_[i];
    if (column < 0 || static_cast<size_t>(column) >= fields_.size()) return {};
    std::string_view text = fields_[static_cast<size_t>(column)];
    if (text.empty()) return {};
    return {ValueKind::kString, text};
  }

 private:
  const std::vector<int32_t> &column_of_path_;
  const std::vector<std::string_view> &fields_;
};

CsvFileReader::CsvFileReader(CsvReaderOptions options)
    : options_(std::move(options)),
      rows_(Framing::kCsvRows, options_.block_size, options_.max_record_bytes),
      parser_(options_.delimiter, options_.max_fields),
      lookup_(std::make_unique<Lookup>(column_of_path_, fields_)) {}

CsvFileReader::~CsvFileReader() = default;

// Reads the first non-empty row: column names (header: true) or just the
// width (header: false, names "1".."n").
void CsvFileReader::read_header() {
  columns_.clear();
  header_error_.clear();
  RawRecord row;
  SplitResult r;
  while ((r = rows_.next(row)) == SplitResult::kRecord && row.bytes.empty()) {
  }
  if (r == SplitResult::kEnd) return;
  if (r == SplitResult::kTooLong || row.unterminated_quote) {
    header_reason_ = r == SplitResult::kTooLong ? HALO_REASON_TOO_LARGE : HALO_REASON_MALFORMED;
    header_error_ = "the header row of " + file_name_ +
                    " cannot be read (too long or an "
                    "unterminated quote); the file is skipped";
    return;
  }
  if (!is_valid_utf8(row.bytes)) {
    header_reason_ = HALO_REASON_BAD_ENCODING;
    header_error_ = "the header row of " + file_name_ +
                    " is not valid UTF-8; re-save the file as UTF-8. The file is skipped";
    return;
  }
  std::string error;
  if (!parser_.parse(row.bytes, fields_, error)) {
    header_reason_ = parser_.too_many_fields() ? HALO_REASON_TOO_LARGE : HALO_REASON_MALFORMED;
    header_error_ = "header row of " + file_name_ + ": " + error + "; the file is skipped";
    return;
  }
  for (size_t i = 0; i < fields_.size(); ++i) {
    columns_.push_back(options_.header ? std::string(trim_ascii(fields_[i]))
                                       : std::to_string(i + 1));
  }
}

void CsvFileReader::bind_columns() {
  columns_by_name_.resize(columns_.size());
  std::iota(columns_by_name_.begin(), columns_by_name_.end(), size_t{0});
  std::stable_sort(columns_by_name_.begin(), columns_by_name_.end(),
                   [&](size_t a, size_t b) { return columns_[a] < columns_[b]; });
  const auto &paths = options_.mapping->source_paths();
  column_of_path_.assign(paths.size(), -1);
  for (size_t p = 0; p < paths.size(); ++p) {
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (columns_[c] == paths[p]) {
        column_of_path_[p] = static_cast<int32_t>(c);
        break;
      }
    }
    if (column_of_path_[p] < 0 && options_.warn && !columns_.empty()) {
      options_.warn("file-csv: " + file_name_ + " has no column '" + paths[p] +
                    "' used by the mapping");
    }
  }
}

void CsvFileReader::open(const std::string &path, uint64_t offset, uint64_t next_position) {
  open_stream(std::make_unique<FileByteSource>(path), std::string(file_name_of(path)), offset,
              next_position);
}

void CsvFileReader::open_stream(std::unique_ptr<ByteSource> source, std::string file_name,
                                uint64_t offset, uint64_t next_position) {
  source_ = std::move(source);
  file_name_ = std::move(file_name);
  rows_.start(source_.get(), 0, 1);
  read_header();
  bind_columns();
  if (!header_error_.empty()) return;
  uint64_t header_end = rows_.next_offset();
  if (!options_.header) {
    rows_.start(source_.get(), offset, next_position);  // row 1 is data
  } else if (offset > header_end) {
    rows_.start(source_.get(), offset, next_position);
  }
}

bool CsvFileReader::step(RecordSink &sink) {
  if (!header_error_.empty()) {
    sink.error(header_reason_, header_error_, {}, 1);
    header_error_.clear();
    return false;
  }
  return step_rows(rows_, file_name_, options_.max_record_bytes, sink,
                   [&](const RawRecord &row) { emit_row(sink, row); });
}

void CsvFileReader::emit_row(RecordSink &sink, const RawRecord &row) {
  if (row.unterminated_quote) {
    sink.error(HALO_REASON_MALFORMED,
               "a quoted field opened on line " + std::to_string(row.line) +
                   " is never closed; this row ends at its line break and reading goes on "
                   "with the next line",
               clip_utf8(row.bytes, kTooLongPrefix), row.line);
    return;
  }
  if (!is_valid_utf8(row.bytes)) {
    sink.error(HALO_REASON_BAD_ENCODING, "row contains invalid UTF-8; re-save the file as UTF-8",
               row.bytes, row.line);
    return;
  }
  if (!parser_.parse(row.bytes, fields_, error_)) {
    sink.error(parser_.too_many_fields() ? HALO_REASON_TOO_LARGE : HALO_REASON_MALFORMED, error_,
               row.bytes, row.line);
    return;
  }
  if (fields_.size() != columns_.size()) {
    sink.error(HALO_REASON_WRONG_SHAPE,
               "row has " + std::to_string(fields_.size()) + " columns, " +
                   (options_.header ? "header has " : "the first row has ") +
                   std::to_string(columns_.size()),
               row.bytes, row.line);
    return;
  }
  std::string_view id;
  if (!options_.mapping->sets_message_id()) id = content_id();
  if (!options_.mapping->apply(*lookup_, id, mapped_, error_)) {
    sink.error(HALO_REASON_INVALID, error_, row.bytes, row.line);
    return;
  }
  sink.record(mapped_, row.line);
}

std::string_view CsvFileReader::content_id() {
  ids_.begin();
  for (size_t c : columns_by_name_) {
    ids_.add(columns_[c]);
    ids_.add(fields_[c]);
  }
  return ids_.finish();
}

}  // namespace halo::plugins
