// expr_ast.h -- the parsed form of a segment expression (segment_expr.h):
// a tree of boolean nodes whose leaves compare operands.
//
// Invariants (checked by the parser): a comparison's operands can be
// compared by its operator (no ordering of booleans, a string pattern for
// `matches` with its RE2 compiled); `and`/`or` have two children, `not`
// one; an `in` list holds only literals.
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "segment/segment_expr.h"

namespace halo::segment {

// A literal or what the profile holds, as an operand.
struct Operand {
  enum class Kind : uint8_t { kPath, kString, kNumber, kBool, kNow, kNull };
  Kind kind = Kind::kNull;
  std::string text;                // kPath: the path; kString: the text; kNumber: ASCII number text
  bool boolean = false;            // kBool
  int64_t offset_ms = 0;           // kNow: now() + offset_ms
  std::optional<int64_t> time_ms;  // kString: the text read as an ISO 8601 time, if it is one
  std::optional<int64_t> integer;  // kNumber: the text as an integer, if small_integer() reads one
  bool history = false;            // kPath: an event-history value (a number or null)
  bool elements = false;           // kPath: names list elements (`[]`, ExprScope::kEvent only)
  int32_t path_index = -1;         // kPath: its index in Expr::paths(); -1 for a history value
};

enum class Op : uint8_t {
  kAnd,
  kOr,
  kNot,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kIn,
  kContains,
  kStartsWith,
  kMatches,
  kExists,
  kInSegment,  // lhs.text: the segment's name
};

struct Expr::Node {
  Op op = Op::kAnd;
  std::unique_ptr<Node> left, right;  // kAnd, kOr (both), kNot (left)
  Operand lhs, rhs;                   // comparisons; kExists: lhs only
  std::vector<Operand> list;          // kIn
  std::unique_ptr<RE2> pattern;       // kMatches
};

}  // namespace halo::segment
