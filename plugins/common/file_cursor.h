// file_cursor.h -- the resumable position of a file source: for every file
// it has read from, where the next record starts, plus a fingerprint of
// every byte read so far, which notices a file being replaced or edited.
//
// Text form (opaque to the kernel, stable across versions of this plugin):
//   halo-file-cursor v3\n
//   <offset>|<next_position>|<fingerprint_len>|<fingerprint_hex>|<ctime_ns>|<tail_hex>|<path>\n ...
// The fingerprint is XXH3-64 of the file's first fingerprint_len bytes,
// which are bytes read (fingerprint_len <= offset; equal once a file is
// fully read); tail_hex is XXH3-64 of the last min(fingerprint_len, 4096) of
// them (empty: not known), which a resume checks first (a cheap read)
// before the whole fingerprint. ctime_ns is the file's status-change time (st_ctime) when it
// was opened, 0 = unknown. Unlike the modification time, no tool can set
// ctime back (touch -r, cp -p, rsync -t set mtime only), so an unchanged
// (size, ctime) means an untouched file. v2 cursors (no tail) and v1
// cursors (no ctime, a fingerprint of at most the first 4 KiB) are still
// read.
// `path` is percent-escaped for '%', '|' and newlines, so any file name
// round-trips. `next_position` is the 1-based line (or array element) of the
// next record.
//
// Invariants: decode(encode(x)) == x; decode rejects anything else with a
// message, never guesses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins {

// XXH3-64 of a file's first `length` bytes, and of the last
// min(length, kTailBytes) of them (nullopt: a cursor older than v3).
struct FileFingerprint {
  uint64_t length = 0;
  uint64_t hash = 0;
  std::optional<uint64_t> tail;
  bool operator==(const FileFingerprint &) const = default;
};

inline constexpr uint64_t kFingerprintBytes = 4096;  // v1 cursors' fingerprint length
inline constexpr uint64_t kTailBytes = 4096;

// XXH3-64 of the min(length, kTailBytes) bytes before byte `length` of the
// file; nullopt when the file is shorter than `length`. Throws IoError.
std::optional<uint64_t> tail_hash(const std::string &path, uint64_t length);

// Fingerprint of the first min(size, kFingerprintBytes) bytes; throws IoError.
FileFingerprint fingerprint_file(const std::string &path);
// True when the file's first fp.length bytes still hash to fp.hash (so an
// appended file still matches, a replaced one does not). Reads fp.length
// bytes; throws IoError.
bool fingerprint_matches(const std::string &path, const FileFingerprint &fp);

// XXH3-64 of a growing prefix of one file, extended as reading goes on, so
// the bytes already read are hashed once more at most.
class PrefixHasher {
 public:
  PrefixHasher();
  ~PrefixHasher();
  PrefixHasher(const PrefixHasher &) = delete;
  PrefixHasher &operator=(const PrefixHasher &) = delete;
  // Starts hashing `path` from byte 0.
  void begin(const std::string &path);
  const std::string &path() const { return path_; }
  uint64_t hashed() const { return hashed_; }
  // Hashes up to byte `length`; false when the file is shorter. Throws
  // IoError.
  bool advance(uint64_t length);
  uint64_t digest() const;

 private:
  std::string path_;
  uint64_t hashed_ = 0;
  void *state_;  // XXH3_state_t, kept out of this header
};

struct FilePosition {
  std::string path;
  FileFingerprint fingerprint;
  uint64_t offset = 0;         // byte offset of the next record
  uint64_t next_position = 1;  // its 1-based line / element number
  int64_t ctime_ns = 0;        // st_ctime when opened (ns); 0 = unknown
  bool operator==(const FilePosition &) const = default;
};

std::string encode_cursor(const std::vector<FilePosition> &files);
// Returns false with `error` when `text` is not a cursor of this format.
bool decode_cursor(std::string_view text, std::vector<FilePosition> &files, std::string &error);

// Cursor lines separate fields with '|': paths are stored with '%', '|',
// CR and LF percent-escaped, so any file name round-trips.
void append_escaped_path(std::string &out, std::string_view path);
bool unescape_path(std::string_view in, std::string &out);  // false when malformed

}  // namespace halo::plugins
