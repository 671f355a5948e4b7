// jsonl_reader.cpp -- JSON Lines / JSON array file reading (see header).
#include "jsonl_reader.h"

#include "common/file_set.h"
#include "common/json_string_state.h"
#include "common/json_text.h"

namespace halo::plugins {

std::optional<JsonFormat> parse_json_format(std::string_view name) {
  if (name == "auto") return JsonFormat::kAuto;
  if (name == "jsonl" || name == "ndjson") return JsonFormat::kLines;
  if (name == "json-array") return JsonFormat::kArray;
  return std::nullopt;
}

namespace {

// Byte scanner for is_json_array_file: depth of [ and {, string state.
struct ArrayScan {
  int64_t depth = 0;
  halo::plugins::JsonStringState string;
  bool opened = false, closed = false;
  bool trailing = false;  // non-space after the value closed

  // Returns false once the answer is known.
  bool feed(char c) {
    if (closed) {
      trailing = !is_space(c);
      return !trailing;
    }
    if (opened && string.consume(c)) return true;
    if (!opened) {
      if (is_space(c)) return true;
      opened = c == '[';
      depth = opened ? 1 : 0;
      return opened;
    }
    if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      closed = --depth == 0;
    }
    return true;
  }
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
};

}  // namespace

bool is_json_array_file(ByteSource &source) {
  char block[64 * 1024];
  ArrayScan scan;
  bool first = true;
  for (size_t n; (n = source.read(block, sizeof(block))) > 0;) {
    std::string_view s(block, n);
    if (first && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
    first = false;
    for (char c : s) {
      if (!scan.feed(c)) return false;
    }
  }
  return scan.closed && !scan.trailing;
}

JsonlFileReader::JsonlFileReader(const JsonlReaderOptions &options)
    : options_(options),
      lines_(Framing::kLines, options.block_size, options.max_record_bytes),
      elements_(options.block_size, options.max_record_bytes) {
  if (options_.mapping != nullptr) lookup_.emplace(options_.mapping->source_paths());
}

void JsonlFileReader::open(const std::string &path, uint64_t offset, uint64_t next_position) {
  source_ = std::make_unique<FileByteSource>(path);
  file_name_ = std::string(file_name_of(path));
  array_ = options_.format == JsonFormat::kArray;
  if (options_.format == JsonFormat::kAuto) {
    array_ = is_json_array_file(*source_);
  }
  if (array_) {
    elements_.start(source_.get(), offset, next_position);
  } else {
    lines_.start(source_.get(), offset, next_position);
  }
}

uint64_t JsonlFileReader::next_offset() const {
  return array_ ? elements_.next_offset() : lines_.next_offset();
}

uint64_t JsonlFileReader::next_position() const {
  return array_ ? elements_.next_index() : lines_.next_line();
}

bool JsonlFileReader::step(RecordSink &sink) {
  return array_ ? step_array(sink) : step_lines(sink);
}

std::string JsonlFileReader::too_large_message(const char *what, uint64_t position) const {
  return std::string(what) + " " + std::to_string(position) + " of " + file_name_ +
         " is larger than max_record_bytes (" + std::to_string(options_.max_record_bytes) +
         "); raise max_record_bytes or split the record";
}

bool JsonlFileReader::step_lines(RecordSink &sink) {
  RawRecord r;
  switch (lines_.next(r)) {
    case SplitResult::kEnd:
      return false;
    case SplitResult::kTooLong:
      sink.error(HALO_REASON_TOO_LARGE, too_large_message("line", r.line), r.bytes, r.line);
      return true;
    case SplitResult::kRecord:
      if (is_blank(r.bytes)) return true;
      if (trim_ascii(r.bytes).front() == '[') {
        sink.error(HALO_REASON_WRONG_SHAPE,
                   "line " + std::to_string(r.line) + " of " + file_name_ +
                       " is a JSON array; a JSON Lines record is one object per line (a file "
                       "holding nothing but one array is read as an array of records)",
                   r.bytes, r.line);
        return true;
      }
      emit(sink, r.bytes, r.line);
      return true;
  }
  return false;
}

bool JsonlFileReader::step_array(RecordSink &sink) {
  ArrayElement e;
  switch (elements_.next(e)) {
    case ArrayResult::kEnd:
      return false;
    case ArrayResult::kMalformed:
      sink.error(HALO_REASON_MALFORMED, e.message + " in " + file_name_, e.bytes, e.index);
      return false;
    case ArrayResult::kTooLong:
      sink.error(HALO_REASON_TOO_LARGE, too_large_message("element", e.index), e.bytes, e.index);
      return true;
    case ArrayResult::kElement:
      if (e.bytes.empty()) {
        sink.error(HALO_REASON_MALFORMED, "empty array element (two commas in a row)", e.bytes,
                   e.index);
      } else {
        emit(sink, e.bytes, e.index);
      }
      return true;
  }
  return false;
}

void JsonlFileReader::emit(RecordSink &sink, std::string_view bytes, uint64_t position) {
  if (options_.mapping == nullptr) {
    sink.record(bytes, position);
    return;
  }
  if (!lookup_->load(bytes, true, error_)) {
    sink.error(HALO_REASON_MALFORMED, error_, bytes, position);
    return;
  }
  std::string_view id;
  if (!options_.mapping->sets_message_id()) {
    ids_.begin();
    ids_.add(trim_ascii(bytes));
    id = ids_.finish();
  }
  if (!options_.mapping->apply(*lookup_, id, mapped_, error_)) {
    sink.error(HALO_REASON_INVALID, error_, bytes, position);
    return;
  }
  sink.record(mapped_, position);
}

}  // namespace halo::plugins
