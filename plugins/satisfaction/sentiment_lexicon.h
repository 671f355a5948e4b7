// sentiment_lexicon.h -- the words sentiment.cpp knows: valences, boosters,
// negations and contrasts, in English and Persian (normalized as
// sentiment_words() normalizes: lower case, Persian yeh and kaf, no
// zero-width non-joiner).
#pragma once

#include <string_view>
#include <vector>

namespace halo::satisfaction {

enum class WordRole { kNone, kValence, kBooster, kNegationBefore, kNegationAfter, kContrast };

struct LexiconEntry {
  WordRole role = WordRole::kNone;
  double valence = 0;  // kValence only: -4 .. +4
};

LexiconEntry lookup_word(std::string_view word);
// Every word listed (tests check they are in normal form).
std::vector<std::string_view> lexicon_words();

}  // namespace halo::satisfaction
