// csv_reader_fuzz.cpp -- libFuzzer target for file-csv's reader: framing,
// RFC 4180 row parsing, header binding, mapping and content ids, with small
// limits (max_record_bytes, max_fields) so they are hit.
// Input: byte 0 picks header on/off, the delimiter and the block size; the
// rest is the file. Invariants checked:
//  - The reader ends after a bounded number of steps and its end offset is
//    the input size.
//  - Every non-blank row after the header becomes exactly one record or one
//    dead letter (counted independently by a second splitter): nothing is
//    lost and nothing is emitted twice. A header that cannot be read is one
//    dead letter for the whole file.
//  - Records are JSON objects (RFC 8259 syntax; numbers of any size, as
//    Halo keeps their text) starting with a 32-hex content id.
//  - Dead letters have a known reason, a message, raw bytes that are input
//    bytes (<= 1 KiB for TOO_LARGE, <= max_record_bytes otherwise), and a
//    line number inside the file.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/json_text.h"
#include "csv_reader.h"
#include "json_syntax.h"

namespace {

using namespace halo::plugins;

// Aborts naming the broken invariant's line, so a crash report says which.
void check_at(bool ok, int line) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken at %s:%d\n", __FILE__, line);
  std::abort();
}
#define check(ok) check_at((ok), __LINE__)

const RecordMapping &mapping() {
  static const RecordMapping m = [] {
    FieldSpec amount;
    amount.from = "amount";
    amount.as = ValueType::kNumber;
    return RecordMapping::compile({{"type", parse_spec_string("=identify")},
                                   {"userId", parse_spec_string("id")},
                                   {"traits.n", parse_spec_string("1")},
                                   {"traits.amount", amount}});
  }();
  return m;
}

class CheckingSink : public RecordSink {
 public:
  CheckingSink(const std::string &input, size_t max_bytes, uint64_t lines)
      : input_(input), max_bytes_(max_bytes), lines_(lines) {}
  void origin(const std::string &) override {}
  void record(std::string_view json, uint64_t position) override {
    check(halo::fuzz::is_json_text(json));
    check(json.substr(0, 14) == "{\"messageId\":\"" && json.size() > 47 && json[46] == '"');
    check(position >= 1 && position <= lines_);
    ++emitted;
  }
  void error(halo_reason reason, const std::string &message, std::string_view raw,
             uint64_t position) override {
    check(reason >= HALO_REASON_MALFORMED && reason <= HALO_REASON_INVALID);
    check(!message.empty());
    check(raw.size() <= (reason == HALO_REASON_TOO_LARGE ? kTooLongPrefix : max_bytes_));
    check(raw.empty() || input_.find(raw) != std::string::npos);
    check(position <= lines_);
    ++emitted;
    if (position == 1 && raw.empty()) ++header_errors;
  }
  void end_of_data() override {}
  size_t emitted = 0, header_errors = 0;

 private:
  const std::string &input_;
  size_t max_bytes_;
  uint64_t lines_;
};

// Non-blank rows after the header, counted with another block size.
size_t count_rows(const std::string &input, size_t max_bytes, bool header) {
  MemoryByteSource source(input);
  RecordSplitter rows(Framing::kCsvRows, 1 << 16, max_bytes);
  rows.start(&source, 0, 1);
  RawRecord r;
  size_t n = 0;
  for (SplitResult s; (s = rows.next(r)) != SplitResult::kEnd;) {
    if (s == SplitResult::kTooLong || !r.bytes.empty()) ++n;
  }
  return header && n > 0 ? n - 1 : n;
}

uint64_t physical_lines(const std::string &s) {
  uint64_t lines = 1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))) ++lines;
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  const std::string input(reinterpret_cast<const char *>(data) + 1, size - 1);
  static const char *const kDelimiters[] = {",", ";", "\t", "\xD8\x8C"};  // last: Arabic comma
  CsvReaderOptions options;
  options.header = (flags & 1) == 0;
  options.delimiter = kDelimiters[(flags >> 1) & 3];
  options.block_size = 1 + ((flags >> 3) & 7) * 9;
  options.max_record_bytes = 256;
  options.max_fields = 16;
  options.mapping = &mapping();
  CsvFileReader reader(options);
  reader.open_stream(std::make_unique<MemoryByteSource>(input), "fuzz.csv", 0, 1);
  CheckingSink sink(input, options.max_record_bytes, physical_lines(input));
  size_t steps = 0;
  while (reader.step(sink)) check(++steps <= input.size() + 2);
  if (sink.header_errors > 0) {
    check(sink.emitted == 1);  // an unreadable header skips the file, once
    return 0;
  }
  check(reader.next_offset() == input.size());
  check(sink.emitted == count_rows(input, options.max_record_bytes, options.header));
  return 0;
}
