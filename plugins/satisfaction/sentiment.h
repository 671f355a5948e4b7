// sentiment.h -- a small lexicon-based sentiment score for short customer
// texts in English and Persian (comments, reviews, survey answers).
//
// The method follows VADER (Hutto & Gilbert 2014, "VADER: A Parsimonious
// Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM):
// each word found in the lexicon contributes its valence (-4 .. +4); a
// booster before it ("very", «خیلی») scales it by 1.3; a negation flips and
// dampens it by -0.75 ("not good"; in Persian a negated verb after the word,
// «خوب نبود», or «نه» before it); words before a contrast ("but", «ولی»,
// «اما») count half and words after it 1.5 times. The sum s becomes
// s / sqrt(s^2 + 15), in (-1, 1). The lexicon and its valences are Halo's
// own (sentiment_lexicon.cpp).
//
// What it cannot do: sarcasm and irony; words outside the lexicon and
// domain meanings (a "cheap" price against a "cheap" feel); Persian forms
// with suffixes the lexicon does not list; Persian written in Latin letters
// (Finglish); negation further than three words away.
//
// Invariants: the score depends only on the text; at most kMaxTextBytes
// of it are read; invalid UTF-8 separates words and is never an error.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace halo::satisfaction {

constexpr size_t kMaxTextBytes = 64 * 1024;

struct Sentiment {
  double score = 0;  // the compound score, in (-1, 1); 0 when no word is known
  int words = 0;     // lexicon words found
};

// Lower-case ASCII, Persian letters normalized (Arabic yeh and kaf, no
// diacritics, tatweel or zero-width non-joiner), split into words; an emoji
// is a word of its own.
std::vector<std::string> sentiment_words(std::string_view text);

Sentiment score_sentiment(std::string_view text);

}  // namespace halo::satisfaction
