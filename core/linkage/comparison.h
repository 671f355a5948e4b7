// comparison.h -- one field of two person records compared as an
// agreement level: 0 is "equal", the last level is "different", and the
// levels between are degrees of "nearly equal" (a typo, a close spelling).
// A Fellegi-Sunter model learns how often each level occurs among true
// matches (m) and among non-matches (u); see fellegi_sunter.h.
//
// Values are folded first (name_fold.h: case, Arabic/Persian letter
// variants, digits, joiners, punctuation), so "O'Brien" equals "o brien"
// and "علي" equals "علی". An empty value after folding is missing: the
// level is kMissing and the field neither supports nor opposes a match.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace halo::linkage {

enum class Compare : uint8_t {
  kExact,   // equal / different
  kCode,    // identifiers, postcodes, house numbers: equal / one edit / different
  kName,    // person names: equal / Jaro-Winkler >= 0.92 / >= 0.80 / different;
            // Persian against Latin script through the consonant skeleton
  kText,    // addresses, towns: as kName
  kDate,    // YYYYMMDD or YYYY-MM-DD: equal / one digit edited or day and month
            // swapped / different
  kNumber,  // decimal numbers: equal / |a - b| <= near / different
};

inline constexpr uint8_t kMissing = 7;  // fits the 3 bits a pattern gives a field
inline constexpr size_t kMaxLevels = 4;

size_t level_count(Compare c);
const char *compare_name(Compare c);
std::optional<Compare> compare_from_name(std::string_view name);
// "equal", "one edit", "jw>=0.92", ... for reports.
const char *level_name(Compare c, uint8_t level);

// One field of one record, prepared once and compared many times.
struct PreparedValue {
  std::u32string text;  // folded, as code points (at most kMaxCompareCodePoints)
  bool arabic = false;  // holds Arabic-script letters
  double number = 0;    // kNumber: the value; kDate: days since 1970-01-01
  bool has_number = false;
  bool missing() const { return text.empty(); }
};

PreparedValue prepare_value(Compare c, std::string_view raw);

// The agreement level of a and b (0 .. level_count(c) - 1), or kMissing.
uint8_t compare_values(Compare c, double near, const PreparedValue &a, const PreparedValue &b);

}  // namespace halo::linkage
