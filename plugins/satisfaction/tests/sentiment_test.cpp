// sentiment_test.cpp -- the sentiment score on hand-computed cases (VADER's
// normalization s / sqrt(s^2 + 15)), negation before and after the word,
// boosters, contrasts, Persian spelling variants, emoji, hostile bytes and
// the text limit.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sentiment.h"
#include "sentiment_lexicon.h"

namespace halo::satisfaction {
namespace {

double compound(double sum) {
  return sum / std::sqrt(sum * sum + 15);
}

void expect_score(const std::string &text, double sum, int words) {
  const Sentiment s = score_sentiment(text);
  EXPECT_NEAR(s.score, compound(sum), 1e-12) << text;
  EXPECT_EQ(s.words, words) << text;
}

TEST(Sentiment, HandComputedEnglish) {
  expect_score("Good", 1.9, 1);                    // 0.4404
  expect_score("not good", 1.9 * -0.75, 1);        // -0.3453
  expect_score("It isn't good.", 1.9 * -0.75, 1);  // a contraction negates
  expect_score("never really good", 1.9 * 1.3 * -0.75, 1);
  expect_score("very good", 1.9 * 1.3, 1);                     // 0.5377
  expect_score("Good, but slow!", 1.9 * 0.5 + -1.3 * 1.5, 2);  // -0.25: the contrast wins
  expect_score("The parcel arrived on Tuesday", 0, 0);
  EXPECT_NEAR(score_sentiment("good").score, 0.440434, 1e-6);
  EXPECT_NEAR(score_sentiment("Good, but slow!").score, -0.25, 1e-12);
}

TEST(Sentiment, HandComputedPersian) {
  expect_score("خوب", 1.9, 1);
  expect_score("خوب نبود", 1.9 * -0.75, 1);      // a negated verb after the word
  expect_score("مشکلی نداشت", -1.7 * -0.75, 1);  // "had no problem": mildly positive
  expect_score("خیلی خوب", 1.9 * 1.3, 1);
  expect_score("کیفیت عالی بود ولی ارسال با تاخیر", 3.1 * 0.5 + -1.3 * 1.5, 2);
  expect_score("نه خوب", 1.9 * -0.75, 1);
}

// Writers differ: Arabic yeh and kaf, diacritics, tatweel and the
// zero-width non-joiner do not change the word.
TEST(Sentiment, PersianSpellingVariantsAreOneWord) {
  const double excellent = score_sentiment("عالی").score;
  EXPECT_GT(excellent, 0);
  EXPECT_EQ(score_sentiment("عالي").score, excellent);   // U+064A
  EXPECT_EQ(score_sentiment("عـالی").score, excellent);  // tatweel
  EXPECT_EQ(score_sentiment("فوق‌العاده").score, score_sentiment("فوقالعاده").score);
  EXPECT_GT(score_sentiment("فوق‌العاده").score, 0);
  EXPECT_EQ(sentiment_words("بی‌كيفيت، واقعا!"),
            (std::vector<std::string>{"بیکیفیت", "واقعا"}));
}

TEST(Sentiment, EmojiAreWordsOfTheirOwn) {
  expect_score("😍😍", 6.0, 2);
  expect_score("thanks❤️", 1.9 + 3.0, 2);
  EXPECT_EQ(sentiment_words("ok👎bad"), (std::vector<std::string>{"ok", "👎", "bad"}));
}

TEST(Sentiment, HostileBytesSeparateWordsAndTextsAreCut) {
  EXPECT_EQ(sentiment_words("good\xff"
                            "bad\xe2\x82"),
            (std::vector<std::string>{"good", "bad"}));
  EXPECT_EQ(sentiment_words(std::string("go\0od", 5)), (std::vector<std::string>{"go", "od"}));
  EXPECT_EQ(sentiment_words("\xed\xa0\x80x"), (std::vector<std::string>{"x"}));  // a surrogate
  EXPECT_EQ(sentiment_words("\xc0\xafx"), (std::vector<std::string>{"x"}));      // overlong '/'
  std::string long_text(kMaxTextBytes, ' ');
  EXPECT_EQ(score_sentiment(long_text + "terrible").words, 0);
  EXPECT_EQ(score_sentiment(long_text.substr(9) + "terrible").words, 1);
}

// Every listed word is written as the tokenizer leaves it, or it could
// never match.
TEST(Sentiment, TheLexiconIsInNormalForm) {
  for (std::string_view word : lexicon_words()) {
    EXPECT_EQ(sentiment_words(word), std::vector<std::string>{std::string(word)}) << word;
  }
}

}  // namespace
}  // namespace halo::satisfaction
