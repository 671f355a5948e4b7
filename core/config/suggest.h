// suggest.h -- "did you mean ...?" for misspelt keys, options and plugin
// names.
//
// A candidate is close when its optimal-string-alignment (Damerau)
// distance to the word is <= 2 (<= 1 for words of 3 characters or fewer, so
// "id" does not suggest "ip"), or when one is a prefix of the other (at least
// 3 characters long). Comparison is case-insensitive.
#pragma once

#include <string>
#include <vector>

namespace halo {

// Optimal string alignment distance (insert, delete, substitute, swap of two
// adjacent characters), on bytes.
size_t edit_distance(const std::string &a, const std::string &b);

// The closest candidate, or "" when nothing is close. Ties go to the
// earliest candidate, so results are deterministic.
std::string suggest(const std::string &word, const std::vector<std::string> &candidates);

// The tail of an "unknown X" message: " (did you mean 'path'?)" when one is
// close, else " (valid <what>: a, b, c)", or " (no <what> are accepted here)"
// when there are no candidates.
std::string unknown_name_hint(const std::string &word, const std::vector<std::string> &candidates,
                              const std::string &what = "keys");

}  // namespace halo
