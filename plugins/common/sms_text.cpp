// sms_text.cpp -- see sms_text.h.
#include "common/sms_text.h"

#include <cstdint>

namespace halo::plugins {
namespace {

// Code points of the GSM 03.38 default alphabet (one septet each).
constexpr char32_t kBasic[] = {U'@', U'£', U'$',  U'¥', U'è', U'é',  U'ù', U'ì', U'ò', U'Ç', U'\n',
                               U'Ø', U'ø', U'\r', U'Å', U'å', U'Δ',  U'_', U'Φ', U'Γ', U'Λ', U'Ω',
                               U'Π', U'Ψ', U'Σ',  U'Θ', U'Ξ', U'Æ',  U'æ', U'ß', U'É', U' ', U'!',
                               U'"', U'#', U'¤',  U'%', U'&', U'\'', U'(', U')', U'*', U'+', U',',
                               U'-', U'.', U'/',  U':', U';', U'<',  U'=', U'>', U'?', U'¡', U'Ä',
                               U'Ö', U'Ñ', U'Ü',  U'§', U'¿', U'ä',  U'ö', U'ñ', U'ü', U'à'};
// The extension table (escape + one septet: two each).
constexpr char32_t kExtension[] = {U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'€', U'\f'};

bool contains(const char32_t *begin, const char32_t *end, char32_t c) {
  for (const char32_t *p = begin; p != end; ++p) {
    if (*p == c) return true;
  }
  return false;
}

// Septets of c in GSM-7, 0 when the alphabet lacks it.
size_t gsm7_septets(char32_t c) {
  if ((c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9')) return 1;
  if (contains(std::begin(kBasic), std::end(kBasic), c)) return 1;
  if (contains(std::begin(kExtension), std::end(kExtension), c)) return 2;
  return 0;
}

// Decodes one UTF-8 sequence at s[i]; returns its length, 0 when invalid.
size_t decode(std::string_view s, size_t i, char32_t &out) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char lead = b(0);
  size_t n = lead < 0x80           ? 1
             : (lead >> 5) == 0x6  ? 2
             : (lead >> 4) == 0xE  ? 3
             : (lead >> 3) == 0x1E ? 4
                                   : 0;
  if (n == 0 || i + n > s.size()) return 0;
  char32_t c = n == 1 ? lead : n == 2 ? lead & 0x1F : n == 3 ? lead & 0x0F : lead & 0x07;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    c = (c << 6) | (b(k) & 0x3F);
  }
  const char32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  out = c;
  return n;
}

size_t segments_of(size_t units, size_t single, size_t per_part) {
  if (units <= single) return 1;
  return (units + per_part - 1) / per_part;
}

}  // namespace

SmsSegments sms_segments(std::string_view s) {
  size_t septets = 0, utf16 = 0;
  bool gsm = true;
  for (size_t i = 0; i < s.size();) {
    char32_t c = 0;
    const size_t n = decode(s, i, c);
    if (n == 0) {  // not UTF-8: one unit per byte, never GSM-7
      gsm = false;
      ++utf16;
      ++i;
      continue;
    }
    i += n;
    utf16 += c > 0xFFFF ? 2 : 1;
    const size_t g = gsm ? gsm7_septets(c) : 0;
    if (g == 0) gsm = false;
    septets += g;
  }
  SmsSegments out;
  if (gsm) {
    out.units = septets;
    out.segments = segments_of(septets, 160, 153);
  } else {
    out.encoding = SmsSegments::Encoding::kUcs2;
    out.units = utf16;
    out.segments = segments_of(utf16, 70, 67);
  }
  return out;
}

const char *encoding_name(SmsSegments::Encoding encoding) {
  return encoding == SmsSegments::Encoding::kGsm7 ? "GSM-7" : "UCS-2";
}

}  // namespace halo::plugins
