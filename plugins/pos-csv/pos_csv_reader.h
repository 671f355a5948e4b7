// pos_csv_reader.h -- reads one till export: decodes it to UTF-8 (if
// needed), reads the header, and maps each row through the PosMapping.
// Built from the common pieces file-csv uses (RecordSplitter framing,
// CsvRowParser) so the CSV dialect is identical.
//
// Invariants:
//  - Position = 1-based physical line where a row starts; next_offset()
//    is a row boundary in the decoded stream (what the cursor stores).
//  - The header is re-read from the top on every open, also when resuming.
//  - messageId: the mapping's own (e.g. the transaction id column) when it
//    sets one; otherwise "pos-" + XXH3-128 of the normalized row (mapped
//    columns' names and trimmed values, in mapping order) and the row's
//    occurrence number among identical rows of the file. So the same sale
//    in a re-exported or corrected file gets the same id (deduplicated by
//    the kernel), while two identical sales in one file both count. On a
//    resume mid-file the occurrence counts are rebuilt from the rows
//    before the offset.
//  - Bad rows become one error each (MALFORMED, BAD_ENCODING, WRONG_SHAPE,
//    TOO_LARGE, INVALID) and reading continues.
#pragma once

#include "common/file_source_core.h"
#include "common/record_splitter.h"
#include "csv_row_parser.h"
#include "legacy_encoding.h"
#include "pos_mapping.h"

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace halo::plugins {

struct PosReaderOptions {
  std::string delimiter = ",";
  TextEncoding encoding = TextEncoding::kUtf8;
  size_t max_record_bytes = 1 << 20;
  size_t max_fields = kDefaultMaxFields;  // per row and header; more is TOO_LARGE
  size_t block_size = 1 << 20;
  std::function<void(const std::string &)> warn;  // optional
};

class PosCsvReader : public RecordFileReader {
 public:
  // `mapping` is not owned and must outlive the reader.
  PosCsvReader(PosReaderOptions options, PosMapping *mapping);
  ~PosCsvReader() override;

  void open(const std::string &path, uint64_t offset, uint64_t next_position) override;
  // Reads the raw (still encoded) bytes of `source`, named `file_name` in
  // messages; the fuzz target uses it with memory.
  void open_stream(std::unique_ptr<ByteSource> source, std::string file_name, uint64_t offset,
                   uint64_t next_position);
  bool step(RecordSink &sink) override;
  uint64_t next_offset() const override { return rows_.next_offset(); }
  uint64_t next_position() const override { return rows_.next_line(); }
  void close() override { source_.reset(); }

 private:
  struct Hash128 {
    uint64_t high = 0, low = 0;
    bool operator==(const Hash128 &) const = default;
  };
  struct Hash128Hasher {
    size_t operator()(const Hash128 &h) const { return static_cast<size_t>(h.low ^ h.high); }
  };

  void read_header();
  void recount_rows_before(uint64_t offset);
  bool parse_row(RecordSink *sink, const RawRecord &row);
  std::string_view row_message_id();
  void emit_row(RecordSink &sink, const RawRecord &row);

  PosReaderOptions options_;
  PosMapping *mapping_;
  std::unique_ptr<ByteSource> source_;
  std::string file_name_;
  RecordSplitter rows_;
  CsvRowParser parser_;
  std::vector<std::string> columns_;
  std::vector<std::string_view> fields_;
  std::string header_error_;
  halo_reason header_reason_ = HALO_REASON_MALFORMED;
  std::unordered_map<Hash128, uint32_t, Hash128Hasher> occurrences_;
  std::string hash_key_, message_id_, mapped_, error_;
};

}  // namespace halo::plugins
