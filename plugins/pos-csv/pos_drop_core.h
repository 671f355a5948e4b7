// pos_drop_core.h -- the pos-csv source without the SDK: plans which files
// of the drop folder to import this run, reads them through a
// RecordFileReader, keeps the cursor, and moves imported files away once
// the kernel has committed them (when asked to).
//
// Invariants:
//  - Exactly once per content: a file whose (size, SHA-256) is in the
//    processed set is skipped, whatever its name; a file with new content
//    is read from the top (rows already imported are dropped by the
//    kernel's messageId dedup, see pos_csv_reader.h).
//  - The file interrupted mid-way in an earlier run (the cursor's in-progress
//    entry, matched by content) is resumed first, at its committed row.
//  - The cursor names the row boundary after the last record handed out;
//    a file enters the processed set only once its last row was handed out.
//  - Files are moved only from committed(), and only those completed in a
//    cursor the kernel has stored; never otherwise modified.
//  - The folder is scanned once per pass (at its first batch); a pass ends
//    with end_of_data after the planned files, and a call after that
//    (polling, `halo serve`) starts the next pass with a new scan.
#pragma once

#include "common/file_source_core.h"
#include "drop_folder.h"
#include "pos_cursor.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace halo::plugins {

struct PosDropOptions {
  DropFolderRules rules;
  std::string move_processed_to;  // empty: leave files in place
  size_t remember_files = 10000;
  std::function<int64_t()> now_ms;                // required: wall clock in ms
  std::function<void(const std::string &)> info;  // optional
  std::function<void(const std::string &)> warn;  // optional
};

class PosDropCore {
 public:
  PosDropCore(PosDropOptions options, std::unique_ptr<RecordFileReader> reader);

  // False with `error` for a cursor this source cannot read.
  bool restore(std::string_view cursor, std::string &error);
  void next_batch(RecordSink &sink, uint32_t max_records);
  std::string_view cursor();
  void committed();

  const PosCursor &state() const { return state_; }

 private:
  struct Planned {
    DropFile file;
    FileKey key;
    uint64_t offset = 0, line = 1;
  };
  struct Completed {
    std::string path;
    std::string sha256;
  };

  void plan(RecordSink &sink);
  void open_next(RecordSink &sink);
  void finish_current();
  void move_processed(const Completed &file);
  void log_info(const std::string &m) const;
  void log_warn(const std::string &m) const;

  PosDropOptions options_;
  std::unique_ptr<RecordFileReader> reader_;
  PosCursor state_;
  std::vector<Planned> queue_;
  size_t next_ = 0;
  bool planned_ = false, finished_ = false, reading_ = false;
  std::vector<Completed> completed_, awaiting_commit_;
  std::string processed_text_, cursor_text_;
  bool processed_dirty_ = true;
};

}  // namespace halo::plugins
