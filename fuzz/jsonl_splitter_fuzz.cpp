// jsonl_splitter_fuzz.cpp -- libFuzzer target for the record splitter (JSON
// Lines and CSV-row framing) and the JSON array splitter.
// Input: byte 0 picks the block size and max_record_bytes, the rest is the
// stream. Invariants checked:
//  - Record splitter: every record is the exact input bytes at its offset;
//    between two records lies exactly one line break (LF, CRLF or CR), so
//    every input byte is in a record or a break (a TOO_LARGE record is its
//    first <= 1 KiB); records never exceed max_record_bytes; a record's line
//    is 1 + the line breaks before it; the end offset is the input size; a
//    tiny and a large block size frame the stream identically; resuming at
//    any returned boundary yields the same remaining records.
//  - Array splitter: each element is the input bytes at its offset, within
//    the limit; indexes count up by one; resuming at a returned boundary
//    yields the same remaining elements; the number of calls is bounded.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_array_splitter.h"
#include "common/record_splitter.h"

namespace {

using namespace halo::plugins;

struct Framed {
  std::string bytes;
  uint64_t line, offset;
  bool too_long, unterminated;
  uint64_t next_offset, next_line;
  bool operator==(const Framed &) const = default;
};

// Aborts naming the broken invariant's line, so a crash report says which.
void check_at(bool ok, int line) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken at %s:%d\n", __FILE__, line);
  std::abort();
}
#define check(ok) check_at((ok), __LINE__)

std::vector<Framed> frame(Framing framing, const std::string &input, size_t block, size_t max,
                          uint64_t offset = 0, uint64_t line = 1) {
  MemoryByteSource source(input);
  RecordSplitter splitter(framing, block, max);
  splitter.start(&source, offset, line);
  std::vector<Framed> out;
  RawRecord r;
  for (SplitResult s; (s = splitter.next(r)) != SplitResult::kEnd;) {
    out.push_back({std::string(r.bytes), r.line, r.offset, s == SplitResult::kTooLong,
                   r.unterminated_quote, splitter.next_offset(), splitter.next_line()});
    check(out.size() <= input.size() + 1);
  }
  check(splitter.next_offset() == input.size());
  return out;
}

// Length of the line break at `at`, 0 when there is none.
size_t break_at(const std::string &s, size_t at) {
  if (at >= s.size()) return 0;
  if (s[at] == '\n') return 1;
  if (s[at] == '\r') return at + 1 < s.size() && s[at + 1] == '\n' ? 2 : 1;
  return 0;
}

uint64_t line_of(const std::string &s, size_t offset) {
  uint64_t line = 1;
  for (size_t i = 0; i < offset;) {
    size_t b = break_at(s, i);
    line += b > 0 ? 1 : 0;
    i += b > 0 ? b : 1;
  }
  return line;
}

void check_records(Framing framing, const std::string &input, size_t max) {
  auto small = frame(framing, input, 1 + input.size() % 7, max);
  auto large = frame(framing, input, 1 << 16, max);
  check(small == large);
  size_t expected = input.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  for (size_t i = 0; i < large.size(); ++i) {
    const Framed &f = large[i];
    if (!f.too_long) {
      check(f.offset == expected);
      check(input.compare(f.offset, f.bytes.size(), f.bytes) == 0);
      check(f.bytes.size() <= max);
      size_t end = f.offset + f.bytes.size();
      size_t b = break_at(input, end);
      check(f.next_offset == end + b);
      if (b == 0) check(end == input.size());
    } else {
      check(f.bytes.size() <= kTooLongPrefix);
      check(input.compare(f.offset, f.bytes.size(), f.bytes) == 0);
      check(f.offset == expected);
      check(f.next_offset > f.offset);
    }
    check(f.line == line_of(input, f.offset));
    expected = f.next_offset;
    if (framing == Framing::kLines && !f.too_long) {
      for (char c : f.bytes) check(c != '\n' && c != '\r');
    }
  }
  check(expected == input.size() || large.empty());
  if (!large.empty()) {
    size_t k = large.size() / 2;
    auto rest = frame(framing, input, 3, max, large[k].next_offset, large[k].next_line);
    check(rest.size() == large.size() - k - 1);
    for (size_t i = 0; i < rest.size(); ++i) check(rest[i] == large[k + 1 + i]);
  }
}

struct Element {
  ArrayResult result;
  std::string bytes;
  uint64_t index, offset, next_offset, next_index;
  bool operator==(const Element &) const = default;
};

std::vector<Element> elements(const std::string &input, size_t block, size_t max,
                              uint64_t offset = 0, uint64_t index = 1) {
  MemoryByteSource source(input);
  JsonArraySplitter splitter(block, max);
  splitter.start(&source, offset, index);
  std::vector<Element> out;
  ArrayElement e;
  for (;;) {
    ArrayResult r = splitter.next(e);
    if (r == ArrayResult::kEnd) break;
    out.push_back({r, std::string(e.bytes), e.index, e.offset, splitter.next_offset(),
                   splitter.next_index()});
    check(out.size() <= input.size() + 2);
    if (r == ArrayResult::kMalformed) break;
  }
  return out;
}

void check_array(const std::string &input, size_t max) {
  auto all = elements(input, 1 << 16, max);
  auto small = elements(input, 1 + input.size() % 5, max);
  check(all.size() == small.size());
  uint64_t index = 1;
  for (size_t i = 0; i < all.size(); ++i) {
    const Element &e = all[i];
    check(e.result == small[i].result && e.bytes == small[i].bytes && e.index == small[i].index);
    if (e.result == ArrayResult::kMalformed) continue;
    check(e.index == index++);
    check(e.next_offset <= input.size());
    if (e.result == ArrayResult::kElement) {
      check(e.bytes.size() <= max);
      check(input.compare(e.offset, e.bytes.size(), e.bytes) == 0);
    } else {
      check(e.bytes.size() <= kTooLongPrefix);
    }
  }
  if (all.size() >= 2 && all[0].result != ArrayResult::kMalformed) {
    auto rest = elements(input, 7, max, all[0].next_offset, all[0].next_index);
    check(rest.size() == all.size() - 1);
    for (size_t i = 0; i < rest.size(); ++i) {
      check(rest[i].result == all[i + 1].result && rest[i].bytes == all[i + 1].bytes);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  const size_t max = 16 + (data[0] & 0x3F) * 8;  // small limits so they are hit
  const std::string input(reinterpret_cast<const char *>(data) + 1, size - 1);
  check_records(Framing::kLines, input, max);
  check_records(Framing::kCsvRows, input, max);
  check_array(input, max);
  return 0;
}
