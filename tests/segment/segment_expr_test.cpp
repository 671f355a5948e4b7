// segment_expr_test.cpp -- the segment language's expressions: every
// operator on every kind of value, absent values, exact numbers, Persian
// digits and text, lists, times, and parse errors with their columns.
#include "segment/segment_expr.h"

#include <gtest/gtest.h>

#include <map>

#include "common/time_units.h"

namespace halo::segment {
namespace {

constexpr int64_t kNow = 1'719'705'600'000;  // 2024-06-30T00:00:00Z

class Profile : public Subject {
 public:
  Profile() {
    values_["traits.city"] = TypedValue::string("تهران");
    values_["traits.email"] = TypedValue::string("sara@example.ir");
    values_["traits.vip"] = TypedValue::boolean(true);
    values_["traits.nickname"] = TypedValue::null();
    values_["features.order_count"] = TypedValue::integer(2);
    values_["features.revenue"] = TypedValue::decimal("19.90");
    values_["features.p_alive"] = TypedValue::real(0.25);
    values_["features.rfm_segment"] = TypedValue::string("At Risk");
    values_["features.last_seen"] = TypedValue::timestamp(kNow - 40 * kDayMs);
    values_["features.count(Order Completed within 90d)"] = TypedValue::integer(3);
    values_["features.count(Checkout Started within 1d)"] = TypedValue::integer(1);
    values_["features.count(Order Completed within 1d)"] = TypedValue::integer(0);
    values_["features.sum(Order Completed, properties/revenue within 365d)"] =
        TypedValue::decimal("5000000.50");
    values_["identifiers.email"] =
        TypedValue::string_list({"sara@example.ir", "s.ahmadi@mail.com"});
  }
  const TypedValue *value(std::string_view path) const override {
    auto it = values_.find(std::string(path));
    return it == values_.end() ? nullptr : &it->second;
  }
  int64_t now_ms() const override { return kNow; }

 private:
  std::map<std::string, TypedValue> values_;
};

bool eval(const std::string &text) {
  ExprError error;
  auto expr = Expr::parse(text, error);
  EXPECT_TRUE(expr.has_value()) << text << ": column " << error.column << ": " << error.message;
  return expr && expr->matches(Profile());
}

ExprError error_of(const std::string &text) {
  ExprError error;
  EXPECT_FALSE(Expr::parse(text, error).has_value()) << text;
  return error;
}

// Records how each value is asked for.
class Recording : public Profile {
 public:
  const TypedValue *value_at(size_t index, std::string_view path) const override {
    asked.push_back(std::to_string(index) + " " + std::string(path));
    return value(path);
  }
  mutable std::vector<std::string> asked;
};

TEST(SegmentExpr, APathIsAskedForByItsIndexInPaths) {
  ExprError error;
  auto expr = Expr::parse(
      "features.order_count > 1 and (traits.city == 'x' or features.order_count < 9) and "
      "count(Order Completed within 90d) >= 2",
      error);
  ASSERT_TRUE(expr.has_value()) << error.message;
  EXPECT_EQ(expr->paths(), (std::vector<std::string>{"features.order_count", "traits.city"}));
  Recording subject;
  EXPECT_TRUE(expr->matches(subject));
  // The history value is read by its name, not by an index of paths().
  EXPECT_EQ(subject.asked, (std::vector<std::string>{"0 features.order_count", "1 traits.city",
                                                     "0 features.order_count"}));
}

TEST(SegmentExpr, NumbersCompareExactlyWhateverTheirKind) {
  EXPECT_TRUE(eval("features.revenue == 19.9"));
  EXPECT_TRUE(eval("features.revenue > 19.89 and features.revenue < 19.900000000000001"));
  EXPECT_TRUE(eval("features.order_count >= 2 and features.order_count <= 2"));
  EXPECT_FALSE(eval("features.order_count != 2"));
  EXPECT_TRUE(eval("features.p_alive < 0.5 and features.p_alive > -1"));
  EXPECT_TRUE(eval("features.order_count == ۲"));  // Persian digits
  EXPECT_TRUE(eval("features.revenue == ١٩٫٩"));   // Arabic-Indic, Arabic decimal point
  EXPECT_TRUE(eval("2 <= features.order_count"));  // a literal on the left
}

TEST(SegmentExpr, StringsInListsAndPatterns) {
  EXPECT_TRUE(eval("traits.city == 'تهران'"));
  EXPECT_TRUE(eval(R"(traits.city != "Tabriz")"));
  EXPECT_TRUE(eval("features.rfm_segment in ['At Risk', 'Cannot Lose Them']"));
  EXPECT_FALSE(eval("features.rfm_segment in ['Champions', 2, true]"));
  EXPECT_FALSE(eval("features.rfm_segment in []"));
  EXPECT_TRUE(eval("traits.email contains '@example'"));
  EXPECT_TRUE(eval("traits.email starts_with 'sara'"));
  EXPECT_FALSE(eval("traits.email starts_with 'Sara'"));
  EXPECT_TRUE(eval(R"(traits.email matches '@example\.ir$')"));
  EXPECT_TRUE(eval("traits.city matches '^ته'"));
  EXPECT_TRUE(eval(R"(traits.email == 'it\'s' or traits.email == "sara@example.ir")"));
  EXPECT_TRUE(eval("traits.city > 'A'"));  // strings order by their bytes
}

TEST(SegmentExpr, AListHoldsATestWhenOneOfItsItemsDoes) {
  EXPECT_TRUE(eval("identifiers.email == 's.ahmadi@mail.com'"));
  EXPECT_FALSE(eval("identifiers.email != 's.ahmadi@mail.com'"));
  EXPECT_TRUE(eval("identifiers.email != 'nobody@mail.com'"));
  EXPECT_TRUE(eval("'sara@example.ir' == identifiers.email"));
  EXPECT_TRUE(eval("identifiers.email matches '@mail\\.com$'"));
  EXPECT_TRUE(eval("identifiers.email in ['x@y.z', 'sara@example.ir']"));
  EXPECT_TRUE(eval("identifiers.email contains 'ahmadi'"));
}

TEST(SegmentExpr, TimesAgainstNowAndIsoText) {
  EXPECT_TRUE(eval("features.last_seen < now() - 30d"));
  EXPECT_FALSE(eval("features.last_seen < now() - 6w"));
  EXPECT_TRUE(eval("features.last_seen >= now() - 40d"));
  EXPECT_TRUE(eval("features.last_seen < now() + 1h"));
  EXPECT_TRUE(eval("features.last_seen == '2024-05-21T00:00:00Z'"));
  EXPECT_TRUE(eval("features.last_seen > '2024-05-20'"));
  EXPECT_FALSE(eval("features.last_seen > 'yesterday'"));  // not a time: not comparable
}

TEST(SegmentExpr, AbsentNullAndMismatchedValuesNeverMatch) {
  EXPECT_FALSE(eval("traits.age > 30"));
  EXPECT_TRUE(eval("not traits.age > 30"));
  EXPECT_FALSE(eval("traits.age != 30"));
  EXPECT_FALSE(eval("traits.city > 3"));              // a string against a number
  EXPECT_FALSE(eval("features.order_count == '2'"));  // a number against a string
  EXPECT_TRUE(eval("traits.age == null and traits.nickname == null"));
  EXPECT_TRUE(eval("traits.city != null and not (traits.nickname != null)"));
  EXPECT_TRUE(eval("exists(traits.city) and not exists(traits.nickname)"));
  EXPECT_FALSE(eval("exists(traits.age)"));
  EXPECT_TRUE(eval("traits.vip and traits.vip == true and traits.vip != false"));
  EXPECT_FALSE(eval("traits.city"));  // a string is not true
}

TEST(SegmentExpr, NotBindsTighterThanAndThanOr) {
  EXPECT_TRUE(eval("traits.vip or traits.age > 1 and traits.age < 0"));
  EXPECT_FALSE(eval("(traits.vip or traits.age > 1) and traits.age < 0"));
  EXPECT_TRUE(eval("not traits.age > 1 and traits.vip"));
  EXPECT_FALSE(eval("not (traits.vip and traits.city == 'تهران')"));
  EXPECT_TRUE(eval("not not traits.vip"));
}

TEST(SegmentExpr, PathsAreListedOnce) {
  ExprError error;
  auto expr =
      Expr::parse("traits.a > 1 or (traits.b == 2 and traits.a < 5) or exists(features.c)", error);
  ASSERT_TRUE(expr.has_value()) << error.message;
  EXPECT_EQ(expr->paths(), (std::vector<std::string>{"traits.a", "traits.b", "features.c"}));
}

TEST(SegmentExpr, ErrorsSayWhatAndWhere) {
  struct Case {
    std::string text;
    size_t column;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"trait.city == 'x'", 1, "unknown name 'trait.city' (did you mean 'traits.city'?)"},
      {"city == 'x'", 1,
       "unknown name 'city' (a path starts with traits., features. or identifiers.)"},
      {"traits == 'x'", 1, "unknown name 'traits'"},
      {"traits.city = 'x'", 13, "'=' is not an operator (compare with '==')"},
      {"traits.city == 'x", 16, "this string is not closed"},
      {"traits.city ==", 15, "the expression ends here; expected a value"},
      {"traits.vip > true", 14, "true, false and null have no order"},
      {"traits.a == 1 traits.b", 15, "expected 'and', 'or' or the end"},
      {"traits.a in ['x', traits.b]", 19, "an 'in' list holds quoted strings"},
      {"traits.a in ['x' 'y']", 18, "expected ',' or ']'"},
      {"traits.a matches '(unclosed'", 18, "not a regular expression (RE2 syntax)"},
      {"traits.a matches 5", 18, "'matches' takes a regular expression in quotes"},
      {"traits.a contains 5", 19, "'contains' takes a quoted string"},
      {"features.x < now() - 30y", 22, "'30y' is not a duration"},
      {"features.x < now() - 3", 22, "expected a duration such as 30d after now() -"},
      {"1 == 2", 1, "a comparison needs a path on one side"},
      {"exists(1)", 8, "exists() takes a path"},
      {"(traits.a == 1", 15, "expected ')'"},
      {"traits.a == 1.2.3", 13, "'1.2.3' is not a number"},
      {"traits.a == 1 and", 18, "the expression ends here; expected a value"},
      {"and == 1", 1, "'and' is a keyword; expected a value"},
      {"in_segment(Vip)", 12, "in_segment() takes a segment's name ([a-z0-9_-]+)"},
      {"in_segment(3)", 12, "in_segment() takes a segment's name"},
      {"in_segment vip", 12, "expected '(' after in_segment"},
      {"in_segment('a' 'b')", 16, "expected ')'"},
      {"in_segment == 1", 12, "expected '(' after in_segment"},
      // Columns count characters: each Persian letter is one.
      {"traits.city == 'تهران' and traits.x # 1", 37, "unexpected character here"},
  };
  for (const Case &c : cases) {
    ExprError e = error_of(c.text);
    EXPECT_EQ(e.column, c.column) << c.text << ": " << e.message;
    EXPECT_NE(e.message.find(c.message), std::string::npos) << c.text << ": " << e.message;
  }
}

// Event history reads the features the kernel's history builder keeps,
// named by the term written canonically (segment_history.h).
TEST(SegmentExpr, EventHistoryReadsTheFeatureOfItsTerm) {
  EXPECT_TRUE(eval("count(Order Completed within 90d) >= 2"));
  EXPECT_TRUE(eval("count(Order Completed within 2160h) == 3"));  // the same window
  EXPECT_TRUE(eval("sum(Order Completed.revenue within 365d) > 5000000"));
  EXPECT_TRUE(eval("sum('Order Completed'.properties.revenue within 365d) > 5000000"));
  EXPECT_TRUE(eval("did Checkout Started within 1d and not did Order Completed within 1d"));
  EXPECT_TRUE(eval("did Checkout Started within 24h and not (did Order Completed within 1d)"));
  EXPECT_FALSE(eval("did Order Completed within 1d"));
  // A history the profile has no value for (never emitted) matches nothing.
  EXPECT_FALSE(eval("count(Product Viewed within 7d) >= 0"));
  EXPECT_TRUE(eval("count(Order Completed within 90d) in [1, 3]"));
}

TEST(SegmentExpr, EventHistoryTermsAreListedOnceWithTheirFeature) {
  ExprError error;
  auto expr = Expr::parse(
      "count(Order Completed within 90d) >= 2 and count(Order Completed within 2160h) < 9 and "
      "did 'Add-to-cart' within 30m and avg('Add-to-cart'.price) > 1 and "
      "max(Order Completed.context.total) > 0 and count(Page Viewed) > 100",
      error);
  ASSERT_TRUE(expr) << error.message;
  const std::vector<HistoryTerm> &h = expr->history();
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(h[0].feature, "count(Order Completed within 90d)");
  EXPECT_EQ(h[0].op, "count");
  EXPECT_EQ(h[0].event, "Order Completed");
  EXPECT_EQ(h[0].window_ms, 90 * kDayMs);
  EXPECT_EQ(h[1].feature, "count(Add-to-cart within 30m)");
  EXPECT_EQ(h[2].feature, "avg(Add-to-cart, properties/price)");
  EXPECT_EQ(h[2].field, "properties.price");
  EXPECT_EQ(h[3].field, "context.total");  // a rooted path is kept
  EXPECT_EQ(h[4].feature, "count(Page Viewed)");
  EXPECT_EQ(h[4].window_ms, 0);
  EXPECT_TRUE(expr->paths().empty()) << "history is not a configured path";
  // Names that would read as a path get a hash that tells them apart.
  auto dotted = Expr::parse("count('a.b') > 0 or count('a/b') > 0", error);
  ASSERT_TRUE(dotted);
  ASSERT_EQ(dotted->history().size(), 2u);
  EXPECT_NE(dotted->history()[0].feature, dotted->history()[1].feature);
  EXPECT_EQ(dotted->history()[0].feature.find('.'), std::string::npos);
}

TEST(SegmentExpr, EventHistoryErrorsSayWhatAndWhere) {
  const auto check = [](const std::string &text, size_t column, const std::string &part) {
    ExprError e = error_of(text);
    EXPECT_EQ(e.column, column) << text << ": " << e.message;
    EXPECT_NE(e.message.find(part), std::string::npos) << text << ": " << e.message;
  };
  check("count(Order Completed within 90d)", 34, "compare it");
  check("count(Order Completed within 90d) == 'many'", 38, "compare it with a number");
  check("sum(Order Completed within 1d) > 2", 5, "needs a field");
  check("count(Order Completed.revenue) > 2", 7, "without a field");
  check("count(Order Completed within 30s) > 2", 30, "whole number of minutes");
  check("count(Order Completed within -1h) > 2", 30, "whole number of minutes");
  check("count(within 1d) > 2", 7, "expected an event's name");
  check("did within 1d", 5, "expected an event's name");
  check("count(Order Completed within 90d > 2", 34, "')' after the event history");
  check("did Order Completed within", 27, "whole number of minutes");
}

TEST(SegmentExpr, LimitsBoundTheText) {
  ExprLimits limits;
  limits.max_bytes = 64;
  limits.max_depth = 4;
  limits.max_list = 3;
  ExprError e;
  EXPECT_FALSE(Expr::parse(std::string(65, ' '), e, limits).has_value());
  EXPECT_NE(e.message.find("longer than 64 bytes"), std::string::npos);
  EXPECT_FALSE(Expr::parse("not not not not traits.a", e, limits).has_value());
  EXPECT_NE(e.message.find("nested deeper than 4 levels"), std::string::npos);
  EXPECT_TRUE(Expr::parse("not not not traits.a", e, limits).has_value()) << e.message;
  EXPECT_FALSE(Expr::parse("traits.a in [1, 2, 3, 4]", e, limits).has_value());
  EXPECT_EQ(e.column, 23u);
  EXPECT_NE(e.message.find("more than 3 items"), std::string::npos);
  // The default depth holds a long chain of `and`s: only nesting counts.
  std::string chain = "traits.a == 1";
  for (int i = 0; i < 200; ++i) chain += " and traits.a == 1";
  EXPECT_TRUE(Expr::parse(chain, e).has_value()) << e.message;
}

}  // namespace
}  // namespace halo::segment

namespace halo::segment {
namespace {

// kind_mismatches agrees with the evaluator: every test it flags is false
// for a profile holding values of those kinds (and its `not` true), and
// the tests that suit each kind are not flagged.
TEST(SegmentExpr, KindMismatchesAreTestsTheEvaluatorFindsFalse) {
  const Profile profile;
  auto kind_of = [&](std::string_view path) -> std::optional<TypedKind> {
    const TypedValue *v = profile.value(path);
    return v ? std::optional<TypedKind>(v->kind()) : std::nullopt;
  };
  auto mismatches = [&](const std::string &text) {
    ExprError error;
    auto expr = Expr::parse(text, error);
    EXPECT_TRUE(expr.has_value()) << text << ": " << error.message;
    return expr ? expr->kind_mismatches(kind_of) : std::vector<std::string>{};
  };
  for (const char *flagged :
       {"features.order_count == '2'", "features.revenue > 'a'", "features.p_alive == true",
        "features.order_count contains '2'", "features.order_count in ['2', 'x']",
        "features.last_seen < 5", "features.last_seen == 'yesterday'",
        "features.last_seen starts_with '2026'", "features.rfm_segment == 3", "traits.vip == 'yes'",
        "traits.vip > now()", "identifiers.email == 7", "features.order_count",
        "'2' == features.order_count"}) {
    const std::vector<std::string> found = mismatches(flagged);
    EXPECT_EQ(found.size(), 1u) << flagged;
    EXPECT_FALSE(eval(flagged)) << flagged;
    EXPECT_TRUE(eval(std::string("not (") + flagged + ")")) << flagged;
  }
  EXPECT_EQ(mismatches("features.revenue > 'a'").front(),
            "features.revenue holds a number; comparing it with text is false for every profile");
  EXPECT_EQ(mismatches("features.last_seen starts_with '2026'").front(),
            "features.last_seen holds a time; 'starts_with', a test of text, is false for every "
            "profile");
  for (const char *suited :
       {"features.order_count == 2", "features.revenue in [19.9, 20]",
        "features.last_seen < now() - 30d", "features.last_seen > '2025-01-01'",
        "features.rfm_segment in ['At Risk', 'Lost']", "features.rfm_segment matches '^At'",
        "traits.vip", "traits.vip != false", "identifiers.email contains '@'",
        "features.order_count == null", "features.unknown == 'x'", "traits.nickname == 3",
        "features.order_count > features.p_alive", "count(Order Completed within 90d) >= 2"}) {
    EXPECT_TRUE(mismatches(suited).empty()) << suited;
  }
}

}  // namespace
}  // namespace halo::segment
