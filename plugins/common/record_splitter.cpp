// record_splitter.cpp -- line / CSV-row framing over a BlockBuffer (see the
// header for the line-break and resynchronisation rules).
#include "common/record_splitter.h"

#include <algorithm>
#include <cstring>

namespace halo::plugins {

namespace {

// Index of the first '\n' or '\r' in p[from, n), or n. Two memchr passes
// (vectorised in libc) beat a byte loop several times over on long lines.
size_t next_line_break(const char *p, size_t from, size_t n) {
  const void *lf = std::memchr(p + from, '\n', n - from);
  const size_t end = lf ? static_cast<size_t>(static_cast<const char *>(lf) - p) : n;
  const void *cr = std::memchr(p + from, '\r', end - from);
  return cr ? static_cast<size_t>(static_cast<const char *>(cr) - p) : end;
}

}  // namespace

RecordSplitter::RecordSplitter(Framing framing, size_t block_size, size_t max_record_bytes)
    : framing_(framing),
      max_record_bytes_(max_record_bytes),
      buffer_(block_size, block_size + max_record_bytes) {}

void RecordSplitter::start(ByteSource *source, uint64_t offset, uint64_t line) {
  source_ = source;
  buffer_.reset(source, offset);
  line_ = line;
  reset_scan();
  if (offset == 0) skip_bom();
}

void RecordSplitter::reset_scan() {
  scan_ = 0;
  break_length_ = 0;
  in_quotes_ = false;
  inner_breaks_ = 0;
  first_break_at_ = kNone;
  first_break_end_ = kNone;
}

void RecordSplitter::skip_bom() {
  while (buffer_.pending().size() < 3 && buffer_.refill()) {
  }
  if (buffer_.pending().substr(0, 3) == "\xEF\xBB\xBF") buffer_.consume(3);
}

size_t RecordSplitter::find_end(std::string_view pending) {
  const char *p = pending.data();
  const size_t n = pending.size();
  const bool csv = framing_ == Framing::kCsvRows;
  for (size_t i = scan_; i < n; ++i) {
    if (!csv && (i = next_line_break(p, i, n)) == n) break;  // lines: no quotes to track
    const auto c = static_cast<unsigned char>(p[i]);
    if (c > '"') continue;  // '\n', '\r' and '"' all sort at or below '"'
    if (c == '"') {
      // Doubled quotes ("") flip twice, so a toggle per quote is exact.
      if (csv) in_quotes_ = !in_quotes_;
      continue;
    }
    if (c != '\n' && c != '\r') continue;
    size_t length = 1;
    if (c == '\r') {
      if (i + 1 == n && !buffer_.at_eof()) {
        scan_ = i;  // CR or CRLF? decided once the next byte is read
        return std::string_view::npos;
      }
      if (i + 1 < n && p[i + 1] == '\n') length = 2;
    }
    if (!in_quotes_) {
      scan_ = i + length;
      break_length_ = length;
      return i;
    }
    if (first_break_at_ == kNone) {
      first_break_at_ = buffer_.offset() + i;
      first_break_end_ = first_break_at_ + length;
    }
    ++inner_breaks_;
    i += length - 1;
  }
  scan_ = n;
  return std::string_view::npos;
}

SplitResult RecordSplitter::take(size_t length, RawRecord &out) {
  std::string_view pending = buffer_.pending();
  out.offset = buffer_.offset();
  out.line = line_;
  out.unterminated_quote = false;
  out.bytes = pending.substr(0, length);
  buffer_.consume(length + break_length_);
  line_ += 1 + inner_breaks_;
  reset_scan();
  if (out.bytes.size() > max_record_bytes_) {
    too_long_prefix_.assign(out.bytes.substr(0, kTooLongPrefix));
    out.bytes = too_long_prefix_;
    return SplitResult::kTooLong;
  }
  return SplitResult::kRecord;
}

SplitResult RecordSplitter::resync_unterminated(std::string_view prefix, uint64_t record_offset,
                                                RawRecord &out) {
  const uint64_t first_length = first_break_at_ - record_offset;
  const uint64_t resume = first_break_end_;
  out.offset = record_offset;
  out.line = line_;
  out.unterminated_quote = true;
  line_ += 1;
  if (first_length > max_record_bytes_) {
    too_long_prefix_.assign(prefix.substr(0, std::min<uint64_t>(first_length, kTooLongPrefix)));
    buffer_.reset(source_, resume);
    reset_scan();
    out.bytes = too_long_prefix_;
    return SplitResult::kTooLong;
  }
  // Re-read the first line (it may already have left the buffer) and hand
  // it out as the row; the bytes after it are framed afresh.
  buffer_.reset(source_, record_offset);
  while (buffer_.pending().size() < resume - record_offset && buffer_.refill()) {
  }
  out.bytes = buffer_.pending().substr(0, static_cast<size_t>(first_length));
  buffer_.consume(std::min<size_t>(buffer_.pending().size(), resume - record_offset));
  reset_scan();
  return SplitResult::kRecord;
}

// The record at the front is longer than the limit and not yet complete:
// keep its prefix, then discard bytes until its end.
SplitResult RecordSplitter::skip_too_long(RawRecord &out) {
  const uint64_t record_offset = buffer_.offset();
  out.offset = record_offset;
  out.line = line_;
  out.unterminated_quote = false;
  too_long_prefix_.clear();
  for (;;) {
    std::string_view pending = buffer_.pending();
    size_t end = find_end(pending);
    size_t room = kTooLongPrefix - std::min(kTooLongPrefix, too_long_prefix_.size());
    size_t scanned = end != std::string_view::npos ? end : scan_;
    too_long_prefix_.append(pending.substr(0, std::min(room, scanned)));
    if (end != std::string_view::npos) {
      buffer_.consume(end + break_length_);
      break;
    }
    buffer_.consume(scan_);  // a trailing CR stays until its next byte is known
    scan_ = 0;
    if (!buffer_.refill()) {
      if (in_quotes_ && first_break_at_ != kNone) {
        std::string prefix = std::move(too_long_prefix_);
        return resync_unterminated(prefix, record_offset, out);
      }
      if (!buffer_.pending().empty()) continue;  // a final lone CR
      break;
    }
  }
  line_ += 1 + inner_breaks_;
  reset_scan();
  out.bytes = too_long_prefix_;
  return SplitResult::kTooLong;
}

SplitResult RecordSplitter::next(RawRecord &out) {
  for (;;) {
    std::string_view pending = buffer_.pending();
    size_t end = find_end(pending);
    if (end != std::string_view::npos) return take(end, out);
    // scan_ is the record's length so far (a CR waiting for its next byte
    // is not counted), so a record of exactly the limit is not too long.
    if (scan_ > max_record_bytes_) return skip_too_long(out);
    if (!buffer_.refill()) {
      pending = buffer_.pending();
      if (pending.empty()) return SplitResult::kEnd;
      end = find_end(pending);  // at end of stream a final CR is a break
      if (end != std::string_view::npos) return take(end, out);
      if (in_quotes_ && first_break_at_ != kNone) {
        return resync_unterminated(pending, buffer_.offset(), out);
      }
      const bool open_quote = in_quotes_;
      break_length_ = 0;
      SplitResult r = take(pending.size(), out);
      out.unterminated_quote = open_quote;
      return r;
    }
  }
}

}  // namespace halo::plugins
