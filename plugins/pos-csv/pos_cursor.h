// pos_cursor.h -- the pos-csv cursor: which till files were imported
// (content fingerprints, bounded) and where the file being read stands.
//
// Text form (opaque to the kernel):
//   halo-pos-csv-cursor v1\n
//   P|<size>|<sha256 hex>|<ctime ns>|<path>\n        one per processed file
//   C|<size>|<sha256 hex>|<offset>|<next line>|<path>\n   at most one
// `path` is percent-escaped for '%', '|', CR and LF.
//
// Invariants:
//  - decode(encode(x)) == x; decode rejects anything else with a message.
//  - A file's identity is its content: (size, SHA-256). The path and the
//    status-change time (st_ctime) are kept only to skip re-hashing
//    unchanged files and for messages. ctime, not mtime: tools that replace
//    a file can restore its mtime (cp -p, rsync -t, touch -r) but not its
//    ctime, so a replaced file is always re-hashed. (Cursors from before
//    held mtime there; a mismatch only costs one re-hash.)
//  - At most `capacity` processed files are kept, oldest dropped first.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace halo::plugins {

struct FileKey {
  uint64_t size = 0;
  std::string sha256;  // 64 lower-case hex digits
  bool operator==(const FileKey &) const = default;
};

struct ProcessedFile {
  FileKey key;
  int64_t ctime_ns = 0;
  std::string path;
  bool operator==(const ProcessedFile &) const = default;
};

struct InProgressFile {
  FileKey key;
  uint64_t offset = 0;     // decoded-stream offset of the next row
  uint64_t next_line = 1;  // its 1-based line
  std::string path;
  bool operator==(const InProgressFile &) const = default;
};

class ProcessedSet {
 public:
  explicit ProcessedSet(size_t capacity = 10000) : capacity_(capacity) {}
  void add(ProcessedFile file);
  bool contains(const FileKey &key) const;
  // The entry for this path whose size and ctime still match, if any.
  const ProcessedFile *unchanged(const std::string &path, uint64_t size, int64_t ctime_ns) const;
  const std::deque<ProcessedFile> &files() const { return files_; }
  size_t capacity() const { return capacity_; }

 private:
  static std::string key_text(const FileKey &key);
  size_t capacity_;
  std::deque<ProcessedFile> files_;  // oldest first
  std::unordered_set<std::string> keys_;
};

struct PosCursor {
  ProcessedSet processed;
  std::optional<InProgressFile> current;
};

std::string encode_processed(const ProcessedSet &set);
std::string encode_in_progress(const InProgressFile &file);
inline std::string encode_pos_cursor(const PosCursor &c) {
  return encode_processed(c.processed) + (c.current ? encode_in_progress(*c.current) : "");
}
bool decode_pos_cursor(std::string_view text, PosCursor &out, std::string &error);

}  // namespace halo::plugins
