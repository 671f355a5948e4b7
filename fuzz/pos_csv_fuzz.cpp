// pos_csv_fuzz.cpp -- libFuzzer target for the pos-csv reader: legacy
// encodings (Windows-1256/1252 -> UTF-8), CSV framing and parsing with
// small limits, Persian digits, Jalali dates and toman/rial amounts.
// Input: byte 0 picks the encoding and the block size, the rest is the till
// export. Invariants checked:
//  - The reader ends after a bounded number of steps.
//  - Every non-blank row after the header of the decoded text becomes
//    exactly one record or one dead letter (a header that cannot be read is
//    one dead letter for the file).
//  - Records are JSON (RFC 8259 syntax) with a "pos-" row id; a timestamp, when mapped,
//    is "YYYY-MM-DDTHH:MM:SSZ"; dead letters have a known reason, a
//    message, bounded raw bytes and a line inside the file.
//  - Jalali calendar: a Jalali date made from the input converts to a valid
//    Gregorian date, and the day after it converts to the day after that.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "common/json_text.h"
#include "jalali_calendar.h"
#include "json_syntax.h"
#include "legacy_encoding.h"
#include "pos_csv_reader.h"

namespace {

using namespace halo::plugins;

// Aborts naming the broken invariant's line, so a crash report says which.
void check_at(bool ok, int line) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken at %s:%d\n", __FILE__, line);
  std::abort();
}
#define check(ok) check_at((ok), __LINE__)

PosMapping &mapping() {
  static PosMapping m = [] {
    auto column = [](std::string target, std::string from) {
      PosTarget t;
      t.target = std::move(target);
      t.spec.from = std::move(from);
      return t;
    };
    std::vector<PosTarget> t = {column("type", ""), column("event", ""), column("userId", "کارت")};
    t[0].spec.from.clear();
    t[0].spec.literal = "track";
    t[1].spec.from.clear();
    t[1].spec.literal = "Order Completed";
    t.push_back(column("timestamp", "تاریخ"));
    t.back().date = DateSpec{Calendar::kJalali, "%Y/%m/%d %H:%M", 210};
    t.push_back(column("properties.revenue", "مبلغ"));
    t.back().money = MoneySpec{MoneyUnit::kToman, MoneyUnit::kRial, '.'};
    t.back().refund_sign = true;
    return PosMapping::compile(t, std::string("Order Refunded"));
  }();
  return m;
}

bool is_iso_utc(std::string_view s) {
  static const char kShape[] = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != sizeof(kShape) - 1) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool digit = s[i] >= '0' && s[i] <= '9';
    if (kShape[i] == 'd' ? !digit : s[i] != kShape[i]) return false;
  }
  return true;
}

class CheckingSink : public RecordSink {
 public:
  CheckingSink(size_t max_bytes, uint64_t lines) : max_bytes_(max_bytes), lines_(lines) {}
  void origin(const std::string &) override {}
  void record(std::string_view json, uint64_t position) override {
    check(halo::fuzz::is_json_text(json));
    check(json.find("\"messageId\":\"pos-") != std::string_view::npos);
    size_t ts = json.find("\"timestamp\":\"");
    if (ts != std::string_view::npos) check(is_iso_utc(json.substr(ts + 13, 20)));
    check(position >= 1 && position <= lines_);
    ++emitted;
  }
  void error(halo_reason reason, const std::string &message, std::string_view raw,
             uint64_t position) override {
    check(reason >= HALO_REASON_MALFORMED && reason <= HALO_REASON_INVALID);
    check(!message.empty());
    check(raw.size() <= (reason == HALO_REASON_TOO_LARGE ? kTooLongPrefix : max_bytes_));
    check(position <= lines_);
    if (position == 1 && raw.empty()) ++header_errors;
    ++emitted;
  }
  void end_of_data() override {}
  size_t emitted = 0, header_errors = 0;

 private:
  size_t max_bytes_;
  uint64_t lines_;
};

std::string decode_all(const std::string &input, TextEncoding encoding) {
  if (encoding == TextEncoding::kUtf8) return input;
  DecodingByteSource source(std::make_unique<MemoryByteSource>(input), encoding);
  std::string out;
  char block[4096];
  for (size_t n; (n = source.read(block, sizeof block)) > 0;) out.append(block, n);
  return out;
}

size_t rows_after_header(const std::string &text, size_t max_bytes) {
  MemoryByteSource source(text);
  RecordSplitter rows(Framing::kCsvRows, 1 << 16, max_bytes);
  rows.start(&source, 0, 1);
  RawRecord r;
  size_t n = 0;
  for (SplitResult s; (s = rows.next(r)) != SplitResult::kEnd;) {
    if (s == SplitResult::kTooLong || !r.bytes.empty()) ++n;
  }
  return n > 0 ? n - 1 : 0;
}

uint64_t physical_lines(const std::string &s) {
  uint64_t lines = 1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))) ++lines;
  }
  return lines;
}

void check_jalali(const uint8_t *data, size_t size) {
  if (size < 4) return;
  CivilDate j{1 + ((data[0] << 8 | data[1]) % 3000), 1 + data[2] % 12, 1 + data[3] % 31};
  CivilDate g, next_g;
  if (!jalali_to_gregorian(j, g)) {
    check(j.day > jalali_month_length(j.year, j.month));
    return;
  }
  check(is_valid_gregorian(g));
  CivilDate next = j;
  if (++next.day > jalali_month_length(next.year, next.month)) {
    next.day = 1;
    if (++next.month > 12) {
      next.month = 1;
      ++next.year;
    }
  }
  if (jalali_to_gregorian(next, next_g)) check(days_from_civil(next_g) == days_from_civil(g) + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  check_jalali(data, size);
  static const TextEncoding kEncodings[] = {TextEncoding::kUtf8, TextEncoding::kWindows1256,
                                            TextEncoding::kWindows1252, TextEncoding::kWindows1256};
  const TextEncoding encoding = kEncodings[data[0] & 3];
  const std::string input(reinterpret_cast<const char *>(data) + 1, size - 1);
  PosReaderOptions options;
  options.encoding = encoding;
  options.block_size = 1 + ((data[0] >> 2) & 7) * 11;
  options.max_record_bytes = 512;
  options.max_fields = 16;
  PosCsvReader reader(options, &mapping());
  reader.open_stream(std::make_unique<MemoryByteSource>(input), "till.csv", 0, 1);
  const std::string text = decode_all(input, encoding);
  CheckingSink sink(options.max_record_bytes, physical_lines(text));
  size_t steps = 0;
  while (reader.step(sink)) check(++steps <= text.size() + 2);
  if (sink.header_errors > 0) {
    check(sink.emitted == 1);
    return 0;
  }
  check(sink.emitted == rows_after_header(text, options.max_record_bytes));
  return 0;
}
