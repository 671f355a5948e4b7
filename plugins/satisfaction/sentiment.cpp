// sentiment.cpp -- see sentiment.h.
#include "sentiment.h"

#include <cmath>

#include "sentiment_lexicon.h"

namespace halo::satisfaction {

namespace {

constexpr double kBoost = 1.3;
constexpr double kNegation = -0.75;
constexpr double kBeforeContrast = 0.5, kAfterContrast = 1.5;
constexpr double kAlpha = 15;  // VADER's normalization constant
constexpr int kNegationReach = 3;

// The next code point of `s` at `i` (advancing i); U+FFFD for a byte that
// does not start a valid, shortest-form UTF-8 sequence (i advances by 1).
char32_t next_code_point(std::string_view s, size_t &i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  constexpr char32_t kInvalid = 0xFFFD;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return kInvalid;
  }
  char32_t c = len == 1 ? b : b & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return kInvalid;
    }
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  constexpr char32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < kLeast[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++i;
    return kInvalid;
  }
  i += len;
  return c;
}

void append_utf8(std::string &out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

enum class Kind { kLetter, kDropped, kEmoji, kSeparator };

// What a code point is to the tokenizer, and its normal form.
Kind classify(char32_t &c) {
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    const bool letter = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'';
    return letter ? Kind::kLetter : Kind::kSeparator;
  }
  // One spelling per letter: the apostrophe of "don’t", Arabic yeh and
  // kaf as Persian writes them.
  if (c == 0x2019) c = '\'';
  if (c == 0x064A || c == 0x0649) c = 0x06CC;
  if (c == 0x0643) c = 0x06A9;
  if (c == '\'' || c == 0x06CC || c == 0x06A9) return Kind::kLetter;
  // Harakat, superscript alef, tatweel, zero-width (non-)joiners, variation
  // selectors: writers use them or not, the word is the same.
  if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640 || c == 0x200C || c == 0x200D ||
      (c >= 0xFE00 && c <= 0xFE0F)) {
    return Kind::kDropped;
  }
  if ((c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF)) return Kind::kEmoji;
  const bool punctuation = c <= 0xBF || (c >= 0x2000 && c <= 0x206F) || c == 0x060C ||
                           c == 0x061B || c == 0x061F || (c >= 0x066A && c <= 0x066D) ||
                           c == 0x06D4 || c == 0xFFFD || c == 0x3000;
  return punctuation ? Kind::kSeparator : Kind::kLetter;
}

}  // namespace

std::vector<std::string> sentiment_words(std::string_view text) {
  text = text.substr(0, kMaxTextBytes);
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (size_t i = 0; i < text.size();) {
    char32_t c = next_code_point(text, i);
    switch (classify(c)) {
      case Kind::kLetter:
        append_utf8(word, c);
        break;
      case Kind::kDropped:
        break;
      case Kind::kEmoji:
        flush();
        append_utf8(word, c);
        flush();
        break;
      case Kind::kSeparator:
        flush();
        break;
    }
  }
  flush();
  return words;
}

Sentiment score_sentiment(std::string_view text) {
  const std::vector<std::string> words = sentiment_words(text);
  std::vector<LexiconEntry> entries;
  entries.reserve(words.size());
  for (const std::string &w : words) entries.push_back(lookup_word(w));
  std::vector<double> valences(entries.size(), 0);
  Sentiment out;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].role != WordRole::kValence) continue;
    double v = entries[i].valence;
    ++out.words;
    if (i > 0 && entries[i - 1].role == WordRole::kBooster) v *= kBoost;
    bool negated = false;
    for (size_t k = i; k-- > 0 && i - k <= kNegationReach;) {
      negated = negated || entries[k].role == WordRole::kNegationBefore;
    }
    for (size_t k = i + 1; k < entries.size() && k - i <= 2; ++k) {
      negated = negated || entries[k].role == WordRole::kNegationAfter;
    }
    valences[i] = negated ? v * kNegation : v;
  }
  // The last contrast splits the text: what follows it is what the writer
  // means.
  for (size_t i = entries.size(); i-- > 0;) {
    if (entries[i].role != WordRole::kContrast) continue;
    for (size_t k = 0; k < valences.size(); ++k) {
      valences[k] *= k < i ? kBeforeContrast : kAfterContrast;
    }
    break;
  }
  double sum = 0;
  for (double v : valences) sum += v;
  out.score = out.words == 0 ? 0 : sum / std::sqrt(sum * sum + kAlpha);
  return out;
}

}  // namespace halo::satisfaction
