// edit_distance.h -- the optimal string alignment distance (Damerau 1964,
// "A technique for computer detection and correction of spelling errors"):
// insertions, deletions, substitutions and swaps of two adjacent
// characters, each substring edited at most once. Declared once for the
// config's did-you-mean (bytes) and record linkage (code points).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace halo {

template <typename Char>
size_t osa_distance(std::basic_string_view<Char> a, std::basic_string_view<Char> b) {
  const size_t n = a.size(), m = b.size();
  // Three rolling rows of the (n+1) x (m+1) table: the swap looks two back.
  // Rows for short strings (every record-linkage comparison, which is
  // bounded) live on the stack: this runs for every candidate pair.
  constexpr size_t kStackColumns = 129;
  size_t stack_rows[3 * kStackColumns];
  std::vector<size_t> heap_rows;
  size_t *rows = stack_rows;
  if (m + 1 > kStackColumns) {
    heap_rows.resize(3 * (m + 1));
    rows = heap_rows.data();
  }
  size_t *before = rows, *previous = rows + (m + 1), *current = rows + 2 * (m + 1);
  for (size_t j = 0; j <= m; ++j) previous[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

}  // namespace halo
