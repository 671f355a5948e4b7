// name_compare_fuzz.cpp -- libFuzzer target for the probabilistic resolver's
// text functions (core/linkage: similarity.h, name_fold.h, comparison.h) on
// hostile UTF-8. Input: byte 0 splits the rest into strings a and b.
// Invariants checked:
//  - Jaro-Winkler is within [0, 1], and 1 for a string and itself;
//  - Damerau-Levenshtein (OSA) is symmetric, 0 only for equal decoded
//    prefixes, and never above the longer decoded length;
//  - fold_text is idempotent and never longer than its input; the skeleton
//    is never longer than its input either;
//  - every comparator returns a level it declares, or kMissing.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "linkage/comparison.h"
#include "linkage/name_fold.h"
#include "linkage/similarity.h"

using namespace halo::linkage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const std::string_view rest(reinterpret_cast<const char *>(data + 1), size - 1);
  const size_t cut = rest.empty() ? 0 : data[0] % (rest.size() + 1);
  const std::string_view a = rest.substr(0, cut), b = rest.substr(cut);

  const double jw = jaro_winkler(a, b);
  if (!(jw >= 0 && jw <= 1) || jaro_winkler(a, a) != 1) std::abort();
  const size_t dl = damerau_levenshtein(a, b);
  const std::u32string da = decode_utf8(a), db = decode_utf8(b);
  if (dl != damerau_levenshtein(b, a) || (dl == 0) != (da == db) ||
      dl > std::max(da.size(), db.size())) {
    std::abort();
  }
  const std::string folded = fold_text(a);
  if (fold_text(folded) != folded || folded.size() > a.size()) std::abort();
  if (skeleton(folded).size() > folded.size()) std::abort();
  for (Compare c : {Compare::kExact, Compare::kCode, Compare::kName, Compare::kText, Compare::kDate,
                    Compare::kNumber}) {
    const uint8_t level = compare_values(c, 1.0, prepare_value(c, a), prepare_value(c, b));
    if (level != kMissing && level >= level_count(c)) std::abort();
  }
  return 0;
}
