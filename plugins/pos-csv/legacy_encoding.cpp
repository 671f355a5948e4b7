// legacy_encoding.cpp -- table-driven single-byte decoders (tables
// checked against Python's cp1256/cp1252 codecs) and the decoding source.
#include "legacy_encoding.h"

#include <algorithm>
#include <cstring>

namespace halo::plugins {

namespace {

// Code points of bytes 0x80..0xFF; 0 = undefined in that code page.
constexpr uint16_t kWindows1256[128] = {
    0x20AC, 0x067E, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0679, 0x2039,
    0x0152, 0x0686, 0x0698, 0x0688, 0x06AF, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x06A9, 0x2122, 0x0691, 0x203A, 0x0153, 0x200C, 0x200D, 0x06BA, 0x00A0, 0x060C, 0x00A2, 0x00A3,
    0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x06BE, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x061B, 0x00BB,
    0x00BC, 0x00BD, 0x00BE, 0x061F, 0x06C1, 0x0621, 0x0622, 0x0623, 0x0624, 0x0625, 0x0626, 0x0627,
    0x0628, 0x0629, 0x062A, 0x062B, 0x062C, 0x062D, 0x062E, 0x062F, 0x0630, 0x0631, 0x0632, 0x0633,
    0x0634, 0x0635, 0x0636, 0x00D7, 0x0637, 0x0638, 0x0639, 0x063A, 0x0640, 0x0641, 0x0642, 0x0643,
    0x00E0, 0x0644, 0x00E2, 0x0645, 0x0646, 0x0647, 0x0648, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB,
    0x0649, 0x064A, 0x00EE, 0x00EF, 0x064B, 0x064C, 0x064D, 0x064E, 0x00F4, 0x064F, 0x0650, 0x00F7,
    0x0651, 0x00F9, 0x0652, 0x00FB, 0x00FC, 0x200E, 0x200F, 0x06D2,
};

constexpr uint16_t kWindows1252[128] = {
    0x20AC, 0x0000, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x0000, 0x017D, 0x0000, 0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x0000, 0x017E, 0x0178, 0x00A0, 0x00A1, 0x00A2, 0x00A3,
    0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x00BA, 0x00BB,
    0x00BC, 0x00BD, 0x00BE, 0x00BF, 0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF, 0x00D0, 0x00D1, 0x00D2, 0x00D3,
    0x00D4, 0x00D5, 0x00D6, 0x00D7, 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
    0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB,
    0x00EC, 0x00ED, 0x00EE, 0x00EF, 0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
};

const uint16_t *table_of(TextEncoding encoding) {
  return encoding == TextEncoding::kWindows1256 ? kWindows1256 : kWindows1252;
}

void append_utf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

std::optional<TextEncoding> parse_text_encoding(std::string_view name) {
  std::string lower(name);
  for (char &c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (lower == "utf-8" || lower == "utf8") return TextEncoding::kUtf8;
  if (lower == "windows-1256" || lower == "cp1256") return TextEncoding::kWindows1256;
  if (lower == "windows-1252" || lower == "cp1252") return TextEncoding::kWindows1252;
  return std::nullopt;
}

const char *encoding_name(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8:
      return "utf-8";
    case TextEncoding::kWindows1256:
      return "windows-1256";
    case TextEncoding::kWindows1252:
      return "windows-1252";
  }
  return "?";
}

void decode_to_utf8(TextEncoding encoding, std::string_view in, std::string &out) {
  if (encoding == TextEncoding::kUtf8) {
    out.append(in);
    return;
  }
  const uint16_t *table = table_of(encoding);
  for (char ch : in) {
    auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x80) {
      out.push_back(ch);
    } else if (uint16_t cp = table[byte - 0x80]; cp != 0) {
      append_utf8(out, cp);
    } else {
      out.push_back(kUndefinedByteMarker);
    }
  }
}

DecodingByteSource::DecodingByteSource(std::unique_ptr<ByteSource> inner, TextEncoding encoding)
    : inner_(std::move(inner)), encoding_(encoding), raw_(kRawChunk, '\0') {}

bool DecodingByteSource::fill() {
  size_t n = inner_->read(raw_.data(), raw_.size());
  if (n == 0) return false;
  decoded_.erase(0, taken_);
  taken_ = 0;
  decode_to_utf8(encoding_, std::string_view(raw_.data(), n), decoded_);
  return true;
}

size_t DecodingByteSource::read(char *dst, size_t n) {
  while (decoded_.size() - taken_ < n && fill()) {
  }
  size_t count = std::min(n, decoded_.size() - taken_);
  std::memcpy(dst, decoded_.data() + taken_, count);
  taken_ += count;
  return count;
}

// Decoded offsets do not map to raw offsets, so a seek decodes from the
// start and discards; only a resume mid-file pays for it.
void DecodingByteSource::seek(uint64_t offset) {
  inner_->seek(0);
  decoded_.clear();
  taken_ = 0;
  char discard[kRawChunk];
  while (offset > 0) {
    size_t n = read(discard, static_cast<size_t>(std::min<uint64_t>(offset, sizeof(discard))));
    if (n == 0) break;
    offset -= n;
  }
}

}  // namespace halo::plugins
