// legacy_encoding.h -- decodes the single-byte code pages till software
// still writes (Windows-1256 for Persian/Arabic, Windows-1252 for Western
// European) into UTF-8, and a ByteSource that does it on the fly so the
// CSV framing and parsing only ever see UTF-8.
//
// Invariants:
//  - ASCII bytes pass through unchanged, so CSV framing (quotes, commas,
//    newlines) is identical before and after decoding.
//  - A byte the code page leaves undefined becomes kUndefinedByteMarker
//    (0xFF, never valid UTF-8): the row holding it fails UTF-8 validation
//    and is dead-lettered as BAD_ENCODING instead of being silently altered.
//  - DecodingByteSource offsets are offsets in the decoded (UTF-8) stream,
//    so cursors stay consistent across restarts for the same file.
#pragma once

#include "common/block_buffer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace halo::plugins {

enum class TextEncoding : uint8_t { kUtf8, kWindows1256, kWindows1252 };

inline constexpr char kUndefinedByteMarker = static_cast<char>(0xFF);

// "utf-8"/"utf8", "windows-1256"/"cp1256", "windows-1252"/"cp1252"
// (case-insensitive); nullopt otherwise.
std::optional<TextEncoding> parse_text_encoding(std::string_view name);
const char *encoding_name(TextEncoding encoding);

// Appends the UTF-8 form of `in` to `out` (a copy for kUtf8).
void decode_to_utf8(TextEncoding encoding, std::string_view in, std::string &out);

class DecodingByteSource : public ByteSource {
 public:
  DecodingByteSource(std::unique_ptr<ByteSource> inner, TextEncoding encoding);
  size_t read(char *dst, size_t n) override;
  void seek(uint64_t offset) override;

 private:
  static constexpr size_t kRawChunk = 64 * 1024;
  bool fill();

  std::unique_ptr<ByteSource> inner_;
  TextEncoding encoding_;
  std::string raw_;
  std::string decoded_;  // decoded bytes; [taken_, size) not yet read
  size_t taken_ = 0;
};

}  // namespace halo::plugins
