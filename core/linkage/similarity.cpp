// similarity.cpp -- the comparators; see similarity.h for the contracts.
#include "similarity.h"

#include <algorithm>
#include <array>

#include "common/edit_distance.h"
#include "common/utf8.h"

namespace halo::linkage {

std::u32string decode_utf8(std::string_view s, size_t limit) {
  std::u32string out;
  size_t i = 0;
  while (i < s.size() && out.size() < limit) {
    const size_t len = utf8_sequence_length(s, i);
    if (len == 0) {
      out.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    static constexpr unsigned char kLeadBits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    char32_t cp = static_cast<unsigned char>(s[i]) & kLeadBits[len];
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string encode_utf8(std::u32string_view points) {
  std::string out;
  for (char32_t cp : points) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

namespace {

// Requires a and b no longer than kMaxCompareCodePoints (jaro_winkler cuts
// them): the match flags live on the stack, as this runs for every
// candidate pair.
double jaro(std::u32string_view a, std::u32string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const size_t window = std::max<size_t>(a.size(), b.size()) / 2;
  const size_t reach = window == 0 ? 0 : window - 1;
  std::array<bool, kMaxCompareCodePoints> a_hit{}, b_hit{};
  size_t matches = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const size_t lo = i > reach ? i - reach : 0, hi = std::min(b.size(), i + reach + 1);
    for (size_t j = lo; j < hi; ++j) {
      if (b_hit[j] || a[i] != b[j]) continue;
      a_hit[i] = b_hit[j] = true;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  size_t transposed = 0;
  for (size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!a_hit[i]) continue;
    while (!b_hit[j]) ++j;
    if (a[i] != b[j]) ++transposed;
    ++j;
  }
  const double m = static_cast<double>(matches);
  return (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) +
          (m - static_cast<double>(transposed) / 2) / m) /
         3;
}

}  // namespace

double jaro_winkler(std::string_view a, std::string_view b) {
  return jaro_winkler(decode_utf8(a), decode_utf8(b));
}

double jaro_winkler(std::u32string_view a, std::u32string_view b) {
  a = a.substr(0, kMaxCompareCodePoints);
  b = b.substr(0, kMaxCompareCodePoints);
  const double j = jaro(a, b);
  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return j + static_cast<double>(prefix) * 0.1 * (1 - j);
}

size_t damerau_levenshtein(std::string_view a, std::string_view b) {
  return damerau_levenshtein(decode_utf8(a), decode_utf8(b));
}

size_t damerau_levenshtein(std::u32string_view a, std::u32string_view b) {
  a = a.substr(0, kMaxCompareCodePoints);
  b = b.substr(0, kMaxCompareCodePoints);
  return osa_distance(a, b);
}

std::string soundex(std::string_view s) {
  // Codes for a..z; '0' for vowels and y, '-' for h and w (which do not
  // separate two letters of one code).
  static constexpr char kCodes[] = "01230120022455012623010202";
  std::string out;
  char last = 0;
  for (char raw : s) {
    char c = raw >= 'A' && raw <= 'Z' ? static_cast<char>(raw - 'A' + 'a') : raw;
    if (c < 'a' || c > 'z') continue;
    const char code = (c == 'h' || c == 'w') ? '-' : kCodes[c - 'a'];
    if (out.empty()) {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
      last = code;
      continue;
    }
    if (code == '-') continue;
    if (code != '0' && code != last) out.push_back(code);
    last = code;
    if (out.size() == 4) break;
  }
  if (!out.empty()) out.resize(4, '0');
  return out;
}

}  // namespace halo::linkage
