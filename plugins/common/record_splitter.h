// record_splitter.h -- splits a byte stream into line-terminated records:
// JSON Lines, or CSV rows where a line break inside double quotes does not
// end the row (RFC 4180).
//
// Invariants:
//  - A line break is LF, CRLF or a lone CR (classic Mac OS), in any mix, also
//    inside quoted CSV fields (where it stays part of the field). Each counts
//    as one physical line. A CR at the end of a block waits for the next
//    byte, so a CRLF split across two reads is still one break.
//  - Every byte of the stream belongs to exactly one returned record (or to
//    its terminator), so next_offset() is always a record boundary that a
//    cursor can resume from.
//  - A record's bytes exclude its line break; a final record without one is
//    returned too. Blank records are returned (callers skip them) so line
//    numbers stay exact.
//  - A record longer than max_record_bytes is returned as TooLong with its
//    first kTooLongPrefix bytes; the splitter resynchronises at the record's
//    end without buffering the rest.
//  - A CSV quote that is still open at the end of the stream never swallows
//    the rows after it: the row is returned (flagged unterminated_quote) up
//    to its first physical line break, and splitting resumes after that
//    break. The same holds for an over-long row whose quote never closes.
//  - Views stay valid until the next call to next() or start().
#pragma once

#include "common/block_buffer.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace halo::plugins {

inline constexpr size_t kTooLongPrefix = 1024;

enum class Framing { kLines, kCsvRows };

struct RawRecord {
  std::string_view bytes;
  uint64_t line = 0;                // 1-based physical line where the record starts
  uint64_t offset = 0;              // stream offset of its first byte
  bool unterminated_quote = false;  // CSV: a quote opened in this row never closes
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
  static constexpr uint64_t kNone = std::numeric_limits<uint64_t>::max();

  // Finds the end of the record at the front of pending(), scanning from
  // scan_; returns its length (excluding the line break, whose length goes
  // to break_length_) or npos when more bytes are needed.
  size_t find_end(std::string_view pending);
  void skip_bom();
  SplitResult take(size_t length, RawRecord &out);
  SplitResult skip_too_long(RawRecord &out);
  // The stream ended inside quotes: return the row's first physical line
  // and continue after it (`prefix` holds the row's first bytes).
  SplitResult resync_unterminated(std::string_view prefix, uint64_t record_offset, RawRecord &out);
  void reset_scan();

  Framing framing_;
  size_t max_record_bytes_;
  BlockBuffer buffer_;
  ByteSource *source_ = nullptr;
  uint64_t line_ = 1;
  // Scan state of the record being searched, so a refill does not rescan.
  size_t scan_ = 0;
  size_t break_length_ = 0;
  bool in_quotes_ = false;
  uint64_t inner_breaks_ = 0;
  // Stream offsets of the record's first line break inside quotes (start and
  // just after it), kNone while there is none.
  uint64_t first_break_at_ = kNone;
  uint64_t first_break_end_ = kNone;
  std::string too_long_prefix_;
};

}  // namespace halo::plugins
