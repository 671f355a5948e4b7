// record_splitter.h -- splits a byte stream into newline-terminated records:
// JSON Lines, or CSV rows where a newline inside double quotes does not end
// the row (RFC 4180).
//
// Invariants:
//  - Every byte of the stream belongs to exactly one returned record (or to
//    its terminator), so next_offset() is always a record boundary that a
//    cursor can resume from.
//  - A record's bytes exclude its "\n" or "\r\n"; a final record without a
//    newline is returned too. Blank records are returned (callers skip them)
//    so line numbers stay exact.
//  - A record longer than max_record_bytes is returned as TooLong with its
//    first kTooLongPrefix bytes; the splitter resynchronises at the next
//    record boundary without buffering the rest.
//  - Views stay valid until the next call to next() or start().
#pragma once

#include "common/block_buffer.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace halo::plugins {

inline constexpr size_t kTooLongPrefix = 1024;

enum class Framing { kLines, kCsvRows };

struct RawRecord {
  std::string_view bytes;
  uint64_t line = 0;                // 1-based physical line where the record starts
  uint64_t offset = 0;              // stream offset of its first byte
  bool unterminated_quote = false;  // CSV: the stream ended inside quotes
};

enum class SplitResult { kRecord, kTooLong, kEnd };

class RecordSplitter {
 public:
  RecordSplitter(Framing framing, size_t block_size, size_t max_record_bytes);

  // Begins at `offset`, whose record starts on physical line `line`. At
  // offset 0 a UTF-8 byte-order mark is skipped.
  void start(ByteSource *source, uint64_t offset, uint64_t line);
  SplitResult next(RawRecord &out);

  // Where the record after the last one returned begins.
  uint64_t next_offset() const { return buffer_.offset(); }
  uint64_t next_line() const { return line_; }

 private:
  // Finds the end of the record at the front of pending(), scanning from
  // scan_; returns its length (excluding "\n") or npos when more bytes are
  // needed.
  size_t find_end(std::string_view pending);
  void skip_bom();
  SplitResult take(size_t length, bool has_newline, RawRecord &out);
  SplitResult skip_too_long(RawRecord &out);

  Framing framing_;
  size_t max_record_bytes_;
  BlockBuffer buffer_;
  uint64_t line_ = 1;
  // Scan state of the record being searched, so a refill does not rescan.
  size_t scan_ = 0;
  bool in_quotes_ = false;
  uint64_t inner_newlines_ = 0;
  std::string too_long_prefix_;
};

}  // namespace halo::plugins
