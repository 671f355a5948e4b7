// similarity.h -- string comparators for record linkage: Jaro-Winkler,
// Damerau-Levenshtein (optimal string alignment) and American Soundex.
//
// All comparators work on Unicode code points (UTF-8 in, invalid bytes read
// as U+FFFD), so a Persian name compares letter by letter, not byte by byte.
// Inputs are hostile: each comparator looks at no more than
// kMaxCompareCodePoints code points of either string (the rest is
// ignored), so one comparison costs at most a fixed amount of work.
//
// References: W. E. Winkler, "String Comparator Metrics and Enhanced
// Decision Rules in the Fellegi-Sunter Model of Record Linkage" (1990);
// F. J. Damerau, "A technique for computer detection and correction of
// spelling errors" (CACM 1964); US National Archives, "The Soundex
// Indexing System" (2007).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace halo::linkage {

inline constexpr size_t kMaxCompareCodePoints = 128;

// UTF-8 to code points, at most `limit` of them; an invalid or truncated
// sequence becomes U+FFFD and decoding resumes at the next byte.
std::u32string decode_utf8(std::string_view s, size_t limit = kMaxCompareCodePoints);
// Code points to UTF-8 (the inverse of decode_utf8 for valid text).
std::string encode_utf8(std::u32string_view points);

// Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4);
// 1 for two equal strings, including two empty ones.
double jaro_winkler(std::string_view a, std::string_view b);
double jaro_winkler(std::u32string_view a, std::u32string_view b);

// Edits (insert, delete, substitute, swap two adjacent) from a to b, each
// substring edited at most once (optimal string alignment).
size_t damerau_levenshtein(std::string_view a, std::string_view b);
size_t damerau_levenshtein(std::u32string_view a, std::u32string_view b);

// American Soundex of the ASCII letters of s ("Robert" -> "R163"); other
// characters are skipped. Empty when s has no ASCII letter.
std::string soundex(std::string_view s);

}  // namespace halo::linkage
