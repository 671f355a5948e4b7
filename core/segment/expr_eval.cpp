// expr_eval.cpp -- Expr::matches: a profile's values against the parsed
// tree (expr_ast.h).
//
// Each operand becomes a Scalar (a number as its exact text or as an
// integer, a string, a time in ms, a boolean, null, or a list of strings);
// two scalars compare only when their kinds agree (a time also against a
// string that reads as an ISO 8601 time). A list (a profile's list of
// text, or an event's list elements named with `[]`) satisfies a test when
// one of its items does, and `!=` when none equals.
#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/iso_time.h"
#include "segment/exact_number.h"
#include "segment/expr_ast.h"

namespace halo::segment {

namespace {

struct Scalar {
  enum class Kind : uint8_t { kAbsent, kNull, kNumber, kString, kTime, kBool, kList };
  Kind kind = Kind::kAbsent;
  bool boolean = false;
  // The optionals below as flags beside their values: the whole object is
  // 64 bytes, which the compiler clears with four vector stores; at 88
  // bytes it used `rep stos`, two thirds of building one on AMD EPYC.
  bool has_integer = false;  // kNumber: an integer value (its text unwritten)
  bool has_time = false;     // kTime; a string literal that reads as a time
  int64_t integer_value = 0;
  // A value's string is read as a time only when compared with one
  // (Subject::time_of_text).
  int64_t time_value = 0;
  // kNumber, kString: a view into the profile's value, the event's or the
  // expression's text (each outlives the evaluation).
  std::string_view view;
  // kNumber: a double (its text written only when compared); kList: a
  // profile's list of text (read only when tested). Trivially destroyed:
  // a condition builds two scalars, a profile hundreds.
  const TypedValue *value = nullptr;
  std::span<const TypedValue> elements;  // kList of an event's list elements (`[]`)

  std::optional<int64_t> integer() const {
    return has_integer ? std::optional<int64_t>(integer_value) : std::nullopt;
  }
  std::optional<int64_t> time_ms() const {
    return has_time ? std::optional<int64_t>(time_value) : std::nullopt;
  }
  void set_integer(std::optional<int64_t> i) {
    has_integer = i.has_value();
    integer_value = i.value_or(0);
  }
  void set_time(std::optional<int64_t> t) {
    has_time = t.has_value();
    time_value = t.value_or(0);
  }
};
static_assert(sizeof(Scalar) <= 64, "cleared without rep stos; see above");

// YYYY-MM-DD...: worth trying to read as a time.
bool looks_like_date(std::string_view t) {
  auto digit = [&](size_t i) { return t[i] >= '0' && t[i] <= '9'; };
  return t.size() >= 10 && digit(0) && digit(1) && digit(2) && digit(3) && t[4] == '-' &&
         digit(5) && digit(6) && t[7] == '-' && digit(8) && digit(9);
}

Scalar from_value(const TypedValue *v) {
  Scalar s;
  if (v == nullptr) return s;
  using K = Scalar::Kind;
  switch (v->kind()) {
    case TypedKind::kNull:
      s.kind = K::kNull;
      break;
    case TypedKind::kBool:
      s.kind = K::kBool;
      s.boolean = v->as_bool();
      break;
    case TypedKind::kInteger:
      s.kind = K::kNumber;
      s.set_integer(v->as_integer());
      break;
    case TypedKind::kDecimal:
      s.kind = K::kNumber;
      s.view = v->text();
      break;
    case TypedKind::kDouble:
      s.kind = K::kNumber;
      s.value = v;
      break;
    case TypedKind::kString:
      s.kind = K::kString;
      s.view = v->text();
      break;
    case TypedKind::kTimestamp:
      s.kind = K::kTime;
      s.set_time(v->as_integer());
      break;
    case TypedKind::kStringList:
      s.kind = K::kList;
      s.value = v;
      break;
  }
  return s;
}

// An operand that is not a path. One object, returned from one place: the
// result is built where the caller keeps it (building it on the stack and
// copying it out was a tenth of an evaluation).
Scalar from_literal(const Operand &o, const Subject &subject) {
  using K = Scalar::Kind;
  Scalar s;
  switch (o.kind) {
    case Operand::Kind::kString:
      s.kind = K::kString;
      s.view = o.text;
      s.set_time(o.time_ms);
      break;
    case Operand::Kind::kNumber:
      s.kind = K::kNumber;
      s.view = o.text;
      s.set_integer(o.integer);  // read once, when parsed
      break;
    case Operand::Kind::kBool:
      s.kind = K::kBool;
      s.boolean = o.boolean;
      break;
    case Operand::Kind::kNow:
      s.kind = K::kTime;
      s.set_time(subject.now_ms() + o.offset_ms);
      break;
    case Operand::Kind::kNull:
      s.kind = K::kNull;
      break;
    case Operand::Kind::kPath:  // read by from_operand, never here
      break;
  }
  return s;
}

// An event's list elements named with `[]`; none: absent.
Scalar from_elements(std::span<const TypedValue> elements) {
  Scalar s;
  s.elements = elements;
  if (!elements.empty()) s.kind = Scalar::Kind::kList;
  return s;
}

Scalar from_operand(const Operand &o, const Subject &subject) {
  if (o.kind != Operand::Kind::kPath) return from_literal(o, subject);
  if (o.elements) return from_elements(subject.elements(o.text));
  return from_value(o.path_index >= 0 ? subject.value_at(static_cast<size_t>(o.path_index), o.text)
                                      : subject.value(o.text));
}

int sign(int64_t a, int64_t b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

// A number's text: its view, or a double's or an integer's written into
// `buffer`.
std::string_view number_text(const Scalar &s, std::string &buffer) {
  if (s.has_integer) {
    buffer = std::to_string(s.integer_value);
  } else if (s.value != nullptr) {
    buffer = s.value->number_text();
  } else {
    return s.view;
  }
  return buffer;
}

// What compare() gives for two values that have no order (kinds that do
// not compare, a text that is not a number). A plain int, not an
// optional<int>: built from two narrow stores and read back as one wide
// load, the optional stalled store forwarding on every comparison.
constexpr int kUnordered = 2;

int compare_as_numbers(const Scalar &a, const Scalar &b) {
  const std::optional<int64_t> i = a.has_integer ? a.integer() : small_integer(a.view);
  const std::optional<int64_t> j = b.has_integer ? b.integer() : small_integer(b.view);
  if (i && j) return sign(*i, *j);
  std::string x, y;
  return compare_numbers(number_text(a, x), number_text(b, y)).value_or(kUnordered);
}

// A scalar as a time: a time, a string literal that reads as one, or a
// value's string that does (a feature or trait may carry a time as ISO 8601
// text, a plugin's string value: it then compares with now() too).
std::optional<int64_t> time_of(const Scalar &s, const Subject &subject) {
  if (s.has_time || s.kind != Scalar::Kind::kString || !looks_like_date(s.view)) return s.time_ms();
  return subject.time_of_text(s.view);
}

// -1, 0, 1; kUnordered when the two cannot be compared.
int compare(const Scalar &a, const Scalar &b, const Subject &subject) {
  using K = Scalar::Kind;
  if (a.kind == K::kNumber && b.kind == K::kNumber) return compare_as_numbers(a, b);
  if (a.kind == K::kString && b.kind == K::kString) {
    const int c = a.view.compare(b.view);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (a.kind == K::kTime || b.kind == K::kTime) {
    const std::optional<int64_t> x = time_of(a, subject), y = time_of(b, subject);
    if (x && y) return sign(*x, *y);
  }
  if (a.kind == K::kBool && b.kind == K::kBool) return a.boolean == b.boolean ? 0 : 1;
  return kUnordered;
}

bool holds(Op op, int c) {
  if (c == kUnordered) return false;
  switch (op) {
    case Op::kEq:
      return c == 0;
    case Op::kNe:
      return c != 0;
    case Op::kLt:
      return c < 0;
    case Op::kLe:
      return c <= 0;
    case Op::kGt:
      return c > 0;
    case Op::kGe:
      return c >= 0;
    default:
      return false;
  }
}

// The items of a kList, a profile's text or an event's elements, in order
// and each as a value of its own; read in place (a vector of them was an
// allocation per test).
class ListItems {
 public:
  explicit ListItems(const Scalar &list) : text_(list.value), elements_(list.elements) {}
  // The next item into `out`; false after the last.
  bool next(Scalar &out) {
    std::string_view item;
    if (text_ != nullptr && text_->next_item(pos_, item)) {
      out = Scalar{};
      out.kind = Scalar::Kind::kString;
      out.view = item;
      return true;
    }
    if (element_ == elements_.size()) return false;
    out = from_value(&elements_[element_++]);
    return true;
  }

 private:
  const TypedValue *text_;  // a profile's list of text, or nullptr
  size_t pos_ = 0;          // in text_'s encoding
  std::span<const TypedValue> elements_;
  size_t element_ = 0;
};

// A test of one (non-list) value by `op` (the node's, or == for a list's
// !=).
bool test_one(const Expr::Node &n, Op op, const Scalar &v, const Scalar &rhs,
              const Subject &subject) {
  switch (op) {
    case Op::kIn:
      for (const Operand &o : n.list) {
        if (holds(Op::kEq, compare(v, from_operand(o, subject), subject))) return true;
      }
      return false;
    case Op::kContains:
      return v.kind == Scalar::Kind::kString && v.view.find(n.rhs.text) != std::string::npos;
    case Op::kStartsWith:
      return v.kind == Scalar::Kind::kString && v.view.starts_with(n.rhs.text);
    case Op::kMatches:
      return v.kind == Scalar::Kind::kString && RE2::PartialMatch(v.view, *n.pattern);
    default:
      return holds(op, compare(v, rhs, subject));
  }
}

bool test(const Expr::Node &n, const Subject &subject) {
  const Scalar lhs = from_operand(n.lhs, subject);
  using K = Scalar::Kind;
  if (n.op == Op::kExists) return lhs.kind != K::kAbsent && lhs.kind != K::kNull;
  // `== null`: absent or null; `!= null`: a value.
  const bool equality = n.op == Op::kEq || n.op == Op::kNe;
  if (equality && (n.rhs.kind == Operand::Kind::kNull || n.lhs.kind == Operand::Kind::kNull)) {
    const Scalar other = n.lhs.kind == Operand::Kind::kNull ? from_operand(n.rhs, subject) : lhs;
    const bool none = other.kind == K::kAbsent || other.kind == K::kNull;
    return n.op == Op::kEq ? none : (n.op == Op::kNe && !none);
  }
  const bool has_rhs = n.op != Op::kIn && n.op != Op::kMatches;
  const Scalar rhs = has_rhs ? from_operand(n.rhs, subject) : Scalar{};
  if (lhs.kind != K::kList && rhs.kind != K::kList) return test_one(n, n.op, lhs, rhs, subject);
  const Op op = n.op == Op::kNe ? Op::kEq : n.op;
  bool any = false;
  Scalar item;
  if (lhs.kind == K::kList) {
    ListItems items(lhs);
    while (!any && items.next(item)) any = test_one(n, op, item, rhs, subject);
  } else {
    ListItems items(rhs);
    while (!any && items.next(item)) any = holds(op, compare(lhs, item, subject));
  }
  return n.op == Op::kNe ? !any : any;
}

bool eval(const Expr::Node &n, const Subject &subject) {
  switch (n.op) {
    case Op::kAnd:
      return eval(*n.left, subject) && eval(*n.right, subject);
    case Op::kOr:
      return eval(*n.left, subject) || eval(*n.right, subject);
    case Op::kNot:
      return !eval(*n.left, subject);
    case Op::kInSegment:
      return subject.in_segment(n.lhs.text);
    default:
      return test(n, subject);
  }
}

// The times after `now` at which `time` compared with now() + offset may
// change: when they are equal and the millisecond after.
void crossings(int64_t time, int64_t offset_ms, int64_t now, std::optional<int64_t> &earliest) {
  int64_t at = 0;
  if (__builtin_sub_overflow(time, offset_ms, &at)) return;
  for (int64_t t : {at, at + (at < INT64_MAX ? 1 : 0)}) {
    if (t > now && (!earliest || t < *earliest)) earliest = t;
  }
}

// A comparison of `other` with `clock` (a kNow operand).
void clock_test(const Operand &clock, const Operand &other, const Subject &subject,
                std::optional<int64_t> &earliest) {
  if (other.kind == Operand::Kind::kNow) return;  // moves with it
  const std::optional<int64_t> time = time_of(from_operand(other, subject), subject);
  if (time) crossings(*time, clock.offset_ms, subject.now_ms(), earliest);
}

void next_change(const Expr::Node &n, const Subject &subject, std::optional<int64_t> &earliest) {
  using K = Operand::Kind;
  switch (n.op) {
    case Op::kAnd:
    case Op::kOr:
      next_change(*n.left, subject, earliest);
      next_change(*n.right, subject, earliest);
      return;
    case Op::kNot:
      next_change(*n.left, subject, earliest);
      return;
    case Op::kInSegment:  // the referenced segment's own times count (SegmentSet)
      return;
    default:  // an `in` list holds no now() (the parser refuses it)
      if (n.lhs.kind == K::kNow) clock_test(n.lhs, n.rhs, subject, earliest);
      if (n.rhs.kind == K::kNow) clock_test(n.rhs, n.lhs, subject, earliest);
  }
}

}  // namespace

std::optional<int64_t> Subject::time_of_text(std::string_view text) const {
  // Before the first read, the empty text and no time: what parsing "" gives.
  const std::string_view last(last_time_text_.data(), last_time_size_);
  if (text == last) return last_time_;
  const std::optional<int64_t> time = parse_iso8601_ms(text);
  if (text.size() <= last_time_text_.size()) {
    std::copy(text.begin(), text.end(), last_time_text_.begin());
    last_time_size_ = text.size();
    last_time_ = time;
  }
  return time;
}

std::optional<int64_t> Expr::next_change_ms(const Subject &subject) const {
  std::optional<int64_t> earliest;
  if (root_ != nullptr && reads_clock_) next_change(*root_, subject, earliest);
  return earliest;
}

bool Expr::matches(const Subject &subject) const {
  return root_ != nullptr && eval(*root_, subject);
}

}  // namespace halo::segment
