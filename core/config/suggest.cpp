// suggest.cpp -- edit distance and near-miss suggestions.
#include "config/suggest.h"

#include <algorithm>

#include "common/ascii.h"
#include "common/edit_distance.h"

namespace halo {
namespace {

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
  return osa_distance(std::string_view(a), std::string_view(b));
}

std::string suggest(const std::string &word, const std::vector<std::string> &candidates) {
  const std::string w = ascii_lower(word);
  std::string best;
  size_t best_distance = max_distance_for(w) + 1;
  for (const std::string &candidate : candidates) {
    const std::string c = ascii_lower(candidate);
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
