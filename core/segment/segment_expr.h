// segment_expr.h -- expressions of the segment language (docs/segments.md):
// who belongs to an audience, as a condition over a profile's traits,
// features and identifiers, parsed once and evaluated per profile.
//
//   features.rfm_segment in ['At Risk', 'Cannot Lose Them'] and
//   features.order_count >= 2 and features.last_seen < now() - 30d
//
// Comparisons, `and`/`or`/`not`, `in [...]`, `contains`, `starts_with`,
// `matches` (RE2, linear time), `exists(...)`, `now()` with durations,
// `in_segment(name)` and event history: `count(Order Completed within 90d)`,
// `sum(Order Completed.revenue within 365d)`, `did Checkout Started within
// 1d`. An event-history value is a feature the kernel has a feature builder
// keep (pipeline/segment_history.h); the expression reads it by the name
// HistoryTerm::feature.
//
// Invariants: a parsed expression never fails to evaluate; a value that is
// absent, null or of another type than the comparison needs makes that
// comparison false (so `not` of it is true); numbers compare exactly (as
// decimal text, never through a rounded double); parsing is bounded by
// ExprLimits (bytes, nesting, list items), so hostile text costs linear
// time and bounded memory.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
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

// What an expression reads: a profile (segments, a trigger's `if`), or
// one event (a trigger's `on.where`), whose paths start with properties.,
// context. or traits. and which has no event history or in_segment().
enum class ExprScope { kProfile, kEvent };

// Why an expression does not parse, at `column`: characters (code points)
// from 1, so a position inside Persian text is where an editor shows it.
struct ExprError {
  size_t column = 0;
  std::string message;
};

// One event-history value an expression reads: `op` over the events named
// `event` (of any type) within the last `window_ms` (0: all time).
struct HistoryTerm {
  std::string op;         // count, sum, avg, min or max; last (a trigger's `unless`)
  std::string event;      // the event's name, exactly
  std::string field;      // sum, avg, min, max: a dotted event path ("properties.revenue")
  int64_t window_ms = 0;  // 0 or a positive whole number of minutes
  // The feature holding it: the term written out canonically, e.g.
  // "count(Order Completed within 90d)" or
  // "sum(Order Completed, properties/revenue within 365d)"; equal terms
  // (`24h` and `1d`) have equal names.
  std::string feature;
};

// HistoryTerm::feature for a term whose other fields are set.
std::string history_feature_name(const HistoryTerm &term);

// What an expression reads.
class Subject {
 public:
  virtual ~Subject() = default;
  // The value at `path` ("traits.city", "features.order_count",
  // "identifiers.email": a list of the profile's values); nullptr when
  // the profile has none.
  virtual const TypedValue *value(std::string_view path) const = 0;
  // value(path) for the expression's `index`-th path (Expr::paths()): a
  // subject that evaluates many expressions on one profile may remember
  // each path's value instead of looking it up at every test.
  virtual const TypedValue *value_at(size_t index, std::string_view path) const {
    (void)index;
    return value(path);
  }
  virtual int64_t now_ms() const = 0;
  // The values of the list elements `path` names (`properties.products[].sku`,
  // halo/field_path.hpp), in order; empty when there are none. Only an
  // event has them; a profile subject keeps the default.
  virtual std::span<const TypedValue> elements(std::string_view path) const {
    (void)path;
    return {};
  }
  // Whether the profile belongs to segment `name` (`in_segment(name)`);
  // a subject that knows no memberships says no.
  virtual bool in_segment(std::string_view name) const {
    (void)name;
    return false;
  }
  // `text` (a value's string) read as an ISO 8601 time; nullopt when it is
  // not one. Conditions often compare one value with several times (`x <
  // now() - 30d`, `x < now() - 90d`, and the times they flip): the last
  // answer is kept.
  std::optional<int64_t> time_of_text(std::string_view text) const;

 private:
  // The last text read, when it fits here: kept in place, as a string it
  // was an allocation per profile (an ISO 8601 time is longer than a
  // string's inline buffer).
  static constexpr size_t kTimeTextBytes = 40;
  mutable std::array<char, kTimeTextBytes> last_time_text_{};
  mutable size_t last_time_size_ = 0;
  mutable std::optional<int64_t> last_time_;
};

class Expr {
 public:
  struct Node;  // expr_ast.h

  // nullopt with `error` set when `text` is not an expression.
  static std::optional<Expr> parse(std::string_view text, ExprError &error,
                                   const ExprLimits &limits = {},
                                   ExprScope scope = ExprScope::kProfile);
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
  // The event-history values it reads, once each, in order of appearance.
  const std::vector<HistoryTerm> &history() const { return history_; }
  // The kind a path holds, or nullopt when it is not known.
  using KindOf = std::function<std::optional<TypedKind>(std::string_view path)>;
  // Every test of a path of a known kind against a literal that kind can
  // never pass (a number against text, a time against a number, a text
  // pattern on a number, a number standing alone as a test): what matches()
  // would silently find false for everyone. One message each, naming the
  // path, its kind and the test (expr_kinds.cpp).
  std::vector<std::string> kind_mismatches(const KindOf &kind_of) const;

 private:
  std::shared_ptr<const Node> root_;
  std::vector<std::string> paths_;
  std::vector<std::string> segments_;
  std::vector<HistoryTerm> history_;
  bool reads_clock_ = false;  // it holds now(): next_change_ms has a tree to walk
};

}  // namespace halo::segment
