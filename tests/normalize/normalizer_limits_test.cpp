// normalizer_limits_test.cpp -- hostile records: every EventLimits limit,
// invalid and unrepresentable numbers, and duplicate member names become
// typed rejections that name the field path and the pipeline key to raise,
// never a crash or a silent 0; the Normalizer stays usable afterwards.
#include <gtest/gtest.h>

#include <string>

#include "common/json_number.h"
#include "normalize/normalizer.h"
#include "normalizer_test_util.h"

namespace halo {
namespace {

using testing::kReceivedAt;
using testing::rejection_of;

// A valid track event with `extra` spliced in as more top-level members.
std::string track_with(const std::string &extra) {
  return R"({"type":"track","event":"Order","userId":"u1",)" + extra + "}";
}

void expect_rejected(const Rejection &why, std::string_view reason,
                     std::initializer_list<std::string_view> mentions) {
  EXPECT_EQ(why.reason, reason) << why.message;
  for (std::string_view m : mentions) {
    EXPECT_NE(why.message.find(m), std::string::npos) << "`" << m << "` not in: " << why.message;
  }
}

std::string nested(size_t levels, const char *open, const char *close, const char *leaf) {
  std::string s;
  for (size_t i = 0; i < levels; ++i) s += open;
  s += leaf;
  for (size_t i = 0; i < levels; ++i) s += close;
  return s;
}

TEST(NormalizerLimits, FiftyThousandLevelsAreTooDeepNotAStackOverflow) {
  const std::string objects = track_with("\"properties\":" + nested(50000, "{\"a\":", "}", "1"));
  ASSERT_LT(objects.size(), size_t{1} << 20);
  expect_rejected(rejection_of(objects), rejection::kTooDeep,
                  {"limits.max_depth", "128", "properties.a.a"});
  const std::string arrays = track_with("\"properties\":" + nested(50000, "[", "]", "1"));
  expect_rejected(rejection_of(arrays), rejection::kTooDeep, {"limits.max_depth"});
}

TEST(NormalizerLimits, TheHighestConfigurableDepthFitsTheStack) {
  NormalizeOptions options;
  options.limits.max_depth = static_cast<uint32_t>(kMaxDepthCap);
  // The root is level 1, `properties` and its 997 inner objects 2..999, the
  // array [1] level 1000.
  const std::string raw = track_with("\"properties\":" + nested(998, "{\"a\":", "}", "[1]"));
  EXPECT_EQ(rejection_of(raw, options).reason, "");
  const std::string deeper = track_with("\"properties\":" + nested(999, "{\"a\":", "}", "[1]"));
  EXPECT_EQ(rejection_of(deeper, options).reason, rejection::kTooDeep);
}

TEST(NormalizerLimits, DepthCountsTheRootAndAcceptsExactlyTheLimit) {
  NormalizeOptions options;
  options.limits.max_depth = 3;
  // root (1) -> properties (2) -> a (3): at the limit.
  EXPECT_EQ(rejection_of(track_with(R"("properties":{"a":{"b":1}})"), options).reason, "");
  expect_rejected(rejection_of(track_with(R"("properties":{"a":{"b":[1]}})"), options),
                  rejection::kTooDeep, {"properties.a.b", "limits.max_depth", "(now 3)"});
}

TEST(NormalizerLimits, LongStringValuesKeysAndHeaderStringsAreRefused) {
  NormalizeOptions options;
  options.limits.max_string_bytes = 10;  // "properties" has 10 bytes
  EXPECT_EQ(rejection_of(track_with(R"("properties":{"sku":"1234567890"})"), options).reason, "");
  expect_rejected(rejection_of(track_with(R"("properties":{"sku":"12345678901"})"), options),
                  rejection::kStringTooLong,
                  {"properties.sku", "11 bytes", "limits.max_string_bytes", "(now 10)"});
  expect_rejected(rejection_of(track_with(R"("properties":{"a_very_long_key":1})"), options),
                  rejection::kStringTooLong, {"properties.a_very_long_key"});
  expect_rejected(rejection_of(track_with(R"("messageId":"0123456789X")"), options),
                  rejection::kStringTooLong, {"messageId"});
  expect_rejected(
      rejection_of(R"({"type":"track","event":"Order Completed","userId":"u1"})", options),
      rejection::kStringTooLong, {"`event`"});
  // Escapes count after unescaping: 10 escaped letters are 10 bytes.
  const std::string ten(R"(\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041)");
  EXPECT_EQ(rejection_of(track_with(R"("properties":{"s":")" + ten + "\"}"), options).reason, "");
}

TEST(NormalizerLimits, TooManyFieldsIsRefusedBeforeAccumulating) {
  NormalizeOptions options;
  options.limits.max_fields = 4;  // userId, properties, a, b
  EXPECT_EQ(rejection_of(track_with(R"("properties":{"a":1,"b":2})"), options).reason, "");
  expect_rejected(rejection_of(track_with(R"("properties":{"a":1,"b":2,"c":3})"), options),
                  rejection::kTooManyFields, {"limits.max_fields", "properties.c", "(now 4)"});
  // Empty containers count too, so `[[],[],...]` cannot grow scratch state.
  expect_rejected(rejection_of(track_with(R"("properties":[[],[],[]])"), options),
                  rejection::kTooManyFields, {"properties.2"});
  // `name` of an identify event becomes a field after the walk: still counted.
  options.limits.max_fields = 2;
  expect_rejected(rejection_of(R"({"type":"identify","userId":"u1","name":"Sara","x":1})", options),
                  rejection::kTooManyFields, {"limits.max_fields"});
  EXPECT_EQ(rejection_of(R"({"type":"identify","userId":"u1","name":"Sara"})", options).reason, "");
}

TEST(NormalizerLimits, TooManyIdentifiersIsRefused) {
  NormalizeOptions options;
  options.limits.max_identifiers = 1;
  const std::string two = track_with(R"("context":{"traits":{"email":"a@x.test"}})");
  expect_rejected(rejection_of(two, options), rejection::kTooManyIdentifiers,
                  {"2 identifiers", "limits.max_identifiers"});
  options.limits.max_identifiers = 2;
  EXPECT_EQ(rejection_of(two, options).reason, "");
}

TEST(NormalizerLimits, TooLargeNamesThePipelineKey) {
  NormalizeOptions options;
  options.limits.max_record_bytes = 1024;
  expect_rejected(rejection_of(track_with("\"p\":\"" + std::string(1100, 'x') + "\""), options),
                  rejection::kTooLarge, {"limits.max_record_bytes"});
}

TEST(NormalizerNumbers, InvalidJsonNumbersAreMalformedNotAccepted) {
  for (const char *bad : {"00012",     "-012", "1.",    "1.e5", "-",    "--1",  ".5",
                          "+1",        "1e",   "1e+",   "1E-",  "1.5x", "0x10", "Infinity",
                          "-Infinity", "NaN",  "1_000", "1..2", "01.5", "-.5",  "2e3.5"}) {
    SCOPED_TRACE(bad);
    Rejection why =
        rejection_of(track_with(std::string(R"("properties":{"revenue":)") + bad + "}"));
    EXPECT_EQ(why.reason, rejection::kMalformedJson) << why.message;
    EXPECT_FALSE(why.message.empty());
  }
  // The path is named when the normalizer itself found the bad literal.
  expect_rejected(rejection_of(track_with(R"("properties":{"items":[1,00012]})")),
                  rejection::kMalformedJson, {"properties.items.1", "00012"});
}

TEST(NormalizerNumbers, ValidNumbersKeepTheirExactText) {
  for (const char *good : {"0", "-0", "1e5", "1E+5", "0.5", "-1.25e-3", "12345678901234567890",
                           "0.000000000000000000000000000001", "1.7976931348623157e308", "4.9e-324",
                           "0e400", "10.10"}) {
    SCOPED_TRACE(good);
    Normalizer n;
    EventBatch batch;
    Rejection why;
    const std::string raw = track_with(std::string(R"("properties":{"revenue":)") + good + "}");
    ASSERT_TRUE(n.normalize(raw, "web", kReceivedAt, batch, &why)) << why.message;
    const Field *f = batch.find_field(0, "properties.revenue");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->value.kind, HALO_VALUE_NUMBER);
    EXPECT_EQ(f->value.text, good);
    EXPECT_EQ(f->value.number, std::strtod(good, nullptr));
  }
}

TEST(NormalizerNumbers, AFiftyDigitAmountIsTooPreciseNotZero) {
  const std::string amount(50, '9');
  expect_rejected(rejection_of(track_with(R"("properties":{"revenue":)" + amount + "}")),
                  rejection::kNumberTooPrecise,
                  {"properties.revenue", "50 significant digits", "limits.max_number_digits"});
  // Leading and trailing zeros are not significant: 1e21 written out is fine.
  EXPECT_EQ(rejection_of(track_with(R"("properties":{"n":1000000000000000000000})")).reason, "");
  NormalizeOptions options;
  options.limits.max_number_digits = 3;
  expect_rejected(rejection_of(track_with(R"("properties":{"price":12.34})"), options),
                  rejection::kNumberTooPrecise, {"properties.price", "(now 3)"});
}

TEST(NormalizerNumbers, MagnitudeOutOfRangeIsADeadLetterNotZero) {
  for (const char *big : {"1e400", "-1e400", "1e-400", "2.5e-330", "1e99999999999999999999"}) {
    SCOPED_TRACE(big);
    expect_rejected(
        rejection_of(track_with(std::string(R"("properties":{"revenue":)") + big + "}")),
        rejection::kNumberOutOfRange, {"properties.revenue", big});
  }
}

TEST(NormalizerNumbers, ScanCountsSignificantDigits) {
  EXPECT_EQ(scan_json_number("100").significant_digits, 1u);
  EXPECT_EQ(scan_json_number("0.001").significant_digits, 1u);
  EXPECT_EQ(scan_json_number("-1.25e7").significant_digits, 3u);
  EXPECT_EQ(scan_json_number("0.0").significant_digits, 0u);
  EXPECT_EQ(scan_json_number("10.01").significant_digits, 4u);
  EXPECT_FALSE(scan_json_number("").valid);
  EXPECT_FALSE(scan_json_number("1 ").valid);
}

TEST(NormalizerDuplicateKeys, TopLevelDuplicateIsRefusedWhateverTheKey) {
  expect_rejected(rejection_of(track_with(R"("messageId":"m1","messageId":"m2")")),
                  rejection::kDuplicateKey, {"`messageId`", "RFC 8259"});
  expect_rejected(rejection_of(track_with(R"("userId":"u2")")), rejection::kDuplicateKey,
                  {"`userId`"});
}

TEST(NormalizerDuplicateKeys, NestedDuplicatesAreFoundAtAnyDepthWithTheirPath) {
  expect_rejected(rejection_of(track_with(R"("properties":{"a":1,"b":2,"a":3})")),
                  rejection::kDuplicateKey, {"`properties.a`"});
  expect_rejected(
      rejection_of(track_with(R"("properties":{"items":[{"sku":"x"},{"sku":"y","sku":"z"}]})")),
      rejection::kDuplicateKey, {"`properties.items.1.sku`"});
  // The same name written with an escape is the same name.
  expect_rejected(rejection_of(track_with(R"("properties":{"a":1,"\u0061":2})")),
                  rejection::kDuplicateKey, {"properties.a"});
}

TEST(NormalizerDuplicateKeys, SameNameInDifferentObjectsIsFine) {
  EXPECT_EQ(rejection_of(
                track_with(R"("properties":{"x":{"id":1},"y":{"id":1},"z":[{"id":1},{"id":2}]})"))
                .reason,
            "");
}

TEST(NormalizerDuplicateKeys, LargeObjectsUseTheHashedPathBothWays) {
  std::string members;
  for (int i = 0; i < 100; ++i)
    members += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  const std::string unique = members + R"("inner":{"k1":1,"k2":2})";
  EXPECT_EQ(rejection_of(track_with(R"("properties":{)" + unique + "}")).reason, "");
  expect_rejected(rejection_of(track_with(R"("properties":{)" + members + R"("k57":0})")),
                  rejection::kDuplicateKey, {"`properties.k57`"});
  // A nested object inside a hashed one starts with a clean slate.
  const std::string nested_dup = members + R"("inner":{"k1":1,"k1":2})";
  expect_rejected(rejection_of(track_with(R"("properties":{)" + nested_dup + "}")),
                  rejection::kDuplicateKey, {"`properties.inner.k1`"});
}

TEST(NormalizerLimits, NormalizerIsReusableAfterAStoppedRecord) {
  Normalizer n;
  EventBatch batch;
  Rejection why;
  const std::string many = [] {
    std::string m;
    for (int i = 0; i < 40; ++i)
      m += "\"k" + std::to_string(i) + "\":{\"x\":" + std::to_string(i) + "},";
    return m;
  }();
  for (const std::string &bad : {track_with("\"properties\":" + nested(5000, "{\"a\":", "}", "1")),
                                 track_with(R"("properties":{)" + many + R"("k3":{"x":1}})"),
                                 track_with(R"("properties":{"v":00012})")}) {
    EXPECT_FALSE(n.normalize(bad, "web", kReceivedAt, batch, &why));
    EXPECT_EQ(batch.size(), 0u);
  }
  // The keys seen by the stopped records must not leak into the next one.
  ASSERT_TRUE(n.normalize(track_with(R"("properties":{"a":{"x":1},"k3":{"x":1}})"), "web",
                          kReceivedAt, batch, &why))
      << why.message;
  EXPECT_EQ(batch.size(), 1u);
}

bool points_into(std::string_view inner, std::string_view outer) {
  return !inner.empty() && inner.data() >= outer.data() &&
         inner.data() + inner.size() <= outer.data() + outer.size();
}

TEST(NormalizerMemory, UnescapedValuesPointIntoTheEventsOwnRawCopy) {
  Normalizer n;
  EventBatch batch;
  Rejection why;
  const std::string raw = track_with(R"("properties":{"sku":"MUG-1","price":29.95,"esc":"a\"b"},)"
                                     R"("context":{"traits":{"name":"علي"}})");
  ASSERT_TRUE(n.normalize(raw, "web", kReceivedAt, batch, &why)) << why.message;
  const std::string_view copy = batch.events[0].raw;
  EXPECT_EQ(copy, raw);
  EXPECT_TRUE(points_into(batch.find_field(0, "properties.sku")->value.text, copy));
  EXPECT_TRUE(points_into(batch.find_field(0, "properties.price")->value.text, copy));
  // Unescaped and letter-folded values differ from the raw bytes: copied.
  EXPECT_EQ(batch.find_field(0, "properties.esc")->value.text, "a\"b");
  EXPECT_FALSE(points_into(batch.find_field(0, "properties.esc")->value.text, copy));
  EXPECT_EQ(batch.find_field(0, "context.traits.name")->value.text, "علی");
}

TEST(NormalizerMemory, AHugeRecordCostsItsSizeOnceInTheBatch) {
  NormalizeOptions options;
  options.limits.max_record_bytes = 16 << 20;
  options.limits.max_string_bytes = 16 << 20;
  Normalizer n(options);
  EventBatch batch;
  Rejection why;
  const std::string blob(6 << 20, 'x');  // above the 4 MiB scratch-release threshold
  const std::string raw = track_with(R"("properties":{"blob":")" + blob + "\"}");
  ASSERT_TRUE(n.normalize(raw, "web", kReceivedAt, batch, &why)) << why.message;
  EXPECT_LT(batch.arena.bytes_used(), raw.size() + (64 << 10)) << "the value was copied again";
  EXPECT_EQ(batch.find_field(0, "properties.blob")->value.text.size(), blob.size());
  // The released parser and scratch buffers come back for the next records.
  ASSERT_TRUE(
      n.normalize(track_with(R"("properties":{"a":{"b":1}})"), "web", kReceivedAt, batch, &why))
      << why.message;
  EXPECT_FALSE(
      n.normalize(track_with(R"("properties":{"a":1,"a":2})"), "web", kReceivedAt, batch, &why));
  EXPECT_EQ(why.reason, rejection::kDuplicateKey);
  EXPECT_EQ(batch.size(), 2u);
}

}  // namespace
}  // namespace halo
