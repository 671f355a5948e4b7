// persian.cpp -- byte-level UTF-8 folding of digits and Persian letters.
// Works on raw bytes (no decoding into code points) because every folded
// code point has a fixed 2- or 3-byte encoding we can match directly.
#include "normalize/persian.h"

#include <cstring>

namespace halo {

char folded_digit_at(std::string_view s, size_t i, size_t *len) {
  unsigned char b0 = static_cast<unsigned char>(s[i]);
  if (i + 1 < s.size()) {
    unsigned char b1 = static_cast<unsigned char>(s[i + 1]);
    // U+06F0..U+06F9 = DB B0..DB B9 (Persian)
    if (b0 == 0xDB && b1 >= 0xB0 && b1 <= 0xB9) {
      *len = 2;
      return static_cast<char>('0' + (b1 - 0xB0));
    }
    // U+0660..U+0669 = D9 A0..D9 A9 (Arabic-Indic)
    if (b0 == 0xD9 && b1 >= 0xA0 && b1 <= 0xA9) {
      *len = 2;
      return static_cast<char>('0' + (b1 - 0xA0));
    }
  }
  if (i + 2 < s.size() && b0 == 0xEF) {
    unsigned char b1 = static_cast<unsigned char>(s[i + 1]);
    unsigned char b2 = static_cast<unsigned char>(s[i + 2]);
    // U+FF10..U+FF19 = EF BC 90..EF BC 99 (full-width)
    if (b1 == 0xBC && b2 >= 0x90 && b2 <= 0x99) {
      *len = 3;
      return static_cast<char>('0' + (b2 - 0x90));
    }
  }
  return 0;
}

bool has_non_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

void append_folded_digits(std::string_view s, std::string &out) {
  if (!has_non_ascii(s)) {
    out.append(s);
    return;
  }
  for (size_t i = 0; i < s.size();) {
    size_t len = 0;
    char d = static_cast<unsigned char>(s[i]) >= 0x80 ? folded_digit_at(s, i, &len) : 0;
    if (d != 0) {
      out.push_back(d);
      i += len;
    } else {
      out.push_back(s[i]);
      ++i;
    }
  }
}

std::string fold_digits(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_folded_digits(s, out);
  return out;
}

void fold_persian_letters_to(std::string_view s, char *dst) {
  if (dst != s.data()) std::memmove(dst, s.data(), s.size());
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) != 0xD9) continue;
    unsigned char b1 = static_cast<unsigned char>(s[i + 1]);
    if (b1 == 0x8A || b1 == 0x89) {  // ي U+064A, ى U+0649 -> ی U+06CC (DB 8C)
      dst[i] = static_cast<char>(0xDB);
      dst[i + 1] = static_cast<char>(0x8C);
      ++i;
    } else if (b1 == 0x83) {  // ك U+0643 -> ک U+06A9 (DA A9)
      dst[i] = static_cast<char>(0xDA);
      dst[i + 1] = static_cast<char>(0xA9);
      ++i;
    }
  }
}

std::string fold_persian_letters(std::string_view s) {
  std::string out(s);
  fold_persian_letters_to(s, out.data());
  return out;
}

}  // namespace halo
