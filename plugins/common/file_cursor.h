// file_cursor.h -- the resumable position of a file source: for every file
// it has read from, where the next record starts, plus a fingerprint that
// notices a file being replaced.
//
// Text form (opaque to the kernel, stable across versions of this plugin):
//   halo-file-cursor v1\n
//   <offset>|<next_position>|<fingerprint_len>|<fingerprint_hex>|<path>\n ...
// `path` is percent-escaped for '%', '|' and newlines, so any file name
// round-trips. `next_position` is the 1-based line (or array element) of the
// next record.
//
// Invariants: decode(encode(x)) == x; decode rejects anything else with a
// message, never guesses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins {

// XXH3-64 of a file's first `length` bytes (length <= kFingerprintBytes).
struct FileFingerprint {
  uint64_t length = 0;
  uint64_t hash = 0;
  bool operator==(const FileFingerprint &) const = default;
};

inline constexpr uint64_t kFingerprintBytes = 4096;

// Fingerprint of the first min(size, kFingerprintBytes) bytes; throws IoError.
FileFingerprint fingerprint_file(const std::string &path);
// True when the file's first fp.length bytes still hash to fp.hash (so an
// appended file still matches, a replaced one does not).
bool fingerprint_matches(const std::string &path, const FileFingerprint &fp);

struct FilePosition {
  std::string path;
  FileFingerprint fingerprint;
  uint64_t offset = 0;         // byte offset of the next record
  uint64_t next_position = 1;  // its 1-based line / element number
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
