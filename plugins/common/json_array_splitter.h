// json_array_splitter.h -- splits a file holding one JSON array of records
// (e.g. a WooCommerce REST export) into its elements without parsing them.
//
// Invariants:
//  - Elements are found by a byte scanner that tracks strings, escapes and
//    bracket depth; an element ends at a ',' or ']' at depth 0. Elements are
//    not validated here (the mapper or the kernel parses them).
//  - next_offset() is always just after the last returned element (or 0
//    before the first), and next_index() the 1-based index of the next one;
//    start() with those two resumes exactly there.
//  - Elements longer than max_record_bytes come back as TooLong with their
//    first kTooLongPrefix bytes; the scan continues after them.
//  - Structural problems (no '[', missing ',', unterminated array, trailing
//    content) come back as Malformed with a message; the file ends there.
#pragma once

#include "common/block_buffer.h"
#include "common/record_splitter.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace halo::plugins {

enum class ArrayResult { kElement, kTooLong, kMalformed, kEnd };

struct ArrayElement {
  std::string_view bytes;  // the element, whitespace trimmed
  uint64_t index = 0;      // 1-based element index
  uint64_t offset = 0;     // stream offset of its first byte
  std::string message;     // for kMalformed
};

class JsonArraySplitter {
 public:
  JsonArraySplitter(size_t block_size, size_t max_record_bytes);

  void start(ByteSource *source, uint64_t offset, uint64_t next_index);
  ArrayResult next(ArrayElement &out);

  uint64_t next_offset() const { return resume_offset_; }
  uint64_t next_index() const { return index_; }

 private:
  enum class Phase { kBeforeArray, kExpectElement, kAfterElement, kDone };

  // Returns the first non-whitespace byte, refilling as needed; 0 at end.
  char peek_token();
  ArrayResult scan_element(ArrayElement &out);
  ArrayResult malformed(ArrayElement &out, std::string message);
  ArrayResult finish(ArrayElement &out);

  size_t max_record_bytes_;
  BlockBuffer buffer_;
  Phase phase_ = Phase::kBeforeArray;
  uint64_t index_ = 1;
  uint64_t resume_offset_ = 0;
  std::string too_long_prefix_;
};

}  // namespace halo::plugins
