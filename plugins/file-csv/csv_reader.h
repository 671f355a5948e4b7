// csv_reader.h -- reads one CSV file: header, then each row mapped into an
// event by a RecordMapping whose source paths are column names.
//
// Invariants:
//  - Position is the 1-based physical line where a row starts (rows may
//    span lines inside quotes); next_offset()/next_position() name the row
//    after the last one emitted.
//  - The header is read from the top of the file on every open, also when
//    resuming mid-file. With header: false the columns are "1", "2", ...
//    and the first row's width is the expected width.
//  - Each bad row becomes one error and reading continues: TOO_LARGE (max_record_bytes,
//  max_fields),
//    MALFORMED (quotes; an unclosed quote is one row up to its line break), BAD_ENCODING (invalid
//    UTF-8), WRONG_SHAPE (column count), INVALID (mapping rejected it). Empty lines are skipped.
//  - Empty cells count as missing values (CSV has no null).
//  - Without a messageId mapping a row's id comes from its content: every
//    (column name, cell value) pair, in column-name order, so reordered
//    columns, re-quoting, other line breaks or a moved row keep the id and
//    any changed cell gives a new one (see common/message_id.h).
#pragma once

#include "common/block_buffer.h"
#include "common/file_source_core.h"
#include "common/message_id.h"
#include "common/record_mapping.h"
#include "common/record_splitter.h"
#include "csv_row_parser.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace halo::plugins {

struct CsvReaderOptions {
  std::string delimiter = ",";
  bool header = true;
  size_t max_record_bytes = 1 << 20;
  size_t max_fields = kDefaultMaxFields;
  size_t block_size = 1 << 20;                    // read() size: larger gains nothing measurable
  const RecordMapping *mapping = nullptr;         // required; not owned
  std::function<void(const std::string &)> warn;  // optional
};

class CsvFileReader : public RecordFileReader {
 public:
  explicit CsvFileReader(CsvReaderOptions options);
  ~CsvFileReader() override;

  void open(const std::string &path, uint64_t offset, uint64_t next_position) override;
  // Reads `source` (named `file_name` in messages) instead of a file; the
  // fuzz target and tests use it with memory.
  void open_stream(std::unique_ptr<ByteSource> source, std::string file_name, uint64_t offset,
                   uint64_t next_position);
  bool step(RecordSink &sink) override;
  uint64_t next_offset() const override { return rows_.next_offset(); }
  uint64_t next_position() const override { return rows_.next_line(); }
  void close() override { source_.reset(); }

  const std::vector<std::string> &columns() const { return columns_; }

 private:
  class Lookup;
  void read_header();
  void bind_columns();
  void emit_row(RecordSink &sink, const RawRecord &row);
  std::string_view content_id();

  CsvReaderOptions options_;
  std::unique_ptr<ByteSource> source_;
  std::string file_name_;
  RecordSplitter rows_;
  CsvRowParser parser_;
  std::vector<std::string> columns_;
  std::vector<int32_t> column_of_path_;  // per mapping source path, -1 = absent
  std::vector<std::string_view> fields_;
  std::unique_ptr<Lookup> lookup_;
  std::string header_error_;
  halo_reason header_reason_ = HALO_REASON_MALFORMED;
  std::vector<size_t> columns_by_name_;  // column indices sorted by name
  ContentIdBuilder ids_;
  std::string mapped_, error_;
};

}  // namespace halo::plugins
