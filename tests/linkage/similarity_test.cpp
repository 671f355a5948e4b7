// Comparators against the values their authors published.
#include "linkage/similarity.h"

#include <gtest/gtest.h>

#include <string>

namespace halo::linkage {
namespace {

TEST(JaroWinkler, MatchesWinklersPublishedExamples) {
  // Winkler (1990), table of comparator values; also the standard test
  // pairs of every implementation.
  EXPECT_NEAR(jaro_winkler("MARTHA", "MARHTA"), 0.961, 0.001);
  EXPECT_NEAR(jaro_winkler("DWAYNE", "DUANE"), 0.840, 0.001);
  EXPECT_NEAR(jaro_winkler("DIXON", "DICKSONX"), 0.813, 0.001);
}

TEST(JaroWinkler, IsOneForEqualStringsAndZeroWithNothingInCommon) {
  EXPECT_EQ(jaro_winkler("", ""), 1.0);
  EXPECT_EQ(jaro_winkler("abc", "abc"), 1.0);
  EXPECT_EQ(jaro_winkler("abc", ""), 0.0);
  EXPECT_EQ(jaro_winkler("abc", "xyz"), 0.0);
}

TEST(JaroWinkler, ComparesPersianLettersNotBytes) {
  // Every Persian letter is two bytes; byte-wise, these share a lead byte
  // at every position and would look alike.
  EXPECT_EQ(jaro_winkler("رضا", "رضا"), 1.0);
  EXPECT_EQ(jaro_winkler("سبز", "کوه"), 0.0);
}

TEST(DamerauLevenshtein, CountsOneEditForEachKind) {
  EXPECT_EQ(damerau_levenshtein("smith", "smith"), 0u);
  EXPECT_EQ(damerau_levenshtein("smith", "smyth"), 1u);   // substitute
  EXPECT_EQ(damerau_levenshtein("smith", "smiths"), 1u);  // insert
  EXPECT_EQ(damerau_levenshtein("smith", "smit"), 1u);    // delete
  EXPECT_EQ(damerau_levenshtein("smith", "msith"), 1u);   // swap
  EXPECT_EQ(damerau_levenshtein("ca", "abc"), 3u);        // OSA: no edit of a swapped pair
  EXPECT_EQ(damerau_levenshtein("", "abc"), 3u);
  EXPECT_EQ(damerau_levenshtein("علی", "على"), 1u);
}

TEST(Soundex, GivesTheNationalArchivesCodes) {
  EXPECT_EQ(soundex("Robert"), "R163");
  EXPECT_EQ(soundex("Rupert"), "R163");
  EXPECT_EQ(soundex("Rubin"), "R150");
  EXPECT_EQ(soundex("Ashcraft"), "A261");  // h does not separate s and c
  EXPECT_EQ(soundex("Tymczak"), "T522");
  EXPECT_EQ(soundex("Pfister"), "P236");  // P and f share a code
  EXPECT_EQ(soundex("Honeyman"), "H555");
  EXPECT_EQ(soundex("Lee"), "L000");
  EXPECT_EQ(soundex("123"), "");
}

TEST(DecodeUtf8, ReplacesInvalidBytesAndStopsAtTheLimit) {
  EXPECT_EQ(decode_utf8("a\xff"
                        "b"),
            U"a\uFFFDb");
  EXPECT_EQ(decode_utf8("\xC0\xAF"), U"\uFFFD\uFFFD");  // overlong '/'
  EXPECT_EQ(decode_utf8("\xE2\x82"), U"\uFFFD\uFFFD");  // truncated
  EXPECT_EQ(decode_utf8("سلام"), U"سلام");
  EXPECT_EQ(decode_utf8(std::string(1000, 'a')).size(), kMaxCompareCodePoints);
  EXPECT_EQ(encode_utf8(decode_utf8("سلام, Ünïcode")), "سلام, Ünïcode");
}

TEST(Comparators, LookAtABoundedPrefixOfHostileInput) {
  // A megabyte against a megabyte: bounded by kMaxCompareCodePoints, so
  // this is instant rather than 10^12 cell updates.
  const std::string a(1 << 20, 'a'), b(1 << 20, 'b');
  EXPECT_EQ(damerau_levenshtein(a, b), kMaxCompareCodePoints);
  EXPECT_EQ(jaro_winkler(a, b), 0.0);
}

}  // namespace
}  // namespace halo::linkage
