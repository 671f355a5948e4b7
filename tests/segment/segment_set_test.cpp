// segment_set_test.cpp -- a pipeline's segments evaluated together on a
// profile in the export form: membership, the earliest time a verdict may
// flip by time alone (checked against evaluations just before and at it),
// times held as ISO 8601 text, and parse errors for every bad segment.
#include "segment/segment_set.h"

#include <gtest/gtest.h>

#include "common/time_units.h"
#include "segment/profile_subject.h"

namespace halo::segment {
namespace {

constexpr int64_t kSetNow = 1'719'705'600'000;  // 2024-06-30T00:00:00Z

ProfileExport profile() {
  ProfileExport p;
  p.id = 7;
  p.identifiers = {{"email", "sara@example.ir"}, {"phone", "+989121234567"}};
  p.traits.push_back({"city", TypedValue::string("تهران")});
  p.features.push_back({"order_count", TypedValue::integer(3)});
  p.features.push_back({"last_seen", TypedValue::timestamp(kSetNow - 40 * kDayMs)});
  // A plugin may hand a time over as text.
  p.features.push_back({"last_order_at", TypedValue::string("2024-05-01T12:00:00.000Z")});
  return p;
}

std::vector<PipelineConfig::Segment> declare(
    std::initializer_list<std::pair<const char *, const char *>> segments) {
  std::vector<PipelineConfig::Segment> out;
  for (const auto &[name, expression] : segments) out.push_back({name, expression, "", {}});
  return out;
}

Expr parse(const std::string &text) {
  ExprError error;
  auto expr = Expr::parse(text, error);
  EXPECT_TRUE(expr.has_value()) << text << ": " << error.message;
  return std::move(expr).value();  // throws (the test fails) when it did not parse
}

TEST(SegmentSet, EvaluatesEverySegmentAndReadsIdentifiersOnlyWhenNamed) {
  auto set = SegmentSet::parse(declare({{"repeat", "features.order_count >= 2"},
                                        {"tehran", "traits.city == 'تهران'"},
                                        {"lapsed", "features.last_seen < now() - 60d"}}));
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_TRUE(set->identifier_types().empty());
  SegmentSet::Verdict v;
  set->evaluate(profile(), kSetNow, v);
  EXPECT_EQ(v.member, (std::vector<uint8_t>{1, 1, 0}));
  ASSERT_TRUE(v.next_check_ms.has_value());
  EXPECT_EQ(*v.next_check_ms, kSetNow + 20 * kDayMs);  // last_seen + 60d
  set->evaluate(profile(), kSetNow + 20 * kDayMs + 1, v);
  EXPECT_EQ(v.member, (std::vector<uint8_t>{1, 1, 1}));
  EXPECT_FALSE(v.next_check_ms.has_value());  // true from now on

  auto with_ids = SegmentSet::parse(
      declare({{"vip", "identifiers.user_id in ['u1', 'u2'] or identifiers.email contains 'zz'"},
               {"mail", "identifiers.email matches '@example'"}}));
  ASSERT_TRUE(with_ids.ok());
  // Each type once, ascending: what a page read asks for.
  EXPECT_EQ(with_ids->identifier_types(), (std::vector<std::string>{"email", "user_id"}));
  with_ids->evaluate(profile(), kSetNow, v);
  EXPECT_EQ(v.member, (std::vector<uint8_t>{0, 1}));
  EXPECT_FALSE(v.next_check_ms.has_value());
}

TEST(SegmentSet, NameOrderListsTheSegmentsByName) {
  auto set = SegmentSet::parse(declare({{"repeat", "features.order_count >= 2"},
                                        {"lapsed", "features.last_seen < now() - 60d"},
                                        {"tehran", "traits.city == 'تهران'"}}));
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->name_order(), (std::vector<size_t>{1, 0, 2}));
}

// The values a profile's evaluation looked up are never another profile's,
// with the same Verdict reused (as a page of profiles does).
TEST(SegmentSet, AReusedVerdictLooksEveryPathUpForEachProfile) {
  auto set = SegmentSet::parse(declare({{"repeat", "features.order_count >= 2"},
                                        {"many", "features.order_count >= 3"},
                                        {"tehran", "traits.city == 'تهران'"},
                                        {"mail", "exists(identifiers.email)"}}));
  ASSERT_TRUE(set.ok()) << set.status().message();
  ProfileExport other;
  other.id = 8;
  other.features.push_back({"order_count", TypedValue::integer(2)});
  SegmentSet::Verdict v;
  set->evaluate(profile(), kSetNow, v);
  EXPECT_EQ(v.member, (std::vector<uint8_t>{1, 1, 1, 1}));
  set->evaluate(other, kSetNow, v);
  EXPECT_EQ(v.member, (std::vector<uint8_t>{1, 0, 0, 0}));
  set->evaluate(profile(), kSetNow, v);
  EXPECT_EQ(v.member, (std::vector<uint8_t>{1, 1, 1, 1}));
}

// A segment may reference another, declared before or after it; it sees
// the verdict of the same evaluation.
TEST(SegmentSet, InSegmentSeesTheVerdictOfTheSameEvaluation) {
  auto set = SegmentSet::parse(
      declare({{"loyal_tehran", "in_segment(repeat) and traits.city == 'تهران'"},
               {"repeat", "features.order_count >= 2"},
               {"not_repeat", "not in_segment('repeat')"},
               {"lapsed_loyal", "in_segment(loyal_tehran) and features.last_seen < now() - 60d"}}));
  ASSERT_TRUE(set.ok()) << set.status().message();
  SegmentSet::Verdict v;
  set->evaluate(profile(), kSetNow, v);
  EXPECT_EQ(v.member, (std::vector<uint8_t>{1, 1, 0, 0}));
  EXPECT_EQ(v.next_check_ms, kSetNow + 20 * kDayMs);
  ProfileExport one = profile();
  one.features[0].value = TypedValue::integer(1);
  set->evaluate(one, kSetNow + 30 * kDayMs, v);
  EXPECT_EQ(v.member, (std::vector<uint8_t>{0, 0, 1, 0}));
}

TEST(SegmentSet, UnknownAndCyclicReferencesAreRefused) {
  auto unknown = SegmentSet::parse(declare({{"a", "in_segment(vip)"}}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("in_segment(vip): no segment named 'vip'"),
            std::string::npos)
      << unknown.status().message();
  auto cycle = SegmentSet::parse(declare(
      {{"a", "in_segment(b)"}, {"b", "in_segment(c) or traits.x"}, {"c", "not in_segment(a)"}}));
  ASSERT_FALSE(cycle.ok());
  EXPECT_NE(cycle.status().message().find("in a cycle: a -> b -> c -> a"), std::string::npos)
      << cycle.status().message();
  auto self = SegmentSet::parse(declare({{"a", "in_segment(a)"}}));
  ASSERT_FALSE(self.ok());
  // A stored membership answers for a profile outside an evaluation.
  ProfileExport p = profile();
  p.segments = {"repeat", "vip"};
  EXPECT_TRUE(parse("in_segment(vip)").matches(ProfileSubject(p, kSetNow)));
  EXPECT_FALSE(parse("in_segment(other)").matches(ProfileSubject(p, kSetNow)));
}

TEST(SegmentSet, EveryBadExpressionIsReportedWithItsSegment) {
  auto set = SegmentSet::parse(
      declare({{"ok", "traits.vip"}, {"bad", "features.x >"}, {"worse", "traits.city in ['a'"}}));
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), StatusCode::kInvalidArgument);
  const std::string &m = set.status().message();
  EXPECT_NE(m.find("segments[1].expression: column"), std::string::npos) << m;
  EXPECT_NE(m.find("segments[2].expression: column"), std::string::npos) << m;
  EXPECT_EQ(m.find("segments[0]"), std::string::npos) << m;
}

TEST(SegmentTiming, IsoTextComparesWithNow) {
  const ProfileExport p = profile();
  EXPECT_TRUE(parse("features.last_order_at < now() - 30d").matches(ProfileSubject(p, kSetNow)));
  EXPECT_FALSE(parse("features.last_order_at < now() - 90d").matches(ProfileSubject(p, kSetNow)));
  auto next =
      parse("features.last_order_at < now() - 90d").next_change_ms(ProfileSubject(p, kSetNow));
  ASSERT_TRUE(next.has_value());
  // `<`: still false at the moment they are equal, true a millisecond later.
  EXPECT_EQ(*next, kSetNow + 30 * kDayMs + 12 * 3'600'000);  // 2024-05-01T12:00 + 90d
  EXPECT_FALSE(parse("features.last_order_at < now() - 90d").matches(ProfileSubject(p, *next)));
  EXPECT_TRUE(parse("features.last_order_at < now() - 90d").matches(ProfileSubject(p, *next + 1)));
}

// For each expression: the verdict holds from now until just before the
// next change time, and every operator's boundary is found (the verdict
// at the reported time or the millisecond after differs, or a later
// reported time follows).
TEST(SegmentTiming, VerdictIsConstantUntilTheReportedTime) {
  const ProfileExport p = profile();
  const char *expressions[] = {
      "features.last_seen < now() - 30d",
      "features.last_seen <= now() - 45d",
      "features.last_seen > now() - 50d",
      "features.last_seen >= now() - 41d",
      "features.last_seen == now() - 39d",
      "features.last_seen != now() - 38d",
      "now() - 45d > features.last_seen",
      "not features.last_seen < now() - 42d",
      "features.order_count > 2 and features.last_seen > now() - 55d or traits.city == 'x'",
      "features.last_seen < '2024-07-01'",
  };
  for (const char *text : expressions) {
    const Expr e = parse(text);
    int64_t now = kSetNow;
    bool verdict = e.matches(ProfileSubject(p, now));
    for (int step = 0; step < 6; ++step) {
      auto next = e.next_change_ms(ProfileSubject(p, now));
      if (!next) break;
      ASSERT_GT(*next, now) << text;
      for (int64_t t : {now + 1, (now + *next) / 2, *next - 1}) {
        if (t <= now || t >= *next) continue;
        EXPECT_EQ(e.matches(ProfileSubject(p, t)), verdict) << text << " at " << t;
      }
      now = *next;
      verdict = e.matches(ProfileSubject(p, now));
    }
    // Past the last reported time the verdict never changes again.
    EXPECT_FALSE(e.next_change_ms(ProfileSubject(p, now)).has_value()) << text;
    EXPECT_EQ(e.matches(ProfileSubject(p, now + 400 * kDayMs)), verdict) << text;
  }
}

}  // namespace
}  // namespace halo::segment
