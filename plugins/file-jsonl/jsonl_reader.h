// jsonl_reader.h -- reads one JSON Lines file, or one file holding a JSON
// array of records, and emits each record (passed through unchanged, or
// rebuilt by a RecordMapping) or a dead-letter error.
//
// Invariants:
//  - Position is the 1-based physical line (JSON Lines) or the 1-based
//    element index (JSON array); next_offset()/next_position() always name
//    the record after the last one emitted.
//  - Without a mapping, records are not parsed (the kernel validates them);
//    with one, each is parsed with simdjson On-Demand and a malformed record
//    becomes a MALFORMED error carrying simdjson's message. A mapped record
//    without a messageId mapping gets a content id: the hash of its bytes
//    without surrounding whitespace (common/message_id.h).
//  - Blank lines are skipped silently; over-long records become TOO_LARGE
//    errors with their first 1 KiB, and reading resumes after them.
#pragma once

#include "common/file_source_core.h"
#include "common/json_array_splitter.h"
#include "common/json_field_lookup.h"
#include "common/message_id.h"
#include "common/record_mapping.h"
#include "common/record_splitter.h"

#include <memory>
#include <optional>
#include <string>

namespace halo::plugins {

enum class JsonFormat { kAuto, kLines, kArray };

std::optional<JsonFormat> parse_json_format(std::string_view name);

struct JsonlReaderOptions {
  JsonFormat format = JsonFormat::kAuto;
  size_t max_record_bytes = 1 << 20;
  size_t block_size = 1 << 20;             // read() size: larger gains nothing measurable
  const RecordMapping *mapping = nullptr;  // not owned; null = pass-through
};

// `format: auto`: true when the stream holds exactly one JSON value and it
// is an array: the first non-space byte (after a UTF-8 BOM) is '[', the
// bracket it opens closes (strings and escapes honoured), and only
// whitespace follows. Anything else - a JSON Lines file whose first line is
// an array, or an array that never closes - is read as JSON Lines, so no
// line can be swallowed into one array. Reads at most the whole stream
// once; a JSON Lines file is decided after its first line.
bool is_json_array_file(ByteSource &source);

class JsonlFileReader : public RecordFileReader {
 public:
  explicit JsonlFileReader(const JsonlReaderOptions &options);

  void open(const std::string &path, uint64_t offset, uint64_t next_position) override;
  bool step(RecordSink &sink) override;
  uint64_t next_offset() const override;
  uint64_t next_position() const override;
  void close() override { source_.reset(); }

 private:
  // Emits one record's JSON (mapped if configured); `bytes` lies in a block
  // buffer, so simdjson's padding follows it.
  void emit(RecordSink &sink, std::string_view bytes, uint64_t position);
  bool step_lines(RecordSink &sink);
  bool step_array(RecordSink &sink);
  std::string too_large_message(const char *what, uint64_t position) const;

  JsonlReaderOptions options_;
  std::unique_ptr<FileByteSource> source_;
  bool array_ = false;
  std::string file_name_;
  RecordSplitter lines_;
  JsonArraySplitter elements_;
  std::optional<JsonFieldLookup> lookup_;
  ContentIdBuilder ids_;
  std::string mapped_, error_;
};

}  // namespace halo::plugins
