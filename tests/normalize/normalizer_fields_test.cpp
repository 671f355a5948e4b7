// normalizer_fields_test.cpp -- flattening (dotted paths, array indexes,
// exact number text, name folding), batch invariants (ranges, arena copies,
// interning across clear()) and the zero-copy padded overload.
#include <gtest/gtest.h>

#include <cstring>
#include <set>

#include "normalizer_test_util.h"

namespace halo {
namespace {

using testing::field_text;
using testing::kReceivedAt;

const std::string kOrder =
    R"({"type":"track","messageId":"m-1","userId":"u-1","event":"Order Completed",)"
    R"("properties":{"order_id":"o-9","revenue":120.50,"big":12345678901234567890,)"
    R"("exp":1e-7,"neg":-0,"paid":true,"coupon":null,"empty":{},"none":[],)"
    R"("products":[{"sku":"MUG-1","price":29.95},{"sku":"TEE","price":10,"tags":["a","b"]}]},)"
    R"("context":{"library":{"name":"cdp-cpp","version":"0.1"},"ip":"1.2.3.4"},)"
    R"("integrations":{"All":false},"k\"ey":"esc\u00e9"})";

TEST(NormalizerFields, DottedPathsAndArrays) {
  Normalizer n;
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(kOrder, "shop", kReceivedAt, batch, &why)) << why.message;
  EXPECT_EQ(field_text(batch, 0, "properties.order_id"), "o-9");
  EXPECT_EQ(field_text(batch, 0, "properties.products.0.sku"), "MUG-1");
  EXPECT_EQ(field_text(batch, 0, "properties.products.1.price"), "10");
  EXPECT_EQ(field_text(batch, 0, "properties.products.1.tags.1"), "b");
  EXPECT_EQ(field_text(batch, 0, "context.library.version"), "0.1");
  EXPECT_EQ(field_text(batch, 0, "userId"), "u-1");
  EXPECT_EQ(field_text(batch, 0, "k\"ey"), "esc\xC3\xA9") << "keys and values unescaped";
  ASSERT_NE(batch.find_field(0, "integrations.All"), nullptr);
  EXPECT_EQ(batch.find_field(0, "integrations.All")->value.kind, HALO_VALUE_BOOL);
  // Consumed header members are not repeated as fields; empty containers
  // have no scalar leaves.
  for (const char *path : {"type", "messageId", "event", "properties.empty", "properties.none"}) {
    EXPECT_EQ(batch.find_field(0, path), nullptr) << path;
  }
  EXPECT_EQ(batch.events[0].field_count, 19u);
}

TEST(NormalizerFields, NumbersKeepExactText) {
  Normalizer n;
  EventBatch batch;
  ASSERT_TRUE(n.normalize(kOrder, "shop", kReceivedAt, batch, nullptr));
  const Field *revenue = batch.find_field(0, "properties.revenue");
  ASSERT_NE(revenue, nullptr);
  EXPECT_EQ(revenue->value.kind, HALO_VALUE_NUMBER);
  EXPECT_EQ(revenue->value.text, "120.50");
  EXPECT_DOUBLE_EQ(revenue->value.number, 120.5);
  const Field *big = batch.find_field(0, "properties.big");
  ASSERT_NE(big, nullptr);
  // 20 digits (limits.max_number_digits): the text stays exact, the double
  // is the nearest one.
  EXPECT_EQ(big->value.text, "12345678901234567890");
  EXPECT_DOUBLE_EQ(big->value.number, 1.2345678901234567e19);
  EXPECT_EQ(field_text(batch, 0, "properties.exp"), "1e-7");
  EXPECT_EQ(field_text(batch, 0, "properties.neg"), "-0");
  EXPECT_EQ(field_text(batch, 0, "properties.products.0.price"), "29.95");
  const Field *paid = batch.find_field(0, "properties.paid");
  ASSERT_NE(paid, nullptr);
  EXPECT_EQ(paid->value.kind, HALO_VALUE_BOOL);
  EXPECT_TRUE(paid->value.boolean);
  const Field *coupon = batch.find_field(0, "properties.coupon");
  ASSERT_NE(coupon, nullptr);
  EXPECT_EQ(coupon->value.kind, HALO_VALUE_NULL);
}

TEST(NormalizerFields, NumberTextWithSurroundingWhitespace) {
  Normalizer n;
  EventBatch batch;
  ASSERT_TRUE(
      n.normalize("{ \"type\" : \"identify\" , \"userId\" : \"u\" , \"traits\" : "
                  "{ \"age\" : 42 \n, \"score\" : 1.5\t} }",
                  "web", kReceivedAt, batch, nullptr));
  EXPECT_EQ(field_text(batch, 0, "traits.age"), "42");
  EXPECT_EQ(field_text(batch, 0, "traits.score"), "1.5");
}

TEST(NormalizerFields, NameLeavesFoldArabicLetters) {
  Normalizer n;
  EventBatch batch;
  Rejection why;
  // علي / كريم written with Arabic yeh and kaf.
  ASSERT_TRUE(n.normalize(
      R"({"type":"identify","userId":"u","traits":{"first_name":"علي","lastName":"كريمي",)"
      R"("Name":"علي","city":"كرج","nickname":"كيا"}})",
      "web", kReceivedAt, batch, &why))
      << why.message;
  EXPECT_EQ(field_text(batch, 0, "traits.first_name"), "علی");
  EXPECT_EQ(field_text(batch, 0, "traits.lastName"), "کریمی");
  EXPECT_EQ(field_text(batch, 0, "traits.Name"), "علی");
  EXPECT_EQ(field_text(batch, 0, "traits.nickname"), "کیا");
  EXPECT_EQ(field_text(batch, 0, "traits.city"), "كرج") << "not a name: kept as written";

  ASSERT_TRUE(n.normalize(R"({"type":"page","name":"صفحه علي","userId":"u"})", "web", kReceivedAt,
                          batch, &why));
  EXPECT_EQ(batch.events[1].name, "صفحه علی");
  // A top-level `name` of an identify is a field, folded like any name.
  ASSERT_TRUE(n.normalize(R"({"type":"identify","name":"علي","userId":"u"})", "web", kReceivedAt,
                          batch, &why));
  EXPECT_EQ(field_text(batch, 2, "name"), "علی");
}

TEST(NormalizerFields, UnconsumedEventNameIsAField) {
  Normalizer n;
  EventBatch batch;
  ASSERT_TRUE(n.normalize(R"({"event":"Signed Up","type":"identify","userId":"u"})", "web",
                          kReceivedAt, batch, nullptr));
  EXPECT_EQ(batch.events[0].name, "");
  EXPECT_EQ(field_text(batch, 0, "event"), "Signed Up");
}

TEST(NormalizerBatch, RangesAreContiguousAndDisjoint) {
  Normalizer n;
  EventBatch batch;
  const char *records[] = {
      R"({"type":"identify","userId":"u-1","traits":{"email":"a@b.ir","age":3}})",
      R"({"type":"track","event":"X","anonymousId":"a-1"})",
      R"({"type":"track","event":"Y","userId":"u-2","anonymousId":"a-2","properties":{"p":1}})",
  };
  for (const char *r : records) ASSERT_TRUE(n.normalize(r, "web", kReceivedAt, batch, nullptr));
  uint32_t next_field = 0, next_id = 0;
  for (const Event &e : batch.events) {
    EXPECT_EQ(e.field_begin, next_field);
    EXPECT_EQ(e.id_begin, next_id);
    next_field += e.field_count;
    next_id += e.id_count;
  }
  EXPECT_EQ(next_field, batch.fields.size());
  EXPECT_EQ(next_id, batch.identifiers.size());
  EXPECT_EQ(batch.events[1].field_count, 1u);  // anonymousId
  EXPECT_EQ(batch.events[2].id_count, 2u);
  EXPECT_EQ(batch.events[2].raw, records[2]);
  EXPECT_EQ(batch.events[2].source, "web");
}

TEST(NormalizerBatch, StringsAreCopiedIntoTheArena) {
  Normalizer n;
  EventBatch batch;
  std::string raw = kOrder;
  std::string source = "shop";
  ASSERT_TRUE(n.normalize(raw, source, kReceivedAt, batch, nullptr));
  // Later parses reuse the parser's buffers; overwrite the inputs too.
  ASSERT_TRUE(n.normalize(R"({"type":"identify","userId":"zzzzzzzzzzzzzzzzzzzzzzzzzz"})", "x",
                          kReceivedAt, batch, nullptr));
  std::memset(raw.data(), 'x', raw.size());
  std::memset(source.data(), 'y', source.size());
  EXPECT_EQ(batch.events[0].raw, kOrder);
  EXPECT_EQ(batch.events[0].source, "shop");
  EXPECT_EQ(batch.events[0].message_id, "m-1");
  EXPECT_EQ(batch.events[0].name, "Order Completed");
  EXPECT_EQ(field_text(batch, 0, "properties.products.1.tags.0"), "a");
  EXPECT_EQ(field_text(batch, 0, "properties.revenue"), "120.50");
  EXPECT_EQ(batch.identifiers[batch.events[0].id_begin].value, "u-1");
}

TEST(NormalizerBatch, PathsInternedAndRebuiltAfterClear) {
  Normalizer n;
  EventBatch batch;
  const char *r1 = R"({"type":"identify","userId":"u-1","traits":{"plan":"pro"}})";
  const char *r2 = R"({"type":"identify","userId":"u-2","traits":{"plan":"free"}})";
  ASSERT_TRUE(n.normalize(r1, "web", kReceivedAt, batch, nullptr));
  ASSERT_TRUE(n.normalize(r2, "web", kReceivedAt, batch, nullptr));
  EXPECT_EQ(batch.find_field(0, "traits.plan")->path.data(),
            batch.find_field(1, "traits.plan")->path.data())
      << "the same path is stored once per batch";
  EXPECT_EQ(batch.events[0].source.data(), batch.events[1].source.data());

  batch.clear();
  // Fill the reused first block with other bytes: a stale intern table
  // would now hand out views of this garbage.
  std::memset(batch.arena.allocate(4096), '#', 4096);
  ASSERT_TRUE(n.normalize(r2, "web", kReceivedAt, batch, nullptr));
  EXPECT_EQ(batch.find_field(0, "traits.plan")->path, "traits.plan");
  EXPECT_EQ(batch.find_field(0, "userId")->path, "userId");
  EXPECT_EQ(batch.events[0].source, "web");
  EXPECT_EQ(batch.identifiers[0].type, "user_id");

  EventBatch other;
  ASSERT_TRUE(n.normalize(r1, "web", kReceivedAt, other, nullptr));
  batch.clear();
  EXPECT_EQ(other.find_field(0, "traits.plan")->path, "traits.plan");
  EXPECT_EQ(other.identifiers[0].type, "user_id");
}

TEST(NormalizerBatch, PaddedInputParsedInPlace) {
  Normalizer n;
  EventBatch batch;
  std::string buffer = kOrder;
  const size_t length = buffer.size();
  buffer.resize(length + 64, '\0');
  ASSERT_TRUE(n.normalize(std::string_view(buffer.data(), length), buffer.size(), "shop",
                          kReceivedAt, batch, nullptr));
  // Capacity too small for in-place parsing: the copy path must be taken.
  ASSERT_TRUE(n.normalize(std::string_view(buffer.data(), length), length + 3, "shop", kReceivedAt,
                          batch, nullptr));
  std::memset(buffer.data(), ' ', buffer.size());
  EXPECT_EQ(batch.events[0].raw, kOrder);
  EXPECT_EQ(batch.events[1].raw, kOrder);
  EXPECT_EQ(field_text(batch, 0, "properties.revenue"), "120.50");
  EXPECT_EQ(batch.events[0].field_count, batch.events[1].field_count);
}

TEST(NormalizerBatch, JsonLinesWithTrailingNewline) {
  Normalizer n;
  EventBatch batch;
  Rejection why;
  EXPECT_TRUE(
      n.normalize("{\"type\":\"identify\",\"userId\":\"u\"}\r\n", "web", kReceivedAt, batch, &why))
      << why.message;
}

}  // namespace
}  // namespace halo

namespace halo::testing {
namespace {

TEST(NormalizerIdentifiers, IgnoredValuesAreSkippedAndTheNextPathTried) {
  NormalizeOptions options;
  options.identifiers = {
      {"woo_customer_id",
       IdentifierRule::Kind::kText,
       {"properties.customer_id", "traits.customer_id"},
       "IR",
       {"0"}},
      {"email", IdentifierRule::Kind::kEmail, {"traits.email"}, "IR", {"none@example.test"}}};
  Normalizer n(options);
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(
      R"({"type":"identify","properties":{"customer_id":0},"traits":{"customer_id":"17","email":"x@y.test"}})",
      "shop", kReceivedAt, batch, &why))
      << why.message;
  EXPECT_EQ(identifier(batch, 0, "woo_customer_id"), "17");
  EXPECT_EQ(identifier(batch, 0, "email"), "x@y.test");
  // Only ignored values left: the record has no identifier at all.
  ASSERT_FALSE(
      n.normalize(R"({"type":"identify","traits":{"customer_id":"0","email":"none@example.test"}})",
                  "shop", kReceivedAt, batch, &why));
  EXPECT_EQ(why.reason, "no_identifier");
}

}  // namespace
}  // namespace halo::testing
