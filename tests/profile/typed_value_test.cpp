// typed_value_test.cpp -- typed profile values: exact number text, JSON
// rendering (the export format's bytes), the store's binary codec and its
// refusals, and the resident size of a profile book.
#include "profile/typed_value.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <memory>

#include "profile/profile_book.h"
#include "profile/typed_codec.h"

namespace halo {
namespace {

std::string json(const TypedValue &v) {
  std::string out;
  v.append_json(out);
  return out;
}

TEST(TypedValue, NumbersKeepTheirExactText) {
  EXPECT_EQ(TypedValue::from_number("42").kind(), TypedKind::kInteger);
  EXPECT_EQ(TypedValue::from_number("-9223372036854775808").as_integer(), INT64_MIN);
  for (const char *decimal : {"19.90", "1e3", "-0", "0.0", "9223372036854775808", "1.5E-7"}) {
    TypedValue v = TypedValue::from_number(decimal);
    EXPECT_EQ(v.kind(), TypedKind::kDecimal) << decimal;
    EXPECT_EQ(json(v), decimal);
  }
  EXPECT_EQ(json(TypedValue::from_number("-17")), "-17");
  // Not JSON numbers: never rendered raw.
  for (const char *bad : {"007", "1.", ".5", "+1", "1e", "NaN", "1 ", "0x10", ""}) {
    EXPECT_EQ(TypedValue::from_number(bad).kind(), TypedKind::kNull) << bad;
  }
}

TEST(TypedValue, RendersEveryKindAsTheExportFormatDoes) {
  EXPECT_EQ(json(TypedValue::null()), "null");
  EXPECT_EQ(json(TypedValue::boolean(true)), "true");
  EXPECT_EQ(json(TypedValue::real(120.5)), "120.5");
  EXPECT_EQ(json(TypedValue::real(0.1)), "0.10000000000000001");  // %.17g round-trips
  EXPECT_EQ(TypedValue::real(std::nan("")).kind(), TypedKind::kNull);
  EXPECT_EQ(TypedValue::real(std::numeric_limits<double>::infinity()).kind(), TypedKind::kNull);
  EXPECT_EQ(json(TypedValue::string("تهران \"x\"\n")), "\"تهران \\\"x\\\"\\n\"");
  EXPECT_EQ(json(TypedValue::timestamp(1767348000123)), "\"2026-01-02T10:00:00.123Z\"");
  TypedValue list = TypedValue::string_list({"a", "", "b\"c"});
  EXPECT_EQ(json(list), R"(["a","","b\"c"])");
  EXPECT_EQ(list.list(), (std::vector<std::string_view>{"a", "", "b\"c"}));
  // The same items walked in place; a value that is no list has none.
  std::vector<std::string_view> walked;
  std::string_view item;
  for (size_t pos = 0; list.next_item(pos, item);) walked.push_back(item);
  EXPECT_EQ(walked, list.list());
  size_t pos = 0;
  EXPECT_FALSE(TypedValue::string("a").next_item(pos, item));
  EXPECT_FALSE(TypedValue::string_list({}).next_item(pos, item));
  EXPECT_EQ(json_object({{"b", TypedValue::integer(1)}, {"a", TypedValue::null()}}),
            R"({"b":1,"a":null})");  // features keep emission order
}

TEST(TypedValue, LeavesOfEventsBecomeTypedValues) {
  Value number{HALO_VALUE_NUMBER, false, 19.9, "19.90"};
  EXPECT_EQ(TypedValue::from_leaf(number), TypedValue::decimal("19.90"));
  Value text{HALO_VALUE_STRING, false, 0, "gold"};
  EXPECT_EQ(TypedValue::from_leaf(text), TypedValue::string("gold"));
  Value flag{HALO_VALUE_BOOL, true, 0, {}};
  EXPECT_EQ(TypedValue::from_leaf(flag), TypedValue::boolean(true));
}

std::vector<NamedValue> every_kind() {
  return {{"a", TypedValue::null()},        {"b", TypedValue::boolean(false)},
          {"c", TypedValue::integer(-5)},   {"d", TypedValue::decimal("19.90")},
          {"e", TypedValue::real(2.5)},     {"f", TypedValue::string("Sara")},
          {"g", TypedValue::timestamp(-1)}, {"h", TypedValue::string_list({"x", "y"})}};
}

TEST(TypedCodec, TraitsRoundTripWithMetadataAndProvenance) {
  auto values = every_kind();
  TraitEncoder enc(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    enc.add({values[i].name,
             "crm",
             static_cast<int32_t>(i) - 3,
             1000 + static_cast<int64_t>(i),
             i * 7,
             &values[i].value,
             {}});
  }
  std::string bytes = enc.take();
  size_t seen = 0;
  ASSERT_TRUE(decode_traits(bytes, [&](const TraitRecord &r) {
                EXPECT_EQ(r.name, values[seen].name);
                EXPECT_EQ(r.source, "crm");
                EXPECT_EQ(r.priority, static_cast<int32_t>(seen) - 3);
                EXPECT_EQ(r.timestamp_ms, 1000 + static_cast<int64_t>(seen));
                EXPECT_EQ(r.sequence, seen * 7);
                EXPECT_EQ(*r.value, values[seen].value);
                ++seen;
              }).ok());
  EXPECT_EQ(seen, values.size());
}

// Format 2 adds each trait's tally (most_frequent); format 1 readers'
// records come back with an empty one, and damage is Corruption.
TEST(TypedCodec, TraitsWithTalliesRoundTripAndFormatOneHasNone) {
  auto values = every_kind();
  std::vector<TallyRecord> tally = {{&values[3].value, 4, "pos", -7, 11},
                                    {&values[5].value, 1, "", 9, 12}};
  TraitEncoder enc(2, /*with_tallies=*/true);
  enc.add({"a", "crm", 1, 2, 3, &values[5].value, tally});
  enc.add({"b", "web", 1, 2, 4, &values[0].value, {}});
  const std::string bytes = enc.take();
  ASSERT_EQ(bytes[0], char{kTraitsWithTalliesVersion});
  std::vector<std::pair<std::string, size_t>> seen;
  ASSERT_TRUE(decode_traits(bytes, [&](const TraitRecord &r) {
                seen.emplace_back(std::string(r.name), r.tally.size());
                if (r.name != "a") return;
                ASSERT_EQ(r.tally.size(), 2u);
                EXPECT_EQ(*r.tally[0].value, values[3].value);
                EXPECT_EQ(r.tally[0].times, 4u);
                EXPECT_EQ(r.tally[0].source, "pos");
                EXPECT_EQ(r.tally[0].timestamp_ms, -7);
                EXPECT_EQ(r.tally[0].sequence, 11u);
                EXPECT_EQ(*r.tally[1].value, values[5].value);
                EXPECT_EQ(r.tally[1].times, 1u);
              }).ok());
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, size_t>>{{"a", 2}, {"b", 0}}));
  for (size_t cut = 1; cut < bytes.size(); ++cut) {
    EXPECT_EQ(decode_traits(bytes.substr(0, cut), [](const TraitRecord &) {}).code(),
              StatusCode::kCorruption)
        << cut;
  }
  std::string newer = bytes;
  newer[0] = 3;
  EXPECT_EQ(decode_traits(newer, [](const TraitRecord &) {}).code(), StatusCode::kCorruption);
  // Format 1 writes no tally even when a record has one.
  TraitEncoder old(1);
  old.add({"a", "crm", 1, 2, 3, &values[5].value, tally});
  ASSERT_TRUE(
      decode_traits(old.take(), [](const TraitRecord &r) { EXPECT_TRUE(r.tally.empty()); }).ok());
  // A tally entry that counts no event is damage.
  TraitEncoder zero(1, true);
  std::vector<TallyRecord> none = {{&values[5].value, 0, "", 1, 1}};
  zero.add({"a", "", 1, 1, 1, &values[5].value, none});
  EXPECT_EQ(decode_traits(zero.take(), [](const TraitRecord &) {}).code(), StatusCode::kCorruption);
}

TEST(TypedCodec, FeaturesRoundTripInOrder) {
  NamedValues features = every_kind();
  std::reverse(features.begin(), features.end());
  features.push_back(features.front());  // a name emitted twice stays twice
  NamedValues back;
  ASSERT_TRUE(decode_features(encode_features(features), &back).ok());
  EXPECT_EQ(back, features);
}

TEST(TypedCodec, DamagedBytesAreCorruptionNeverAPartialResult) {
  NamedValues features = every_kind();
  std::string good = encode_features(features);
  NamedValues out;
  for (size_t cut = 0; cut < good.size(); ++cut) {
    Status s = decode_features(good.substr(0, cut), &out);
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << cut;
    EXPECT_TRUE(out.empty());
  }
  EXPECT_EQ(decode_features(good + "x", &out).code(), StatusCode::kCorruption);  // trailing
  EXPECT_EQ(decode_features("{}", &out).code(), StatusCode::kCorruption);        // legacy JSON
  // Kind 1 (bool) with byte 2; kind 3 (decimal) with text "1."; kind 9.
  EXPECT_FALSE(decode_features(std::string("\x01\x01\x01n\x01\x02", 6), &out).ok());
  EXPECT_FALSE(decode_features(std::string("\x01\x01\x01n\x03\x02", 6) + "1.", &out).ok());
  EXPECT_FALSE(decode_features(std::string("\x01\x01\x01n\x09", 5), &out).ok());
  // A count larger than the bytes could hold is refused before allocating.
  EXPECT_FALSE(decode_features(std::string("\x01\xff\xff\xff\xff\x0f", 6), &out).ok());

  TypedValue v = TypedValue::integer(1);
  TraitEncoder unsorted(2);
  unsorted.add({"b", "", 1, 1, 1, &v, {}});
  unsorted.add({"a", "", 1, 1, 1, &v, {}});
  Status s = decode_traits(unsorted.take(), [](const TraitRecord &) {});
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("ascending"), std::string::npos) << s.message();
}

// Texts up to 14 bytes live inside the 16-byte value, longer ones in a
// block of their own: copies are deep, moves leave a null, equality looks
// at the text whichever way it is stored.
TEST(TypedValue, InlineAndOutOfLineTextsCopyMoveAndCompare) {
  for (std::string text :
       {std::string(""), std::string(14, 'x'), std::string(15, 'y'), std::string(100000, 'z')}) {
    TypedValue v = TypedValue::string(text);
    EXPECT_EQ(v.text(), text);
    EXPECT_EQ(v.heap_bytes(), text.size() > 14 ? text.size() : 0u);
    TypedValue copy = v;
    EXPECT_EQ(copy, v);
    EXPECT_EQ(copy.text(), text);
    if (!text.empty()) {
      EXPECT_NE(copy.text().data(), v.text().data());
    }
    TypedValue moved = std::move(copy);
    EXPECT_EQ(moved, v);
    EXPECT_EQ(copy.kind(), TypedKind::kNull);  // NOLINT(bugprone-use-after-move)
    copy = moved;                              // assign into a moved-from value
    EXPECT_EQ(copy.text(), text);
    moved = TypedValue::integer(7);  // releases the old text
    EXPECT_EQ(moved.as_integer(), 7);
    EXPECT_EQ(moved.text(), "");
  }
  EXPECT_NE(TypedValue::string("a"), TypedValue::decimal("1"));
  EXPECT_NE(TypedValue::string(std::string(20, 'a')), TypedValue::string(std::string(21, 'a')));
  EXPECT_EQ(TypedValue::decimal("123456789012345678901234567890.5").number_text(),
            "123456789012345678901234567890.5");
  EXPECT_EQ(TypedValue::string_list({"a", "a-much-longer-list-item"}).list(),
            (std::vector<std::string_view>{"a", "a-much-longer-list-item"}));
  EXPECT_EQ(TypedValue::integer(5).text(), "");
  EXPECT_EQ(TypedValue::real(0.25).as_double(), 0.25);
}

// Resident heap bytes per profile of a ProfileBook holding N profiles with
// five typical traits each (two short strings, an email, an integer, a
// decimal), measured with glibc's mallinfo2 (heap in use, not address space).
TEST(TypedProfileMemory, ProfileBookBytesPerProfile) {
  constexpr int kProfiles = 50000;
  // One batch for every event, its arena's block allocated before the
  // measurement (a batch per event would allocate 1 MiB each, slow under
  // AddressSanitizer).
  EventBatch b;
  b.arena.copy("warm");
  size_t before = mallinfo2().uordblks;
  auto book = std::make_unique<ProfileBook>();
  for (int i = 1; i <= kProfiles; ++i) {
    b.clear();
    Event e;
    e.type = HALO_EVENT_IDENTIFY;
    e.timestamp_ms = 1767348000000 + i;
    e.sequence = static_cast<uint64_t>(i);
    e.source = "web";
    std::string n = std::to_string(i);
    auto add = [&](const char *path, halo_value_kind kind, std::string text) {
      Field f;
      f.path = path;
      f.value.kind = kind;
      f.value.text = b.arena.copy(text);
      b.fields.push_back(f);
    };
    add("traits.email", HALO_VALUE_STRING, "person" + n + "@example.ir");
    add("traits.first_name", HALO_VALUE_STRING, "Sara");
    add("traits.plan", HALO_VALUE_STRING, "gold");
    add("traits.age", HALO_VALUE_NUMBER, std::to_string(20 + i % 50));
    add("traits.balance", HALO_VALUE_NUMBER, n + ".50");
    e.field_count = static_cast<uint32_t>(b.fields.size());
    b.events.push_back(e);
    book->apply_event(static_cast<uint64_t>(i), b, 0, 100);
  }
  book->clear_changes();
  size_t per_profile = (mallinfo2().uordblks - before) / kProfiles;
  std::cout << "ProfileBook: " << per_profile << " heap bytes per profile (5 traits)\n";
  // 5 traits x 48 bytes, the block header, the 16-byte record and
  // malloc's headers; the email is the only value longer than the 14 bytes
  // a value keeps inline. (80-byte traits in a vector took about 480; a
  // std::map of JSON strings about twice that.)
  EXPECT_LT(per_profile, 340u);
  EXPECT_EQ(json_object(book->export_traits(7)),
            R"({"age":27,"balance":7.50,"email":"person7@example.ir","first_name":"Sara",)"
            R"("plan":"gold"})");
}

}  // namespace
}  // namespace halo
