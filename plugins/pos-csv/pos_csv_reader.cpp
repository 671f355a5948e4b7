// pos_csv_reader.cpp -- decoding, header binding, row ids and mapping.
#include "pos_csv_reader.h"

#include "common/block_buffer.h"
#include "common/file_set.h"
#include "common/json_text.h"

#include <xxhash.h>

namespace halo::plugins {

PosCsvReader::PosCsvReader(PosReaderOptions options, PosMapping *mapping)
    : options_(std::move(options)),
      mapping_(mapping),
      rows_(Framing::kCsvRows, options_.block_size, options_.max_record_bytes),
      parser_(options_.delimiter, options_.max_fields) {}

PosCsvReader::~PosCsvReader() = default;

void PosCsvReader::read_header() {
  columns_.clear();
  header_error_.clear();
  RawRecord row;
  SplitResult r;
  while ((r = rows_.next(row)) == SplitResult::kRecord && row.bytes.empty()) {
  }
  if (r == SplitResult::kEnd) return;
  std::string error;
  if (r == SplitResult::kTooLong || row.unterminated_quote) {
    header_reason_ = r == SplitResult::kTooLong ? HALO_REASON_TOO_LARGE : HALO_REASON_MALFORMED;
    header_error_ = "the header row cannot be read (too long or an unterminated quote)";
  } else if (!is_valid_utf8(row.bytes)) {
    header_reason_ = HALO_REASON_BAD_ENCODING;
    header_error_ = std::string("the header row is not valid ") + encoding_name(options_.encoding) +
                    "; set the source's encoding option";
  } else if (!parser_.parse(row.bytes, fields_, error)) {
    header_reason_ = parser_.too_many_fields() ? HALO_REASON_TOO_LARGE : HALO_REASON_MALFORMED;
    header_error_ = "header row: " + error;
  }
  if (!header_error_.empty()) {
    header_error_ = file_name_ + ": " + header_error_ + "; the file is skipped";
    return;
  }
  for (std::string_view f : fields_) columns_.emplace_back(trim_ascii(f));
}

void PosCsvReader::open(const std::string &path, uint64_t offset, uint64_t next_position) {
  open_stream(std::make_unique<FileByteSource>(path, FollowLinks::kNo),
              std::string(file_name_of(path)), offset, next_position);
}

void PosCsvReader::open_stream(std::unique_ptr<ByteSource> file, std::string file_name,
                               uint64_t offset, uint64_t next_position) {
  if (options_.encoding != TextEncoding::kUtf8) {
    file = std::make_unique<DecodingByteSource>(std::move(file), options_.encoding);
  }
  source_ = std::move(file);
  file_name_ = std::move(file_name);
  occurrences_.clear();
  rows_.start(source_.get(), 0, 1);
  read_header();
  if (!header_error_.empty()) return;
  for (const std::string &missing : mapping_->bind(columns_)) {
    if (options_.warn && !columns_.empty()) {
      options_.warn("pos-csv: " + file_name_ + " has no column '" + missing +
                    "' used by the mapping");
    }
  }
  if (offset > rows_.next_offset()) {
    if (!mapping_->sets_message_id()) recount_rows_before(offset);
    rows_.start(source_.get(), offset, next_position);
  }
}

// Replays the rows before a resume offset so occurrence numbers (part of
// row-hash ids) continue exactly where the interrupted run stopped.
void PosCsvReader::recount_rows_before(uint64_t offset) {
  RawRecord row;
  while (rows_.next_offset() < offset) {
    SplitResult r = rows_.next(row);
    if (r == SplitResult::kEnd) break;
    if (r == SplitResult::kRecord && !row.bytes.empty() && parse_row(nullptr, row)) {
      row_message_id();
    }
  }
}

bool PosCsvReader::step(RecordSink &sink) {
  if (!header_error_.empty()) {
    sink.error(header_reason_, header_error_, {}, 1);
    header_error_.clear();
    return false;
  }
  return step_rows(rows_, file_name_, options_.max_record_bytes, sink,
                   [&](const RawRecord &row) { emit_row(sink, row); });
}

// Splits and checks a row; reports problems to `sink` when given.
bool PosCsvReader::parse_row(RecordSink *sink, const RawRecord &row) {
  halo_reason reason = HALO_REASON_MALFORMED;
  std::string message;
  if (row.unterminated_quote) {
    message = "a quoted field opened on line " + std::to_string(row.line) +
              " is never closed; this row ends at its line break and reading goes on with the "
              "next line";
  } else if (!is_valid_utf8(row.bytes)) {
    reason = HALO_REASON_BAD_ENCODING;
    message = options_.encoding == TextEncoding::kUtf8
                  ? "row contains invalid UTF-8; set the source's encoding option "
                    "(windows-1256, windows-1252) or re-save the file as UTF-8"
                  : std::string("row contains a byte that is undefined in ") +
                        encoding_name(options_.encoding) + "; check the source's encoding option";
  } else if (!parser_.parse(row.bytes, fields_, error_)) {
    if (parser_.too_many_fields()) reason = HALO_REASON_TOO_LARGE;
    message = error_;
  } else if (fields_.size() != columns_.size()) {
    reason = HALO_REASON_WRONG_SHAPE;
    message = "row has " + std::to_string(fields_.size()) + " columns, header has " +
              std::to_string(columns_.size());
  } else {
    return true;
  }
  if (sink != nullptr) sink->error(reason, message, clip_utf8(row.bytes, kTooLongPrefix), row.line);
  return false;
}

std::string_view PosCsvReader::row_message_id() {
  hash_key_.clear();
  for (int32_t c : mapping_->used_columns()) {
    hash_key_ += columns_[static_cast<size_t>(c)];
    hash_key_.push_back('\x1F');
    hash_key_ += trim_ascii(fields_[static_cast<size_t>(c)]);
    hash_key_.push_back('\x1E');
  }
  XXH128_hash_t row = XXH3_128bits(hash_key_.data(), hash_key_.size());
  uint32_t occurrence = occurrences_[Hash128{row.high64, row.low64}]++;
  XXH128_hash_t h = XXH3_128bits_withSeed(hash_key_.data(), hash_key_.size(), occurrence);
  static const char kHex[] = "0123456789abcdef";
  message_id_.assign("pos-");
  for (uint64_t part : {h.high64, h.low64}) {
    for (int i = 0; i < 16; ++i) message_id_.push_back(kHex[(part >> (60 - 4 * i)) & 0xF]);
  }
  return message_id_;
}

void PosCsvReader::emit_row(RecordSink &sink, const RawRecord &row) {
  if (!parse_row(&sink, row)) return;
  std::string_view id;
  if (!mapping_->sets_message_id()) id = row_message_id();
  if (!mapping_->apply(fields_, id, mapped_, error_)) {
    sink.error(HALO_REASON_INVALID, error_, row.bytes, row.line);
    return;
  }
  sink.record(mapped_, row.line);
}

}  // namespace halo::plugins
