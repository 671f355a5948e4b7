// record_splitter.cpp -- newline / CSV-row framing over a BlockBuffer.
#include "common/record_splitter.h"

#include <algorithm>
#include <cstring>

namespace halo::plugins {

RecordSplitter::RecordSplitter(Framing framing, size_t block_size, size_t max_record_bytes)
    : framing_(framing),
      max_record_bytes_(max_record_bytes),
      buffer_(block_size, block_size + max_record_bytes) {}

void RecordSplitter::start(ByteSource *source, uint64_t offset, uint64_t line) {
  buffer_.reset(source, offset);
  line_ = line;
  scan_ = 0;
  in_quotes_ = false;
  inner_newlines_ = 0;
  if (offset == 0) skip_bom();
}

void RecordSplitter::skip_bom() {
  while (buffer_.pending().size() < 3 && buffer_.refill()) {
  }
  if (buffer_.pending().substr(0, 3) == "\xEF\xBB\xBF") buffer_.consume(3);
}

size_t RecordSplitter::find_end(std::string_view pending) {
  const char *base = pending.data();
  while (scan_ < pending.size()) {
    const void *hit = std::memchr(base + scan_, '\n', pending.size() - scan_);
    size_t newline =
        hit ? static_cast<size_t>(static_cast<const char *>(hit) - base) : pending.size();
    if (framing_ == Framing::kCsvRows) {
      // An odd number of quotes before the newline flips "inside quotes";
      // doubled quotes ("") flip twice, so parity is all that matters.
      size_t quotes = static_cast<size_t>(std::count(base + scan_, base + newline, '"'));
      if (quotes % 2 == 1) in_quotes_ = !in_quotes_;
    }
    if (hit == nullptr) {
      scan_ = pending.size();
      return std::string_view::npos;
    }
    scan_ = newline + 1;
    if (!in_quotes_) return newline;
    ++inner_newlines_;
  }
  return std::string_view::npos;
}

SplitResult RecordSplitter::take(size_t length, bool has_newline, RawRecord &out) {
  std::string_view pending = buffer_.pending();
  out.offset = buffer_.offset();
  out.line = line_;
  out.unterminated_quote = framing_ == Framing::kCsvRows && in_quotes_;
  std::string_view bytes = pending.substr(0, length);
  if (!bytes.empty() && bytes.back() == '\r' && !out.unterminated_quote) bytes.remove_suffix(1);
  out.bytes = bytes;
  buffer_.consume(length + (has_newline ? 1 : 0));
  line_ += 1 + inner_newlines_;
  scan_ = 0;
  in_quotes_ = false;
  inner_newlines_ = 0;
  if (bytes.size() > max_record_bytes_) {
    too_long_prefix_.assign(bytes.substr(0, kTooLongPrefix));
    out.bytes = too_long_prefix_;
    return SplitResult::kTooLong;
  }
  return SplitResult::kRecord;
}

// The record at the front is longer than the limit and not yet complete:
// keep its prefix, then discard bytes until its end.
SplitResult RecordSplitter::skip_too_long(RawRecord &out) {
  out.offset = buffer_.offset();
  out.line = line_;
  out.unterminated_quote = false;
  too_long_prefix_.clear();
  for (;;) {
    std::string_view pending = buffer_.pending();
    size_t end = find_end(pending);
    size_t room = kTooLongPrefix - std::min(kTooLongPrefix, too_long_prefix_.size());
    too_long_prefix_.append(pending.substr(0, std::min(room, end)));
    if (end != std::string_view::npos) {
      buffer_.consume(end + 1);
      break;
    }
    buffer_.consume(buffer_.pending().size());
    scan_ = 0;
    if (!buffer_.refill()) break;
  }
  line_ += 1 + inner_newlines_;
  scan_ = 0;
  in_quotes_ = false;
  inner_newlines_ = 0;
  out.bytes = too_long_prefix_;
  return SplitResult::kTooLong;
}

SplitResult RecordSplitter::next(RawRecord &out) {
  for (;;) {
    std::string_view pending = buffer_.pending();
    size_t end = find_end(pending);
    if (end != std::string_view::npos) return take(end, true, out);
    if (pending.size() > max_record_bytes_) return skip_too_long(out);
    if (!buffer_.refill()) {
      if (buffer_.pending().empty()) return SplitResult::kEnd;
      return take(buffer_.pending().size(), false, out);
    }
  }
}

}  // namespace halo::plugins
