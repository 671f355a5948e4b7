// expr_kinds.cpp -- Expr::kind_mismatches: the tests of an expression that
// the kinds of its paths make false for every profile (segment_expr.h).
//
// What each kind can be tested against follows expr_eval.cpp: numbers
// against numbers; times against now() and ISO 8601 text; text (and lists
// of text, item by item) against text and now() (text holding an ISO 8601
// time), and with contains, starts_with and matches; true and false against
// themselves. Null (`== null`) suits every kind. A path whose kind is not
// known, and a test between two paths, are not judged.
#include "segment/expr_ast.h"

namespace halo::segment {

namespace {

using K = Operand::Kind;

const char *kind_name(TypedKind kind) {
  switch (kind) {
    case TypedKind::kBool:
      return "true or false";
    case TypedKind::kInteger:
    case TypedKind::kDecimal:
    case TypedKind::kDouble:
      return "a number";
    case TypedKind::kString:
      return "text";
    case TypedKind::kTimestamp:
      return "a time";
    case TypedKind::kStringList:
      return "a list of text";
    case TypedKind::kNull:
      break;
  }
  return "nothing";
}

const char *literal_name(const Operand &o) {
  switch (o.kind) {
    case K::kString:
      return o.time_ms ? "a time" : "text";
    case K::kNumber:
      return "a number";
    case K::kBool:
      return "true or false";
    case K::kNow:
      return "now()";
    case K::kNull:
    case K::kPath:
      break;
  }
  return "null";
}

bool is_text(TypedKind k) {
  return k == TypedKind::kString || k == TypedKind::kStringList;
}

// Whether a value of kind `k` can pass `op` against the literal `o`.
bool suits(TypedKind k, Op op, const Operand &o) {
  if (o.kind == K::kNull) return true;
  if (op == Op::kContains || op == Op::kStartsWith || op == Op::kMatches) return is_text(k);
  switch (k) {
    case TypedKind::kInteger:
    case TypedKind::kDecimal:
    case TypedKind::kDouble:
      return o.kind == K::kNumber;
    case TypedKind::kTimestamp:
      return o.kind == K::kNow || (o.kind == K::kString && o.time_ms.has_value());
    case TypedKind::kString:
    case TypedKind::kStringList:
      return o.kind == K::kString || o.kind == K::kNow;
    case TypedKind::kBool:
      return o.kind == K::kBool;
    case TypedKind::kNull:
      break;
  }
  return true;
}

void check(const Expr::Node &n, const Expr::KindOf &kind_of, std::vector<std::string> &out) {
  if (n.left) check(*n.left, kind_of, out);
  if (n.right) check(*n.right, kind_of, out);
  if (n.op == Op::kAnd || n.op == Op::kOr || n.op == Op::kNot || n.op == Op::kExists ||
      n.op == Op::kInSegment) {
    return;
  }
  // The path and what it is tested against, either side of the operator.
  const bool path_left = n.lhs.kind == K::kPath;
  const Operand &path = path_left ? n.lhs : n.rhs;
  if (path.kind != K::kPath || path.history || (path_left && n.rhs.kind == K::kPath)) return;
  const std::optional<TypedKind> kind = kind_of(path.text);
  if (!kind || *kind == TypedKind::kNull) return;
  const std::vector<Operand> single{path_left ? n.rhs : n.lhs};
  for (const Operand &literal : n.op == Op::kIn ? n.list : single) {
    if (suits(*kind, n.op, literal)) continue;
    const bool text_test = n.op == Op::kContains || n.op == Op::kStartsWith || n.op == Op::kMatches;
    const std::string what = text_test ? "'" +
                                             std::string(n.op == Op::kContains     ? "contains"
                                                         : n.op == Op::kStartsWith ? "starts_with"
                                                                                   : "matches") +
                                             "', a test of text,"
                                       : std::string("comparing it with ") + literal_name(literal);
    out.push_back(path.text + " holds " + kind_name(*kind) + "; " + what +
                  " is false for every profile");
    return;  // one message per test
  }
}

}  // namespace

std::vector<std::string> Expr::kind_mismatches(const KindOf &kind_of) const {
  std::vector<std::string> out;
  if (root_) check(*root_, kind_of, out);
  return out;
}

}  // namespace halo::segment
