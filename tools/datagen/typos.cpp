// typos.cpp -- see typos.h.
#include "typos.h"

#include <utility>
#include <vector>

namespace halo::datagen {

namespace {

bool is_letter(char c) {
  return c >= 'a' && c <= 'z';
}

// Positions i in [begin, end - 1) where s[i] and s[i + 1] are different letters.
std::vector<size_t> swappable_letters(std::string_view s, size_t begin, size_t end) {
  std::vector<size_t> at;
  for (size_t i = begin; i + 1 < end; ++i) {
    if (is_letter(s[i]) && is_letter(s[i + 1]) && s[i] != s[i + 1]) at.push_back(i);
  }
  return at;
}

// Byte offsets where each UTF-8 code point starts, plus the end.
std::vector<size_t> code_point_starts(std::string_view s) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(s.size());
  return starts;
}

}  // namespace

std::string mistype_email(std::string_view canonical, Rng &rng) {
  std::string out(canonical);
  const size_t at = out.find('@');
  if (at == std::string::npos) return out + "x";  // not an address: still different
  const size_t label_end = out.find('.', at);
  const std::vector<size_t> swaps =
      swappable_letters(out, at + 1, label_end == std::string::npos ? out.size() : label_end);
  if (!swaps.empty() && rng.chance(0.5)) {
    const size_t i = swaps[rng.below(swaps.size())];
    std::swap(out[i], out[i + 1]);
    return out;
  }
  std::vector<size_t> letters;
  for (size_t i = 0; i < at; ++i) {
    if (is_letter(out[i])) letters.push_back(i);
  }
  if (letters.empty()) return out.substr(0, at) + 'x' + out.substr(at);
  const size_t i = letters[rng.below(letters.size())];
  out.insert(i, 1, out[i]);
  return out;
}

std::string mistype_name(std::string_view utf8, Rng &rng) {
  const std::vector<size_t> starts = code_point_starts(utf8);
  std::vector<size_t> pairs;  // index k: code points k and k + 1 differ
  for (size_t k = 0; k + 2 < starts.size(); ++k) {
    const std::string_view a = utf8.substr(starts[k], starts[k + 1] - starts[k]);
    const std::string_view b = utf8.substr(starts[k + 1], starts[k + 2] - starts[k + 1]);
    if (a != b && a != " " && b != " ") pairs.push_back(k);
  }
  if (pairs.empty()) return std::string(utf8);
  const size_t k = pairs[rng.below(pairs.size())];
  std::string out(utf8.substr(0, starts[k]));
  out += utf8.substr(starts[k + 1], starts[k + 2] - starts[k + 1]);
  out += utf8.substr(starts[k], starts[k + 1] - starts[k]);
  out += utf8.substr(starts[k + 2]);
  return out;
}

}  // namespace halo::datagen
