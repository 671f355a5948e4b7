// localized_digits.cpp -- see header for the exact rewrites.
#include "localized_digits.h"

#include <cstdint>

namespace halo::plugins {

namespace {

// The ASCII replacement of a two- or three-byte UTF-8 sequence at `s[i]`,
// or 0 when it is not one of the rewritten code points.
char replacement_at(std::string_view s, size_t i, size_t &length) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[i + k]); };
  if (i + 1 < s.size() && (byte(0) == 0xDB || byte(0) == 0xD9)) {
    uint32_t cp = ((byte(0) & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
    length = 2;
    if (cp >= 0x06F0 && cp <= 0x06F9) return static_cast<char>('0' + (cp - 0x06F0));
    if (cp >= 0x0660 && cp <= 0x0669) return static_cast<char>('0' + (cp - 0x0660));
    if (cp == 0x066B) return '.';
    if (cp == 0x066C) return ',';
    return 0;
  }
  if (i + 1 < s.size() && byte(0) == 0xC2 && byte(1) == 0xA0) return length = 2, ' ';
  if (i + 2 < s.size() && byte(0) == 0xE2) {
    length = 3;
    if (byte(1) == 0x88 && byte(2) == 0x92) return '-';  // U+2212
    if (byte(1) == 0x80 && byte(2) == 0xAF) return ' ';  // U+202F
  }
  return 0;
}

}  // namespace

void normalize_localized_digits(std::string_view in, std::string &out) {
  out.clear();
  for (size_t i = 0; i < in.size();) {
    auto b = static_cast<uint8_t>(in[i]);
    size_t length = 1;
    char ascii = b >= 0x80 ? replacement_at(in, i, length) : 0;
    if (ascii != 0) {
      out.push_back(ascii);
      i += length;
    } else {
      out.push_back(in[i]);
      ++i;
    }
  }
}

std::string fold_persian_letters(std::string_view in) {
  std::string out(in);
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    auto a = static_cast<uint8_t>(out[i]), b = static_cast<uint8_t>(out[i + 1]);
    if (a == 0xD9 && (b == 0x8A || b == 0x89)) {  // U+064A, U+0649 -> U+06CC
      out[i] = static_cast<char>(0xDB);
      out[i + 1] = static_cast<char>(0x8C);
    } else if (a == 0xD9 && b == 0x83) {  // U+0643 -> U+06A9
      out[i] = static_cast<char>(0xDA);
      out[i + 1] = static_cast<char>(0xA9);
    }
    if (a >= 0xC0) ++i;  // skip the continuation byte of a 2-byte sequence
  }
  return out;
}

}  // namespace halo::plugins
