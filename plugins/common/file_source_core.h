// file_source_core.h -- the format-independent part of a file source: the
// list of files, which one is open, where each file stands, the cursor, and
// the batch loop that stops at max_records.
//
// Invariants:
//  - Files are read in sorted order; a file's position is recorded after
//    every record, so cursor() always names the record boundary after the
//    last record handed to the sink.
//  - A file's fingerprint covers every byte read from it (XXH3-64 of its
//    first `offset` bytes) once it is read to its end. On resume, a file
//    whose read bytes are all unchanged continues at its recorded offset
//    (a fully read file yields nothing new unless it grew); any other file
//    - replaced, truncated, or edited anywhere in the part already read -
//    is read again from the start (content message ids make the unchanged
//    records duplicates). A file fully read whose size and status-change
//    time (ctime) are unchanged is not re-hashed.
//  - The check of a grown file is two-step, so that its new records do not
//    wait for a re-hash of everything read before: the last 4 KiB read
//    before are checked at once (a mismatch: from the top at once), the
//    whole part read before when the file has been read to its end. If
//    only that finds a change (an edit that kept the length of what came
//    before the last 4 KiB), the file is read again from the top after its
//    new records: they are then duplicates, nothing is lost or doubled.
//    Until then, cursor() keeps the old fingerprint, so a resume from it
//    checks the same prefix again.
//  - A file that cannot be opened stops the source with an InputError
//    naming it (a missing input is an error), unless the source is
//    optional: then it is reported once as an UNREADABLE dead letter and
//    the source continues with the next file.
#pragma once

#include "common/file_cursor.h"
#include "common/record_splitter.h"

#include <halo/plugin.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins {

// Where a source's output goes: the SDK Sink in the plugin, a recorder in
// tests.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void origin(const std::string &path) = 0;
  virtual void record(std::string_view json, uint64_t position) = 0;
  virtual void error(halo_reason reason, const std::string &message, std::string_view raw,
                     uint64_t position) = 0;
  virtual void end_of_data() = 0;
};

// Counts what reaches an inner sink, so a batch can stop at max_records.
class CountingSink : public RecordSink {
 public:
  explicit CountingSink(RecordSink &inner) : inner_(inner) {}
  void origin(const std::string &path) override { inner_.origin(path); }
  void record(std::string_view json, uint64_t position) override {
    ++count;
    inner_.record(json, position);
  }
  void error(halo_reason reason, const std::string &message, std::string_view raw,
             uint64_t position) override {
    ++count;
    inner_.error(reason, message, raw, position);
  }
  void end_of_data() override { inner_.end_of_data(); }
  uint32_t count = 0;

 private:
  RecordSink &inner_;
};

// One step of a row-based reader: hands the next non-blank record of `rows`
// to emit_row, or reports it as larger than max_record_bytes; returns false
// at the end of the file.
bool step_rows(RecordSplitter &rows, const std::string &file_name, size_t max_record_bytes,
               RecordSink &sink, const std::function<void(const RawRecord &)> &emit_row);

// Reads the records of one file at a time.
class RecordFileReader {
 public:
  virtual ~RecordFileReader() = default;
  // Opens `path` to continue at `offset` / `next_position`; throws IoError.
  virtual void open(const std::string &path, uint64_t offset, uint64_t next_position) = 0;
  // Emits zero or one record/error (zero for skipped blank lines); returns
  // false when the file has no more records.
  virtual bool step(RecordSink &sink) = 0;
  virtual uint64_t next_offset() const = 0;
  virtual uint64_t next_position() const = 0;
  virtual void close() = 0;
};

// One reader step; an I/O error mid-file becomes an UNREADABLE dead letter
// and ends that file (returns false) instead of failing the batch.
bool step_or_report(RecordFileReader &reader, RecordSink &sink);

// A listed input file cannot be opened (the message names it).
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class FileSourceCore {
 public:
  FileSourceCore(std::vector<std::string> files, std::unique_ptr<RecordFileReader> reader);

  // Returns false with `error` for a cursor this source cannot read.
  bool restore(std::string_view cursor, std::string &error);
  // Emits at most max_records records + errors; calls end_of_data() once
  // every file is consumed.
  void next_batch(RecordSink &sink, uint32_t max_records);
  std::string_view cursor();
  bool finished() const { return finished_; }
  // Starts a new pass over `files` (listed again) after end of data: files
  // read before continue at their positions, changed ones from the top.
  void rescan(std::vector<std::string> files);
  // optional: true turns an unopenable file into a dead letter instead of
  // an InputError.
  void set_optional(bool optional) { optional_ = optional; }

 private:
  bool open_next(RecordSink &sink);
  FilePosition &position_of(const std::string &path);
  // How a file read before goes on: at its offset (its read bytes are all
  // there), at its offset with the read bytes checked at the file's end
  // (the bytes before the offset are there; the rest is checked later), or
  // from the top.
  enum class Resume { kOn, kOnThenVerify, kFromTop };
  Resume resume(FilePosition &pos, uint64_t size, int64_t ctime_ns);
  // Extends `pos`'s fingerprint to cover everything read (up to its offset),
  // unless the prefix read before is still to be verified.
  void seal(FilePosition &pos);
  // Makes `pos` read its file again from the first byte.
  void read_from_top(FilePosition &pos);
  // At the end of the open file: verifies the prefix read before if that
  // is pending, then seals. False when that prefix changed: the position
  // is back at the top of the file, to be opened again.
  bool finish_file(FilePosition &pos);

  std::vector<std::string> files_;
  std::unique_ptr<RecordFileReader> reader_;
  std::vector<FilePosition> positions_;
  size_t next_file_ = 0;
  FilePosition *current_ = nullptr;  // points into positions_ while a file is open
  bool finished_ = false;
  bool optional_ = false;
  PrefixHasher hasher_;     // the open (or last verified) file's read prefix
  bool verifying_ = false;  // the open file's fingerprint is checked at its end
  std::string cursor_text_;
};

}  // namespace halo::plugins
