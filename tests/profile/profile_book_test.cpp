// profile_book_test.cpp -- trait rules (priority, then time, then log
// order), merges, the stored form and the export format.
#include "profile/profile_book.h"

#include <gtest/gtest.h>

#include "common/civil_date.h"
#include "profile/profile_export.h"
#include "profile/typed_codec.h"

namespace halo {
namespace {

// Builds a one-event batch with the given type, time, sequence and traits.
EventBatch event(halo_event_type type, int64_t ts, uint64_t seq,
                 std::vector<std::pair<std::string, std::string>> string_fields) {
  EventBatch b;
  Event e;
  e.type = type;
  e.timestamp_ms = ts;
  e.sequence = seq;
  e.field_begin = 0;
  for (const auto &[path, value] : string_fields) {
    Field f;
    f.path = b.arena.copy(path);
    f.value.kind = HALO_VALUE_STRING;
    f.value.text = b.arena.copy(value);
    b.fields.push_back(f);
  }
  e.field_count = static_cast<uint32_t>(b.fields.size());
  b.events.push_back(e);
  return b;
}

TEST(ProfileBook, IdentifyTraitsAndContextTraitsBecomeTraits) {
  ProfileBook book;
  book.apply_event(1, event(HALO_EVENT_IDENTIFY, 10, 1, {{"traits.first_name", "Sara"}}), 0, 100);
  book.apply_event(
      1,
      event(
          HALO_EVENT_TRACK, 20, 2,
          {{"context.traits.plan", "gold"}, {"traits.ignored", "x"}, {"properties.revenue", "5"}}),
      0, 100);
  EXPECT_EQ(json_object(book.export_traits(1)), R"({"first_name":"Sara","plan":"gold"})");
  EXPECT_EQ(book.find(1)->updated_at_ms, 20);
}

TEST(ProfileBook, StrongerSourceWinsThenLaterEventThenLaterSequence) {
  ProfileBook book;
  auto name = [&](const char *v, int64_t ts, uint64_t seq, int prio) {
    book.apply_event(7, event(HALO_EVENT_IDENTIFY, ts, seq, {{"traits.name", v}}), 0, prio);
  };
  name("crm", 100, 1, 10);
  name("web-later", 200, 2, 50);  // weaker source, later: loses
  EXPECT_EQ(json_object(book.export_traits(7)), R"({"name":"crm"})");
  name("crm-earlier", 50, 3, 10);  // same priority, earlier: loses
  EXPECT_EQ(json_object(book.export_traits(7)), R"({"name":"crm"})");
  name("crm-same-time", 100, 4, 10);  // same priority and time, later in the log: wins
  EXPECT_EQ(json_object(book.export_traits(7)), R"({"name":"crm-same-time"})");
}

TEST(ProfileBook, MergeFoldsByTheSameRuleInEitherDirection) {
  for (bool forward : {true, false}) {
    ProfileBook book;
    book.apply_event(
        1, event(HALO_EVENT_IDENTIFY, 100, 1, {{"traits.a", "old"}, {"traits.b", "1"}}), 0, 100);
    book.apply_event(2, event(HALO_EVENT_IDENTIFY, 200, 2, {{"traits.a", "new"}}), 0, 100);
    if (forward)
      book.merge(2, 1);
    else
      book.merge(1, 2);
    uint64_t live = forward ? 1 : 2, gone = forward ? 2 : 1;
    EXPECT_EQ(json_object(book.export_traits(live)), R"({"a":"new","b":"1"})");
    EXPECT_EQ(book.find(gone), nullptr);
    EXPECT_EQ(book.deleted().count(gone), 1u);
    EXPECT_EQ(book.dirty(), std::vector<uint64_t>{live});
  }
}

TEST(ProfileBook, StoredFormRoundTripsWithItsMetadata) {
  ProfileBook book;
  book.apply_event(3, event(HALO_EVENT_IDENTIFY, 100, 9, {{"traits.city", "تهران \"x\""}}), 0, 5);
  std::string stored = book.stored_traits(3);
  ProfileBook restored;
  ASSERT_TRUE(restored.load(3, stored, 100).ok());
  EXPECT_EQ(restored.export_traits(3), book.export_traits(3));
  // The restored metadata still decides: an older event does not win.
  restored.apply_event(3, event(HALO_EVENT_IDENTIFY, 99, 10, {{"traits.city", "x"}}), 0, 5);
  EXPECT_EQ(restored.export_traits(3), book.export_traits(3));
  // A damaged or legacy (JSON) row is Corruption, never a partial profile.
  EXPECT_EQ(restored.load(4, "not typed", 0).code(), StatusCode::kCorruption);
  EXPECT_EQ(restored.load(4, R"({"k":{"v":1}})", 0).code(), StatusCode::kCorruption);
  EXPECT_EQ(restored.load(4, stored.substr(0, stored.size() - 1), 0).code(),
            StatusCode::kCorruption);
  EXPECT_EQ(restored.find(4), nullptr);
}

TEST(ProfileBook, TraitsAreTypedWithTheirProvenance) {
  ProfileBook book;
  EventBatch b = event(HALO_EVENT_IDENTIFY, 100, 9, {{"traits.plan", "gold"}});
  b.events[0].source = "crm";
  Field age;
  age.path = "traits.age";
  age.value = {HALO_VALUE_NUMBER, false, 42, "42"};
  b.fields.push_back(age);
  b.events[0].field_count = 2;
  book.apply_event(3, b, 0, 7);
  ASSERT_NE(book.trait(3, "age"), nullptr);
  EXPECT_EQ(*book.trait(3, "age"), TypedValue::integer(42));
  EXPECT_EQ(*book.trait(3, "plan"), TypedValue::string("gold"));
  EXPECT_EQ(book.trait(3, "missing"), nullptr);
  EXPECT_EQ(book.trait(4, "age"), nullptr);
  std::vector<std::string> provenance;
  ASSERT_TRUE(decode_traits(book.stored_traits(3), [&](const TraitRecord &r) {
                provenance.push_back(std::string(r.name) + " " + std::string(r.source) + " " +
                                     std::to_string(r.priority) + " " +
                                     std::to_string(r.timestamp_ms) + " " +
                                     std::to_string(r.sequence));
              }).ok());
  EXPECT_EQ(provenance, (std::vector<std::string>{"age crm 7 100 9", "plan crm 7 100 9"}));
}

TEST(ProfileBook, ClearChangesForgetsDirtyAndDeleted) {
  ProfileBook book;
  book.apply_event(1, event(HALO_EVENT_TRACK, 1, 1, {}), 0, 100);
  book.apply_event(2, event(HALO_EVENT_TRACK, 1, 2, {}), 0, 100);
  book.merge(2, 1);
  book.clear_changes();
  EXPECT_TRUE(book.dirty().empty());
  EXPECT_TRUE(book.deleted().empty());
  book.apply_event(1, event(HALO_EVENT_TRACK, 2, 3, {}), 0, 100);
  EXPECT_EQ(book.dirty(), std::vector<uint64_t>{1});
  EXPECT_EQ(book.ids(), std::vector<uint64_t>{1});
}

TEST(ProfileExport, TheDocumentedFormat) {
  ProfileExport e;
  e.id = 42;
  e.identifiers = {{"phone", "+989121234567"}, {"email", "b@x.ir"}, {"email", "a@x.ir"}};
  e.traits = {{"first_name", TypedValue::string("Sara")}};
  e.features = {{"order_count", TypedValue::integer(3)}, {"revenue", TypedValue::decimal("120.5")}};
  e.updated_at_ms = 1767348000123;
  EXPECT_EQ(
      export_profile_json(e),
      R"({"profile_id":"42","identifiers":{"email":["a@x.ir","b@x.ir"],"phone":["+989121234567"]},)"
      R"("traits":{"first_name":"Sara"},"features":{"order_count":3,"revenue":120.5},)"
      R"("segments":[],"updated_at":"2026-01-02T10:00:00.123Z"})");
  EXPECT_EQ(format_iso8601_ms(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601_ms(-1000), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(format_iso8601_ms(-62167219200000), "0000-01-01T00:00:00.000Z");
  // A damaged store may hold any value: no overflow (UBSan), always a string.
  EXPECT_EQ(format_iso8601_ms(INT64_MIN).back(), 'Z');
  EXPECT_EQ(format_iso8601_ms(INT64_MAX).back(), 'Z');
}

}  // namespace
}  // namespace halo

namespace halo {
namespace {

using Rules = std::map<std::string, Survivorship>;

// The events of one person, as (value, timestamp, sequence, source priority).
struct Offer {
  const char *value;
  int64_t ts;
  uint64_t seq;
  int priority;
};

std::string traits_after(const Rules &rules, const std::vector<Offer> &offers) {
  ProfileBook book(rules);
  for (const Offer &o : offers) {
    book.apply_event(1, event(HALO_EVENT_IDENTIFY, o.ts, o.seq, {{"traits.x", o.value}}), 0,
                     o.priority);
  }
  return json_object(book.export_traits(1));
}

const std::vector<Offer> kOffers = {
    {"crm", 100, 1, 10}, {"web-late", 300, 2, 50}, {"web-early", 50, 3, 50}, {"crm", 200, 4, 10}};

TEST(Survivorship, EachRulePicksItsValue) {
  EXPECT_EQ(traits_after({}, kOffers), R"({"x":"crm"})");  // source priority, then latest
  EXPECT_EQ(traits_after({{"x", Survivorship::kMostRecent}}, kOffers), R"({"x":"web-late"})");
  EXPECT_EQ(traits_after({{"x", Survivorship::kFirstSeen}}, kOffers), R"({"x":"web-early"})");
  EXPECT_EQ(traits_after({{"x", Survivorship::kAll}}, kOffers),
            R"({"x":["crm","web-early","web-late"]})");
  EXPECT_EQ(traits_after({{"x", Survivorship::kMostFrequent}}, kOffers), R"({"x":"crm"})");
  // A tie goes to the value offered latest (timestamp, then sequence).
  // Here "a"'s latest offer is at 100, "b"'s at 90 (though logged later).
  const std::vector<Offer> tie = {
      {"a", 100, 1, 10}, {"b", 50, 2, 10}, {"a", 60, 3, 10}, {"b", 90, 4, 10}};
  EXPECT_EQ(traits_after({{"x", Survivorship::kMostFrequent}}, tie), R"({"x":"a"})");
  const std::vector<Offer> later_b = {{"a", 100, 1, 10}, {"b", 100, 2, 10}};
  EXPECT_EQ(traits_after({{"x", Survivorship::kMostFrequent}}, later_b), R"({"x":"b"})");
  // A rule for another trait changes nothing here.
  EXPECT_EQ(traits_after({{"y", Survivorship::kFirstSeen}}, kOffers), R"({"x":"crm"})");
}

TEST(Survivorship, ResultDoesNotDependOnArrivalOrderOrMerges) {
  for (const auto &[name, rule] : kSurvivorshipNames) {
    const Rules rules = {{"x", rule}};
    const std::string expected = traits_after(rules, kOffers);
    std::vector<Offer> offers = kOffers;
    std::sort(offers.begin(), offers.end(),
              [](const Offer &a, const Offer &b) { return a.seq > b.seq; });
    EXPECT_EQ(traits_after(rules, offers), expected) << name;
    // Half the events on another profile, merged in afterwards.
    ProfileBook book(rules);
    for (size_t i = 0; i < kOffers.size(); ++i) {
      const Offer &o = kOffers[i];
      book.apply_event(i % 2 ? 2 : 1,
                       event(HALO_EVENT_IDENTIFY, o.ts, o.seq, {{"traits.x", o.value}}), 0,
                       o.priority);
    }
    book.merge(2, 1);
    EXPECT_EQ(json_object(book.export_traits(1)), expected) << name;
  }
}

// The tally is part of the stored form: profiles stored apart, loaded
// again and merged pick what one profile offered every value would.
TEST(Survivorship, MostFrequentCountsSurviveTheStoredFormAndMerges) {
  const Rules rules = {{"x", Survivorship::kMostFrequent}};
  const std::vector<std::pair<uint64_t, Offer>> offers = {
      {1, {"a", 10, 1, 10}}, {1, {"a", 20, 2, 10}}, {1, {"b", 30, 3, 10}},
      {2, {"b", 5, 4, 10}},  {2, {"b", 6, 5, 10}},  {2, {"c", 40, 6, 10}}};
  ProfileBook apart(rules), together(rules);
  for (const auto &[profile, o] : offers) {
    EventBatch b = event(HALO_EVENT_IDENTIFY, o.ts, o.seq, {{"traits.x", o.value}});
    apart.apply_event(profile, b, 0, o.priority);
    together.apply_event(1, b, 0, o.priority);
  }
  EXPECT_EQ(json_object(apart.export_traits(1)), R"({"x":"a"})");
  EXPECT_EQ(json_object(apart.export_traits(2)), R"({"x":"b"})");
  ProfileBook loaded(rules);
  ASSERT_TRUE(loaded.load(1, apart.stored_traits(1), 0).ok());
  ASSERT_TRUE(loaded.load(2, apart.stored_traits(2), 0).ok());
  loaded.merge(1, 2);
  EXPECT_EQ(json_object(loaded.export_traits(2)), R"({"x":"b"})");  // 3 offers against 2
  EXPECT_EQ(json_object(together.export_traits(1)), R"({"x":"b"})");
  // The stored tally is in a canonical order (by latest offer), so equal
  // tallies are equal bytes however they were built.
  EXPECT_EQ(loaded.stored_traits(2), together.stored_traits(1));
  // Format 2 only where a tally is stored; other profiles keep format 1.
  EXPECT_EQ(loaded.stored_traits(2)[0], char{kTraitsWithTalliesVersion});
  ProfileBook plain;
  plain.apply_event(1, event(HALO_EVENT_IDENTIFY, 1, 1, {{"traits.x", "a"}}), 0, 10);
  EXPECT_EQ(plain.stored_traits(1)[0], char{kTypedCodecVersion});
}

// More distinct values than the bound: a new value takes the place of the
// least offered one, and the most offered still wins.
TEST(Survivorship, MostFrequentTalliesAreBounded) {
  ProfileBook book({{"x", Survivorship::kMostFrequent}});
  uint64_t seq = 0;
  for (int i = 0; i < 3; ++i) {
    book.apply_event(1, event(HALO_EVENT_IDENTIFY, 1, ++seq, {{"traits.x", "popular"}}), 0, 10);
  }
  for (int i = 0; i < 150; ++i) {
    std::string v = "v" + std::to_string(i);
    book.apply_event(1, event(HALO_EVENT_IDENTIFY, 2, ++seq, {{"traits.x", v}}), 0, 10);
  }
  EXPECT_EQ(json_object(book.export_traits(1)), R"({"x":"popular"})");
  size_t tallied = 0;
  ASSERT_TRUE(decode_traits(book.stored_traits(1), [&](const TraitRecord &r) {
                tallied = r.tally.size();
              }).ok());
  EXPECT_EQ(tallied, kMaxKeptValues);
}

TEST(Survivorship, KeptSetsAreBoundedByTheSmallestValues) {
  std::vector<Offer> many;
  std::vector<std::string> values;
  for (int i = 0; i < 150; ++i) values.push_back("v" + std::to_string(1000 + i));
  for (size_t i = 0; i < values.size(); ++i) {
    many.push_back({values[values.size() - 1 - i].c_str(), int64_t(i), i + 1, 100});
  }
  ProfileBook book({{"x", Survivorship::kAll}});
  for (const Offer &o : many) {
    book.apply_event(1, event(HALO_EVENT_IDENTIFY, o.ts, o.seq, {{"traits.x", o.value}}), 0, 100);
  }
  const std::vector<std::string_view> kept = book.trait(1, "x")->list();
  ASSERT_EQ(kept.size(), kMaxKeptValues);
  EXPECT_EQ(kept.front(), "v1000");
  EXPECT_EQ(kept.back(), "v1099");
  // The stored form keeps the set exactly.
  ProfileBook loaded({{"x", Survivorship::kAll}});
  ASSERT_TRUE(loaded.load(1, book.stored_traits(1), 0).ok());
  EXPECT_EQ(json_object(loaded.export_traits(1)), json_object(book.export_traits(1)));
}

}  // namespace
}  // namespace halo
