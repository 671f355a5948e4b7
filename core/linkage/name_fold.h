// name_fold.h -- one spelling per name before comparison: case, Arabic and
// Persian letter variants, digits, joiners and diacritics folded; and a
// Latin consonant skeleton so that a name written in Persian script and the
// same name in Latin letters can be compared at all.
//
// fold_text:
//  - ASCII letters to lower case; Persian (U+06F0..U+06F9) and Arabic-Indic
//    (U+0660..U+0669) digits to ASCII;
//  - Arabic letter variants to the Persian letter (ي ى -> ی, ك -> ک,
//    ة ۀ -> ه, أ إ آ ٱ -> ا, ؤ -> و);
//  - removed: ZWNJ/ZWJ (U+200C, U+200D), tatweel (U+0640), Arabic
//    diacritics (U+064B..U+065F, U+0670);
//  - punctuation and every other separator to one space; trimmed.
// skeleton (of folded text, any script): Persian letters transliterated
// to Latin (table in name_fold.cpp, after the common Persian romanization:
// ش -> sh, خ -> kh, ق غ -> gh, ...); then kh -> k, gh -> g, sh -> s,
// ch -> c, zh -> z, q -> g, x -> k, c -> k; vowels and the letters that
// Persian writes as vowels (a e i o u y v w, ع, ء) dropped; repeated letters
// collapsed. "Mohammad Rezaei" and "محمد رضایی" both give "mhmd rz". It
// is deliberately coarse: a comparator uses it only for names in different
// scripts, where nothing finer exists.
//
// Invariants: neither output is longer than its input; fold_text is
// idempotent (fold_text(fold_text(x)) == fold_text(x)).
#pragma once

#include <string>
#include <string_view>

namespace halo::linkage {

std::string fold_text(std::string_view s);
std::string skeleton(std::string_view folded);
// True when s holds a letter of the Arabic script block (U+0600..U+06FF).
bool has_arabic_script(std::string_view s);

}  // namespace halo::linkage
