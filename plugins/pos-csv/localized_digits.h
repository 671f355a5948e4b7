// localized_digits.h -- rewrites the digits and number punctuation of
// Persian/Arabic till exports into ASCII so date and money parsing can work
// on one alphabet.
//
// Invariants: only these code points change; every other byte (including
// invalid UTF-8) is copied unchanged.
//   U+06F0..U+06F9 (Persian ۰..۹), U+0660..U+0669 (Arabic-Indic ٠..٩) -> '0'..'9'
//   U+066B (Arabic decimal separator ٫) -> '.'
//   U+066C (Arabic thousands separator ٬) -> ','
//   U+2212 (minus sign) -> '-'
//   U+00A0, U+202F (no-break spaces) -> ' '
#pragma once

#include <string>
#include <string_view>

namespace halo::plugins {

// Replaces `out` with the ASCII-normalized form of `in`.
void normalize_localized_digits(std::string_view in, std::string &out);

// For comparing column names only: Arabic Yeh (U+064A), Alef Maksura
// (U+0649) and Arabic Kaf (U+0643) folded to Persian Yeh (U+06CC) and
// Keheh (U+06A9). Windows-1256 has no Persian Yeh, so a Persian header
// "تاریخ" arrives as "تاريخ" from a Windows-1256 till.
std::string fold_persian_letters(std::string_view in);

}  // namespace halo::plugins
