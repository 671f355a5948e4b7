// json_array_splitter.cpp -- element scanner for a top-level JSON array.
#include "common/json_array_splitter.h"

#include "common/json_string_state.h"

#include <algorithm>

namespace halo::plugins {

namespace {
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Scan state inside one element; survives refills.
struct ElementScan {
  size_t pos = 0;
  int depth = 0;
  JsonStringState string;

  // Advances over `bytes`; returns true when pos stops just after the
  // element: after its closing bracket, or at the ',' / ']' after a scalar.
  bool advance(std::string_view bytes) {
    for (; pos < bytes.size(); ++pos) {
      char c = bytes[pos];
      if (string.consume(c)) continue;
      if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return true;  // a scalar element followed by ']'
        if (--depth == 0) {           // an object/array element is complete
          ++pos;
          return true;
        }
      } else if (c == ',' && depth == 0) {
        return true;
      }
    }
    return false;
  }
};
}  // namespace

JsonArraySplitter::JsonArraySplitter(size_t block_size, size_t max_record_bytes)
    : max_record_bytes_(max_record_bytes), buffer_(block_size, block_size + max_record_bytes) {}

void JsonArraySplitter::start(ByteSource *source, uint64_t offset, uint64_t next_index) {
  buffer_.reset(source, offset);
  index_ = next_index == 0 ? 1 : next_index;
  resume_offset_ = offset;
  phase_ = offset == 0 ? Phase::kBeforeArray
                       : (index_ > 1 ? Phase::kAfterElement : Phase::kExpectElement);
  if (offset == 0) {
    while (buffer_.pending().size() < 3 && buffer_.refill()) {
    }
    if (buffer_.pending().substr(0, 3) == "\xEF\xBB\xBF") buffer_.consume(3);
  }
}

char JsonArraySplitter::peek_token() {
  for (;;) {
    std::string_view p = buffer_.pending();
    size_t i = 0;
    while (i < p.size() && is_space(p[i])) ++i;
    buffer_.consume(i);
    if (i < p.size()) return p[i];
    if (!buffer_.refill()) return 0;
  }
}

ArrayResult JsonArraySplitter::malformed(ArrayElement &out, std::string message) {
  // The raw bytes are the first 1 KiB from the problem on, whatever the
  // block size, so the dead letter shows the same text every time.
  while (buffer_.pending().size() < kTooLongPrefix && buffer_.refill()) {
  }
  out.bytes = buffer_.pending().substr(0, kTooLongPrefix);
  out.index = index_;
  out.offset = buffer_.offset();
  out.message = std::move(message);
  phase_ = Phase::kDone;
  return ArrayResult::kMalformed;
}

// After ']': only whitespace may follow.
ArrayResult JsonArraySplitter::finish(ArrayElement &out) {
  phase_ = Phase::kDone;
  if (peek_token() != 0) return malformed(out, "unexpected content after the closing ']'");
  // resume_offset_ stays before the ']', so a resumed reader ends cleanly.
  return ArrayResult::kEnd;
}

ArrayResult JsonArraySplitter::next(ArrayElement &out) {
  for (;;) {
    switch (phase_) {
      case Phase::kDone:
        return ArrayResult::kEnd;
      case Phase::kBeforeArray: {
        char c = peek_token();
        if (c == 0) return ArrayResult::kEnd;  // empty file
        if (c != '[') return malformed(out, "expected '[' at the start of a JSON array file");
        buffer_.consume(1);
        phase_ = Phase::kExpectElement;
        break;
      }
      case Phase::kAfterElement: {
        char c = peek_token();
        if (c == ']') {
          buffer_.consume(1);
          return finish(out);
        }
        if (c != ',') {
          return malformed(out, c == 0 ? "unexpected end of file: the JSON array is not closed"
                                       : "expected ',' or ']' after array element");
        }
        buffer_.consume(1);
        phase_ = Phase::kExpectElement;
        break;
      }
      case Phase::kExpectElement: {
        char c = peek_token();
        if (c == ']') {  // empty array (or a trailing comma, tolerated)
          buffer_.consume(1);
          return finish(out);
        }
        if (c == 0) return malformed(out, "unexpected end of file: the JSON array is not closed");
        return scan_element(out);
      }
    }
  }
}

// An element is too long when its bytes up to the next ',' or ']' (trailing
// whitespace included) exceed the limit; that is decidable without
// buffering more than max_record_bytes, whatever the block size. The
// dead letter keeps its first <= 1 KiB, trailing whitespace trimmed.
ArrayResult JsonArraySplitter::scan_element(ArrayElement &out) {
  ElementScan scan;
  bool too_long = false;
  const uint64_t element_offset = buffer_.offset();
  uint64_t content_end = element_offset;  // just after the last non-space byte seen
  for (;;) {
    std::string_view p = buffer_.pending();
    if (scan.advance(p)) break;
    if (!too_long && p.size() > max_record_bytes_) {
      too_long = true;
      too_long_prefix_.clear();
    }
    if (too_long) {  // keep only the prefix of the oversized element
      size_t room = kTooLongPrefix - std::min(kTooLongPrefix, too_long_prefix_.size());
      too_long_prefix_.append(p.substr(0, room));
      std::string_view content = trim_right(p);
      if (!content.empty()) content_end = buffer_.offset() + content.size();
      buffer_.consume(p.size());
      scan.pos = 0;
    }
    if (!buffer_.refill()) {
      return malformed(out,
                       "unexpected end of file: the JSON array is not closed (inside "
                       "element " +
                           std::to_string(index_) + ")");
    }
  }
  std::string_view element = trim_right(buffer_.pending().substr(0, scan.pos));
  if (!element.empty()) content_end = buffer_.offset() + element.size();
  out.index = index_++;
  out.offset = element_offset;
  const size_t span = scan.pos;
  buffer_.consume(scan.pos);  // leave the ',' or ']' for kAfterElement
  resume_offset_ = buffer_.offset();
  phase_ = Phase::kAfterElement;
  if (too_long || span > max_record_bytes_) {
    if (too_long) {
      size_t room = kTooLongPrefix - std::min(kTooLongPrefix, too_long_prefix_.size());
      too_long_prefix_.append(element.substr(0, room));
      too_long_prefix_.resize(
          std::min<uint64_t>(too_long_prefix_.size(), content_end - element_offset));
    } else {
      too_long_prefix_.assign(element.substr(0, kTooLongPrefix));
    }
    out.bytes = too_long_prefix_;
    return ArrayResult::kTooLong;
  }
  out.bytes = element;
  return ArrayResult::kElement;
}

}  // namespace halo::plugins
