// segment_expr.h -- expressions of the segment language (docs/segments.md):
// who belongs to an audience, as a condition over a profile's traits,
// features and identifiers, parsed once and evaluated per profile.
//
//   features.rfm_segment in ['At Risk', 'Cannot Lose Them'] and
//   features.order_count >= 2 and features.last_seen < now() - 30d
//
// This is the first step of the language: comparisons, `and`/`or`/`not`,
// `in [...]`, `contains`, `starts_with`, `matches` (RE2, linear time),
// `exists(...)`, `now()` with durations and `in_segment(name)`.
// Event-history conditions (`count(...)`, `did ...`) are not implemented
// yet.
//
// Invariants: a parsed expression never fails to evaluate; a value that is
// absent, null or of another type than the comparison needs makes that
// comparison false (so `not` of it is true); numbers compare exactly (as
// decimal text, never through a rounded double); parsing is bounded by
// ExprLimits (bytes, nesting, list items), so hostile text costs linear
// time and bounded memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "profile/typed_value.h"

namespace halo::segment {

struct ExprLimits {
  size_t max_bytes = 8192;  // the expression's text
  int max_depth = 64;       // nested parentheses and `not`s
  size_t max_list = 1024;   // items of one `in [...]`
};

// Why an expression does not parse, at `column`: characters (code points)
// from 1, so a position inside Persian text is where an editor shows it.
struct ExprError {
  size_t column = 0;
  std::string message;
};

// What an expression reads.
class Subject {
 public:
  virtual ~Subject() = default;
  // The value at `path` ("traits.city", "features.order_count",
  // "identifiers.email": a list of the profile's values); nullptr when
  // the profile has none.
  virtual const TypedValue *value(std::string_view path) const = 0;
  virtual int64_t now_ms() const = 0;
  // Whether the profile belongs to segment `name` (`in_segment(name)`);
  // a subject that knows no memberships says no.
  virtual bool in_segment(std::string_view name) const {
    (void)name;
    return false;
  }
};

class Expr {
 public:
  struct Node;  // expr_ast.h

  // nullopt with `error` set when `text` is not an expression.
  static std::optional<Expr> parse(std::string_view text, ExprError &error,
                                   const ExprLimits &limits = {});
  bool matches(const Subject &subject) const;
  // The earliest time after subject.now_ms() at which matches() may give
  // another answer for the same values (a comparison with now() crossing
  // over); nullopt when time alone never changes it. Never later than the
  // real change, so re-evaluating then loses nothing.
  std::optional<int64_t> next_change_ms(const Subject &subject) const;
  // Every path the expression reads, once each, in order of appearance:
  // what a caller checks against the configured traits and features.
  const std::vector<std::string> &paths() const { return paths_; }
  // The segments it references with in_segment(), once each, in order.
  const std::vector<std::string> &segments() const { return segments_; }

 private:
  std::shared_ptr<const Node> root_;
  std::vector<std::string> paths_;
  std::vector<std::string> segments_;
};

}  // namespace halo::segment
