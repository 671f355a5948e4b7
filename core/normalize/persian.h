// persian.h -- folding of Persian/Arabic digits and letters to one canonical
// form, so the same phone, email or name typed on a Persian, Arabic or Latin
// keyboard compares equal.
//
// Invariants:
//  - Input is UTF-8; bytes that are not one of the folded code points are
//    copied unchanged (invalid UTF-8 is passed through, never rejected here).
//  - Digit folding maps a 2- or 3-byte code point to one ASCII byte, so the
//    output is never longer than the input.
//  - Letter folding maps 2-byte code points to 2-byte code points, so the
//    output has exactly the input's length (callers may fold in place).
#pragma once

#include <string>
#include <string_view>

namespace halo {

// Persian ۰-۹ (U+06F0..U+06F9), Arabic-Indic ٠-٩ (U+0660..U+0669) and
// full-width ０-９ (U+FF10..U+FF19) -> ASCII '0'..'9'.
std::string fold_digits(std::string_view s);

// Arabic ي (U+064A) and ى (U+0649) -> Persian ی (U+06CC); Arabic ك (U+0643)
// -> Persian ک (U+06A9).
std::string fold_persian_letters(std::string_view s);

// Allocation-free forms for hot paths: append the folded text to `out`.
void append_folded_digits(std::string_view s, std::string &out);
// Writes exactly s.size() bytes to `dst` (which may equal s.data()).
void fold_persian_letters_to(std::string_view s, char *dst);

// When s[i] starts a foldable non-ASCII digit, returns its ASCII digit and
// sets *len to the code point's byte length; otherwise returns 0.
char folded_digit_at(std::string_view s, size_t i, size_t *len);

// True when `s` holds at least one byte >= 0x80 (the only case where any
// folding can apply); lets callers skip work for plain ASCII.
bool has_non_ascii(std::string_view s);

}  // namespace halo
