// history_term.cpp -- the feature name of an event-history value
// (HistoryTerm::feature in segment_expr.h).
#include <cstdio>

#include <halo/units.hpp>

#include "segment/segment_expr.h"

namespace halo::segment {

namespace {

// FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/): stable across
// builds and platforms, which a name kept in the store must be.
uint32_t fnv1a(std::string_view text) {
  uint32_t h = 2166136261u;
  for (unsigned char c : text) h = (h ^ c) * 16777619u;
  return h;
}

}  // namespace

std::string history_feature_name(const HistoryTerm &term) {
  std::string name = term.op + "(" + term.event;
  if (!term.field.empty()) name += ", " + term.field;
  // Windows are whole minutes, so they read in days, hours or minutes: 1440m,
  // 24h and 1d all read "1d", 2w reads "14d" (the name is kept in the store).
  if (term.window_ms != 0) name += " within " + duration_text(term.window_ms);
  name += ')';
  // A feature's name has no '.', '[' or ']' (a path would split there);
  // they read '/'. A field's dots are all that can become one, unless the
  // event's name holds one of these: then the exact term's hash keeps two
  // such names apart ("a.b" and "a/b").
  const bool ambiguous = term.event.find_first_of(".[]/") != std::string::npos;
  for (char &c : name) {
    if (c == '.' || c == '[' || c == ']') c = '/';
  }
  if (ambiguous) {
    const std::string exact =
        term.op + '\n' + term.event + '\n' + term.field + '\n' + std::to_string(term.window_ms);
    char hash[12];
    std::snprintf(hash, sizeof hash, " #%08x", fnv1a(exact));
    name += hash;
  }
  return name;
}

}  // namespace halo::segment
