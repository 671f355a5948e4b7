// expr_parser.cpp -- Expr::parse: a recursive-descent parser over the
// tokens of expr_lexer.h.
//
//   expr       := and ('or' and)*
//   and        := unary ('and' unary)*
//   unary      := 'not' unary | '(' expr ')' | 'exists' '(' path ')'
//                 | 'in_segment' '(' (name | string) ')'
//                 | 'did' event [window] | test
//   test       := operand [compare operand | 'in' '[' literals ']'
//                 | ('contains' | 'starts_with') literal | 'matches' string]
//   operand    := path | string | ['-'] number | 'true' | 'false' | 'null'
//                 | 'now' '(' ')' [('+' | '-') duration]
//                 | 'count' '(' event [window] ')'
//                 | ('sum' | 'avg' | 'min' | 'max') '(' event field [window] ')'
//   event      := word+ | string          (words end at a keyword)
//   field      := '.' path                (`Order Completed.revenue`,
//                                          `Order Completed.products[].price`)
//   window     := 'within' duration
// A path alone tests for `true`. Precedence: `not` over `and` over `or`.
// `did E within D` is `count(E within D) >= 1`.
#include <algorithm>
#include <array>

#include <halo/field_path.hpp>

#include "common/iso_time.h"
#include "common/time_units.h"
#include "config/suggest.h"
#include "segment/exact_number.h"
#include "segment/expr_ast.h"
#include "segment/expr_lexer.h"

namespace halo::segment {

namespace {

constexpr std::array<std::string_view, 3> kRoots = {"traits", "features", "identifiers"};
// The roots of an event filter's paths (ExprScope::kEvent): the event's own fields.
constexpr std::array<std::string_view, 3> kEventFieldRoots = {"properties", "context", "traits"};
constexpr std::array<std::string_view, 15> kKeywords = {
    "and",  "or",    "not",  "in",  "contains",   "starts_with", "matches", "exists",
    "true", "false", "null", "now", "in_segment", "did",         "within"};
constexpr std::array<std::string_view, 5> kHistoryOps = {"count", "sum", "avg", "min", "max"};
// Event paths a field may start with; any other field is a property.
constexpr std::array<std::string_view, 3> kEventRoots = {"properties.", "context.", "traits."};
constexpr int64_t kMaxWindowMs = int64_t{9'999'999} * kDayMs;  // as `aggregates` allows

bool is_keyword_text(std::string_view word) {
  return std::find(kKeywords.begin(), kKeywords.end(), word) != kKeywords.end();
}

bool is_keyword(const Token &t, std::string_view word) {
  return t.kind == Tok::kName && t.text == word;
}

std::string bad_brackets(const std::string &path) {
  return "'" + path +
         "': `[]` follows a key and ends it, before a '.' or another `[]` "
         "(properties.products[].sku)";
}

bool orders(Op op) {
  return op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ExprLimits &limits, ExprScope scope, ExprError &error,
         std::vector<std::string> &paths, std::vector<std::string> &segments,
         std::vector<HistoryTerm> &history, bool &reads_clock)
      : tokens_(std::move(tokens)),
        limits_(limits),
        scope_(scope),
        error_(error),
        paths_(paths),
        segments_(segments),
        history_(history),
        reads_clock_(reads_clock) {}

  std::unique_ptr<Expr::Node> parse() {
    auto root = expr(0);
    if (root && peek().kind != Tok::kEnd) return fail(peek(), "expected 'and', 'or' or the end");
    return root;
  }

 private:
  using NodePtr = std::unique_ptr<Expr::Node>;

  NodePtr expr(int depth) {
    NodePtr left = conjunction(depth);
    while (left && is_keyword(peek(), "or")) {
      take();
      left = join(Op::kOr, std::move(left), conjunction(depth));
    }
    return left;
  }

  NodePtr conjunction(int depth) {
    NodePtr left = unary(depth);
    while (left && is_keyword(peek(), "and")) {
      take();
      left = join(Op::kAnd, std::move(left), unary(depth));
    }
    return left;
  }

  NodePtr unary(int depth) {
    if (depth >= limits_.max_depth) {
      return fail(peek(), "nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    if (is_keyword(peek(), "not")) {
      take();
      NodePtr inner = unary(depth + 1);
      return inner ? join(Op::kNot, std::move(inner), nullptr) : nullptr;
    }
    if (peek().kind == Tok::kLParen) {
      take();
      NodePtr inner = expr(depth + 1);
      if (inner && !expect(Tok::kRParen, "')'")) return nullptr;
      return inner;
    }
    if (is_keyword(peek(), "exists")) return exists();
    if (is_keyword(peek(), "in_segment")) return profile_only(peek()) ? in_segment() : nullptr;
    if (is_keyword(peek(), "did")) return profile_only(peek()) ? did() : nullptr;
    return test();
  }

  // did Checkout Started within 1d: at least one such event in the window.
  NodePtr did() {
    take();
    auto node = std::make_unique<Expr::Node>();
    node->op = Op::kGe;
    HistoryTerm term;
    term.op = "count";
    if (!event_term(term, node->lhs)) return nullptr;
    node->rhs.kind = Operand::Kind::kNumber;
    node->rhs.text = "1";
    node->rhs.integer = 1;
    return node;
  }

  // After `count`: '(' event [field] [window] ')'.
  bool history(const Token &function, Operand &out) {
    take();  // '('
    HistoryTerm term;
    term.op = function.text;
    if (!event_term(term, out)) return false;
    return expect(Tok::kRParen, "')' after the event history");
  }

  // The event's name, its field and window into `term`; `out` becomes the
  // feature that holds the value.
  bool event_term(HistoryTerm &term, Operand &out) {
    const Token at = peek();
    if (!event_name(term)) return false;
    const bool needs_field = term.op != "count";
    if (needs_field && term.field.empty()) {
      return fail(at, term.op + "() needs a field after the event: " + term.op +
                          "(Order Completed.revenue)") != nullptr;
    }
    if (!needs_field && !term.field.empty()) {
      return fail(at, "count() and did take an event without a field") != nullptr;
    }
    if (is_keyword(peek(), "within")) {
      take();
      const Token d = take();
      if (d.kind != Tok::kDuration || d.ms <= 0 || d.ms % kMinuteMs != 0 || d.ms > kMaxWindowMs) {
        return fail(d,
                    "a window is a positive whole number of minutes, hours, days or weeks: "
                    "30m, 24h, 90d, 2w") != nullptr;
      }
      term.window_ms = d.ms;
    }
    term.feature = history_feature_name(term);
    out.kind = Operand::Kind::kPath;
    out.history = true;
    out.text = "features." + term.feature;
    const auto same = [&](const HistoryTerm &h) { return h.feature == term.feature; };
    if (std::none_of(history_.begin(), history_.end(), same)) history_.push_back(std::move(term));
    return true;
  }

  // 'Add-to-cart' or plain words up to a keyword; `Order Completed.revenue`
  // and 'Add-to-cart'.revenue name a field of the event.
  bool event_name(HistoryTerm &term) {
    const Token at = peek();
    std::string field;
    if (peek().kind == Tok::kString) {
      term.event = take().text;
      if (peek().kind == Tok::kName && peek().text.starts_with('.')) field = take().text.substr(1);
    } else {
      while (peek().kind == Tok::kName && !is_keyword_text(peek().text) && field.empty()) {
        const Token part = take();
        const std::string &word = part.text;
        const size_t dot = word.find('.');
        if (word.find('[') < dot) {
          return fail(part, "an event's name holding brackets is quoted: '" + word.substr(0, dot) +
                                "'") != nullptr;
        }
        if (!term.event.empty()) term.event += ' ';
        term.event += word.substr(0, dot);
        if (dot != std::string::npos) field = word.substr(dot + 1);
      }
    }
    if (term.event.empty()) {
      return fail(peek(),
                  "expected an event's name (quote one that is not plain words: "
                  "'Add-to-cart')") != nullptr;
    }
    if (!well_formed_elements(field)) return fail(at, bad_brackets(field)) != nullptr;
    if (!field.empty()) {
      const bool rooted = std::any_of(kEventRoots.begin(), kEventRoots.end(),
                                      [&](std::string_view r) { return field.starts_with(r); });
      term.field = rooted ? field : "properties." + field;
    }
    return true;
  }

  // The roots a path of this scope starts with.
  const std::array<std::string_view, 3> &roots() const {
    return scope_ == ExprScope::kEvent ? kEventFieldRoots : kRoots;
  }

  // "a., b. or c." for the roots of this scope.
  std::string roots_text() const {
    const auto &r = roots();
    return std::string(r[0]) + "., " + std::string(r[1]) + ". or " + std::string(r[2]) + ".";
  }

  // False (with the error) when `t` starts a term about the profile in an
  // event filter, which reads the one event only.
  bool profile_only(const Token &t) {
    if (scope_ == ExprScope::kProfile) return true;
    return fail(t, "'" + t.text + "' reads the profile; an event filter reads the event's own " +
                       "fields (" + roots_text() + ")") != nullptr;
  }

  // in_segment(vip) or in_segment('big-spenders'): a segment's name.
  NodePtr in_segment() {
    take();
    if (!expect(Tok::kLParen, "'(' after in_segment")) return nullptr;
    const Token name = take();
    const bool plain =
        !name.text.empty() && std::all_of(name.text.begin(), name.text.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        });
    if ((name.kind != Tok::kName && name.kind != Tok::kString) || !plain) {
      return fail(name, "in_segment() takes a segment's name ([a-z0-9_-]+)");
    }
    if (!expect(Tok::kRParen, "')'")) return nullptr;
    auto node = std::make_unique<Expr::Node>();
    node->op = Op::kInSegment;
    node->lhs.text = name.text;
    if (std::find(segments_.begin(), segments_.end(), name.text) == segments_.end()) {
      segments_.push_back(name.text);
    }
    return node;
  }

  NodePtr exists() {
    take();
    if (!expect(Tok::kLParen, "'(' after exists")) return nullptr;
    auto node = std::make_unique<Expr::Node>();
    node->op = Op::kExists;
    const Token &at = peek();
    if (!operand(node->lhs)) return nullptr;
    if (node->lhs.kind != Operand::Kind::kPath) return fail(at, "exists() takes a path");
    if (!expect(Tok::kRParen, "')'")) return nullptr;
    return node;
  }

  NodePtr test() {
    auto node = std::make_unique<Expr::Node>();
    const Token &first = peek();
    if (!operand(node->lhs)) return nullptr;
    const Token &op = peek();
    if (auto compare = comparison(op)) {
      take();
      node->op = *compare;
      const Token &second = peek();
      if (!operand(node->rhs)) return nullptr;
      return check_comparison(std::move(node), first, second);
    }
    if (node->lhs.kind != Operand::Kind::kPath) {
      return fail(op, "expected a comparison after this value");
    }
    if (is_keyword(op, "in")) return in_list(std::move(node));
    if (node->lhs.history) {
      return fail(op, "an event history is a number; compare it, e.g. count(...) >= 2");
    }
    if (is_keyword(op, "contains") || is_keyword(op, "starts_with")) {
      take();
      node->op = op.text == "contains" ? Op::kContains : Op::kStartsWith;
      const Token &what = peek();
      if (!operand(node->rhs)) return nullptr;
      if (node->rhs.kind != Operand::Kind::kString) {
        return fail(what, "'" + op.text + "' takes a quoted string");
      }
      return node;
    }
    if (is_keyword(op, "matches")) return pattern(std::move(node));
    // A path alone: is it true?
    node->op = Op::kEq;
    node->rhs.kind = Operand::Kind::kBool;
    node->rhs.boolean = true;
    return node;
  }

  NodePtr in_list(NodePtr node) {
    take();
    node->op = Op::kIn;
    if (!expect(Tok::kLBracket, "'[' after in")) return nullptr;
    while (peek().kind != Tok::kRBracket) {
      if (!node->list.empty() && !expect(Tok::kComma, "',' or ']'")) return nullptr;
      const Token &item = peek();
      Operand literal;
      if (!operand(literal)) return nullptr;
      if (literal.kind == Operand::Kind::kPath || literal.kind == Operand::Kind::kNow) {
        return fail(item, "an 'in' list holds quoted strings, numbers and true or false");
      }
      if (node->list.size() == limits_.max_list) {
        return fail(item, "more than " + std::to_string(limits_.max_list) + " items in one list");
      }
      node->list.push_back(std::move(literal));
    }
    take();
    return node;
  }

  NodePtr pattern(NodePtr node) {
    take();
    node->op = Op::kMatches;
    const Token &at = peek();
    if (!operand(node->rhs)) return nullptr;
    if (node->rhs.kind != Operand::Kind::kString) {
      return fail(at, "'matches' takes a regular expression in quotes");
    }
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(int64_t{8} << 20);  // a bounded automaton: hostile patterns fail here
    node->pattern = std::make_unique<RE2>(node->rhs.text, options);
    if (!node->pattern->ok()) {
      return fail(at, "not a regular expression (RE2 syntax): " + node->pattern->error());
    }
    return node;
  }

  NodePtr check_comparison(NodePtr node, const Token &first, const Token &second) {
    using K = Operand::Kind;
    const bool lhs_path = node->lhs.kind == K::kPath, rhs_path = node->rhs.kind == K::kPath;
    if (!lhs_path && !rhs_path) return fail(first, "a comparison needs a path on one side");
    const auto unordered = [](const Operand &o) {
      return o.kind == K::kBool || o.kind == K::kNull;
    };
    if (orders(node->op) && (unordered(node->lhs) || unordered(node->rhs))) {
      return fail(unordered(node->lhs) ? first : second,
                  "true, false and null have no order; compare them with == or !=");
    }
    const auto text = [](const Operand &o) {
      return o.kind == K::kString || o.kind == K::kBool || o.kind == K::kNow;
    };
    if ((node->lhs.history && text(node->rhs)) || (node->rhs.history && text(node->lhs))) {
      return fail(node->lhs.history ? second : first,
                  "an event history is a number; compare it with a number");
    }
    return node;
  }

  // Reads one operand into `out`; false (error set) when there is none.
  bool operand(Operand &out) {
    const Token t = take();
    using K = Operand::Kind;
    switch (t.kind) {
      case Tok::kString:
        out.kind = K::kString;
        out.text = t.text;
        out.time_ms = parse_iso8601_ms(t.text);
        return true;
      case Tok::kNumber:
        out.kind = K::kNumber;
        out.text = t.text;
        out.integer = small_integer(out.text);
        return true;
      case Tok::kMinus:
        if (peek().kind != Tok::kNumber) return fail(t, "expected a number after '-'") != nullptr;
        out.kind = K::kNumber;
        out.text = "-" + take().text;
        out.integer = small_integer(out.text);
        return true;
      case Tok::kName:
        return name(t, out);
      default:
        return fail(t, t.kind == Tok::kEnd
                           ? "the expression ends here; expected a value"
                           : "expected a path, a quoted string or a number") != nullptr;
    }
  }

  bool name(const Token &t, Operand &out) {
    using K = Operand::Kind;
    if (t.text == "true" || t.text == "false") {
      out.kind = K::kBool;
      out.boolean = t.text == "true";
      return true;
    }
    if (t.text == "null") {
      out.kind = K::kNull;
      return true;
    }
    if (t.text == "now") return now(out);
    if (peek().kind == Tok::kLParen &&
        std::find(kHistoryOps.begin(), kHistoryOps.end(), t.text) != kHistoryOps.end()) {
      return profile_only(t) && history(t, out);
    }
    if (is_keyword_text(t.text)) {
      return fail(t, "'" + t.text + "' is a keyword; expected a value") != nullptr;
    }
    const std::string root = t.text.substr(0, t.text.find('.'));
    const auto &known = roots();
    if (std::find(known.begin(), known.end(), root) == known.end() || root == t.text) {
      const std::string hint = root == t.text ? "" : suggest(root, {known.begin(), known.end()});
      return fail(t, "unknown name '" + t.text + "'" +
                         (hint.empty() ? " (a path starts with " + roots_text() + ")"
                                       : " (did you mean '" + hint + t.text.substr(root.size()) +
                                             "'?)")) != nullptr;
    }
    if (!well_formed_elements(t.text)) return fail(t, bad_brackets(t.text)) != nullptr;
    out.elements = names_elements(t.text);
    if (out.elements && scope_ == ExprScope::kProfile) {
      return fail(t, "'" + t.text +
                         "': `[]` names the elements of an event's list, which a profile does "
                         "not keep; write it in a trigger's on.where or in an event-history "
                         "field (sum(Order Completed.products[].price))") != nullptr;
    }
    out.kind = K::kPath;
    out.text = t.text;
    auto known_path = std::find(paths_.begin(), paths_.end(), t.text);
    out.path_index = static_cast<int32_t>(known_path - paths_.begin());
    if (known_path == paths_.end()) paths_.push_back(t.text);
    return true;
  }

  bool now(Operand &out) {
    out.kind = Operand::Kind::kNow;
    reads_clock_ = true;
    if (!expect(Tok::kLParen, "'(' after now") || !expect(Tok::kRParen, "')'")) return false;
    if (peek().kind != Tok::kPlus && peek().kind != Tok::kMinus) return true;
    const bool minus = take().kind == Tok::kMinus;
    const Token &d = peek();
    if (d.kind != Tok::kDuration) {
      return fail(d, "expected a duration such as 30d after now() " +
                         std::string(minus ? "-" : "+")) != nullptr;
    }
    out.offset_ms = minus ? -take().ms : take().ms;
    return true;
  }

  static std::optional<Op> comparison(const Token &t) {
    switch (t.kind) {
      case Tok::kEq:
        return Op::kEq;
      case Tok::kNe:
        return Op::kNe;
      case Tok::kLt:
        return Op::kLt;
      case Tok::kLe:
        return Op::kLe;
      case Tok::kGt:
        return Op::kGt;
      case Tok::kGe:
        return Op::kGe;
      default:
        return std::nullopt;
    }
  }

  NodePtr join(Op op, NodePtr left, NodePtr right) {
    if (!left || (op != Op::kNot && !right)) return nullptr;
    auto node = std::make_unique<Expr::Node>();
    node->op = op;
    node->left = std::move(left);
    node->right = std::move(right);
    return node;
  }

  bool expect(Tok kind, const char *what) {
    if (peek().kind == kind) {
      take();
      return true;
    }
    return fail(peek(), std::string("expected ") + what) != nullptr;
  }

  const Token &peek() const { return tokens_[pos_]; }
  Token take() { return pos_ + 1 < tokens_.size() ? tokens_[pos_++] : tokens_[pos_]; }
  NodePtr fail(const Token &at, std::string message) {
    if (error_.message.empty()) error_ = {at.column, std::move(message)};
    return nullptr;
  }

  std::vector<Token> tokens_;
  const ExprLimits &limits_;
  ExprScope scope_;
  ExprError &error_;
  std::vector<std::string> &paths_;
  std::vector<std::string> &segments_;
  std::vector<HistoryTerm> &history_;
  bool &reads_clock_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<Expr> Expr::parse(std::string_view text, ExprError &error, const ExprLimits &limits,
                                ExprScope scope) {
  error = {};
  if (text.size() > limits.max_bytes) {
    error = {1, "longer than " + std::to_string(limits.max_bytes) + " bytes"};
    return std::nullopt;
  }
  std::vector<Token> tokens;
  if (!tokenize(text, tokens, error)) return std::nullopt;
  Expr out;
  auto root = Parser(std::move(tokens), limits, scope, error, out.paths_, out.segments_,
                     out.history_, out.reads_clock_)
                  .parse();
  if (!root) return std::nullopt;
  out.root_ = std::move(root);
  return out;
}

}  // namespace halo::segment
