// suggest.cpp -- edit distance and near-miss suggestions.
#include "config/suggest.h"

#include <algorithm>
#include <cctype>

namespace halo {
namespace {

std::string lower(const std::string &s) {
  std::string out = s;
  for (char &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_prefix_match(const std::string &a, const std::string &b) {
  const std::string &shorter = a.size() <= b.size() ? a : b;
  const std::string &longer = a.size() <= b.size() ? b : a;
  return shorter.size() >= 3 && longer.compare(0, shorter.size(), shorter) == 0;
}

size_t max_distance_for(const std::string &word) {
  return word.size() <= 3 ? 1 : 2;
}

}  // namespace

size_t edit_distance(const std::string &a, const std::string &b) {
  const size_t n = a.size(), m = b.size();
  // Three rolling rows: the swap rule looks two rows back.
  std::vector<size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::string suggest(const std::string &word, const std::vector<std::string> &candidates) {
  const std::string w = lower(word);
  std::string best;
  size_t best_distance = max_distance_for(w) + 1;
  for (const std::string &candidate : candidates) {
    const std::string c = lower(candidate);
    if (c == w) return candidate;  // differs only in case
    // The edit distance is at least the length gap: past the allowed
    // distance only a prefix match counts, and a megabyte-long key costs no
    // megabyte-sized distance computation.
    const size_t gap = w.size() > c.size() ? w.size() - c.size() : c.size() - w.size();
    size_t d = gap > max_distance_for(w) ? gap : edit_distance(w, c);
    // A prefix match ranks like a distance-2 edit: weaker than a typo fix.
    if (d > max_distance_for(w) && is_prefix_match(w, c)) d = max_distance_for(w);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string unknown_name_hint(const std::string &word, const std::vector<std::string> &candidates,
                              const std::string &what) {
  if (candidates.empty()) return " (no " + what + " are accepted here)";
  const std::string close = suggest(word, candidates);
  if (!close.empty()) return " (did you mean '" + close + "'?)";
  std::string list;
  for (const std::string &c : candidates) list += (list.empty() ? "" : ", ") + c;
  return " (valid " + what + ": " + list + ")";
}

}  // namespace halo
