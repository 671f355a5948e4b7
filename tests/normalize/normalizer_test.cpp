// normalizer_test.cpp -- Normalizer: every rejection reason on a realistic
// record, event type/name rules, message ids, timestamps with skew
// correction, and identifier extraction.
#include <gtest/gtest.h>

#include "common/iso_time.h"
#include "normalizer_test_util.h"

namespace halo {
namespace {

using testing::identifier;
using testing::kReceivedAt;
using testing::rejection_of;

const std::string kTrack =
    R"({"type":"track","messageId":"m-1","anonymousId":"a-9","event":"Product Added",)"
    R"("properties":{"cart_id":"c-7","price":29.95,"quantity":2},)"
    R"("originalTimestamp":"2026-01-02T10:00:00.000Z"})";

TEST(NormalizerReject, TooLarge) {
  NormalizeOptions options;
  options.limits.max_record_bytes = 64;
  Rejection why = rejection_of(kTrack, options);
  EXPECT_EQ(why.reason, "too_large");
  EXPECT_NE(why.message.find(std::to_string(kTrack.size())), std::string::npos) << why.message;
}

TEST(NormalizerReject, MalformedJson) {
  Rejection why = rejection_of(R"({"type":"track","event":"X","anonymousId":"a" "userId":"u"})");
  EXPECT_EQ(why.reason, "malformed_json");
  EXPECT_NE(why.message.find("invalid JSON"), std::string::npos) << why.message;

  why = rejection_of(R"({"type":"track","event":"X","anonymousId":"a")");
  EXPECT_EQ(why.reason, "malformed_json") << why.message;
  why = rejection_of("");
  EXPECT_EQ(why.reason, "malformed_json") << why.message;
  why = rejection_of(R"({"type":"track","event":"X","anonymousId":"a"} {"b":1})");
  EXPECT_EQ(why.reason, "malformed_json") << why.message;
  EXPECT_NE(why.message.find("byte 47"), std::string::npos) << why.message;
}

TEST(NormalizerReject, NotAnObject) {
  for (const char *raw : {R"([{"type":"track"}])", R"("track")", "42", "null"}) {
    Rejection why = rejection_of(raw);
    EXPECT_EQ(why.reason, "malformed_json") << raw;
    EXPECT_NE(why.message.find("must be one JSON object"), std::string::npos) << why.message;
  }
}

TEST(NormalizerReject, InvalidUtf8) {
  std::string raw = R"({"type":"track","event":"Caf)";
  raw += "\xC3\x28";  // broken 2-byte sequence
  raw += R"(","anonymousId":"a-1"})";
  Rejection why = rejection_of(raw);
  EXPECT_EQ(why.reason, "invalid_utf8");
  EXPECT_NE(why.message.find("offset 28"), std::string::npos) << why.message;
}

TEST(NormalizerReject, MissingType) {
  Rejection why = rejection_of(R"({"event":"Order Completed","anonymousId":"a-1"})");
  EXPECT_EQ(why.reason, "missing_field");
  EXPECT_NE(why.message.find("`type`"), std::string::npos) << why.message;
}

TEST(NormalizerReject, TypeNotAString) {
  Rejection why = rejection_of(R"({"type":3,"event":"X","anonymousId":"a-1"})");
  EXPECT_EQ(why.reason, "wrong_type");
  EXPECT_NE(why.message.find("`type`"), std::string::npos) << why.message;
  EXPECT_NE(why.message.find("got number"), std::string::npos) << why.message;
}

TEST(NormalizerReject, UnknownType) {
  Rejection why = rejection_of(R"({"type":"purchase","anonymousId":"a-1"})");
  EXPECT_EQ(why.reason, "wrong_type");
  EXPECT_NE(why.message.find("purchase"), std::string::npos) << why.message;
}

TEST(NormalizerReject, TrackWithoutEvent) {
  Rejection why = rejection_of(R"({"type":"track","anonymousId":"a-1","properties":{}})");
  EXPECT_EQ(why.reason, "missing_field");
  EXPECT_NE(why.message.find("`event`"), std::string::npos) << why.message;
  why = rejection_of(R"({"type":"track","event":"","anonymousId":"a-1"})");
  EXPECT_EQ(why.reason, "missing_field");
}

TEST(NormalizerReject, TrackEventNotAString) {
  Rejection why = rejection_of(R"({"event":{"name":"X"},"type":"track","anonymousId":"a-1"})");
  EXPECT_EQ(why.reason, "wrong_type");
  EXPECT_NE(why.message.find("`event`"), std::string::npos) << why.message;
  EXPECT_NE(why.message.find("got object"), std::string::npos) << why.message;
}

TEST(NormalizerReject, MessageIdNotAString) {
  Rejection why = rejection_of(R"({"type":"identify","messageId":123,"userId":"u-1"})");
  EXPECT_EQ(why.reason, "wrong_type");
  EXPECT_NE(why.message.find("`messageId`"), std::string::npos) << why.message;
}

TEST(NormalizerReject, TimestampNotAString) {
  Rejection why = rejection_of(R"({"type":"identify","userId":"u-1","timestamp":1767348000})");
  EXPECT_EQ(why.reason, "wrong_type");
  EXPECT_NE(why.message.find("`timestamp`"), std::string::npos) << why.message;
}

TEST(NormalizerReject, InvalidTimestamps) {
  const char *records[] = {
      R"({"type":"identify","userId":"u-1","timestamp":"yesterday"})",
      R"({"type":"identify","userId":"u-1","originalTimestamp":"2026-02-30T10:00:00Z"})",
      R"({"type":"identify","userId":"u-1","originalTimestamp":"2026-01-02T10:00:00Z","sentAt":"soon"})",
  };
  const char *fields[] = {"`timestamp`", "`originalTimestamp`", "`sentAt`"};
  for (size_t i = 0; i < 3; ++i) {
    Rejection why = rejection_of(records[i]);
    EXPECT_EQ(why.reason, "invalid_timestamp") << records[i];
    EXPECT_NE(why.message.find(fields[i]), std::string::npos) << why.message;
  }
}

TEST(NormalizerReject, NoIdentifier) {
  Rejection why =
      rejection_of(R"({"type":"track","event":"X","properties":{"email":"not-an-email"}})");
  EXPECT_EQ(why.reason, "no_identifier");
  EXPECT_NE(why.message.find("userId"), std::string::npos) << why.message;
  why = rejection_of(R"({"type":"identify","userId":"   ","anonymousId":""})");
  EXPECT_EQ(why.reason, "no_identifier");
}

TEST(NormalizerReject, LeavesBatchUnchangedAfterEarlierEvents) {
  Normalizer n;
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(kTrack, "web", kReceivedAt, batch, &why)) << why.message;
  const size_t fields = batch.fields.size(), ids = batch.identifiers.size();
  const size_t bytes = batch.arena.bytes_used();
  EXPECT_FALSE(n.normalize(R"({"type":"track","anonymousId":"a","properties":{"x":1}})", "web",
                           kReceivedAt, batch, &why));
  EXPECT_FALSE(n.normalize(R"({"type":"track","event":"X","properties":{"x":1},)", "web",
                           kReceivedAt, batch, nullptr));
  EXPECT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch.fields.size(), fields);
  EXPECT_EQ(batch.identifiers.size(), ids);
  EXPECT_EQ(batch.arena.bytes_used(), bytes);
}

TEST(Normalizer, EventTypesCaseInsensitive) {
  const struct {
    const char *raw;
    halo_event_type type;
    const char *name;
  } cases[] = {
      {R"({"type":"IDENTIFY","userId":"u"})", HALO_EVENT_IDENTIFY, ""},
      {R"({"type":"Track","event":"Order Completed","userId":"u"})", HALO_EVENT_TRACK,
       "Order Completed"},
      {R"({"type":"page","name":"Home","userId":"u"})", HALO_EVENT_PAGE, "Home"},
      {R"({"type":"page","userId":"u"})", HALO_EVENT_PAGE, ""},
      {R"({"name":"Cart","type":"screen","userId":"u"})", HALO_EVENT_SCREEN, "Cart"},
      {R"({"type":"group","groupId":"g-1","userId":"u"})", HALO_EVENT_GROUP, ""},
      {R"({"type":"alias","previousId":"a-1","userId":"u"})", HALO_EVENT_ALIAS, ""},
  };
  Normalizer n;
  EventBatch batch;
  for (const auto &c : cases) {
    Rejection why;
    ASSERT_TRUE(n.normalize(c.raw, "web", kReceivedAt, batch, &why)) << c.raw << why.message;
    EXPECT_EQ(batch.events.back().type, c.type) << c.raw;
    EXPECT_EQ(batch.events.back().name, c.name) << c.raw;
  }
}

TEST(Normalizer, MessageIdFromRecord) {
  Normalizer n;
  EventBatch batch;
  ASSERT_TRUE(n.normalize(kTrack, "web", kReceivedAt, batch, nullptr));
  ASSERT_TRUE(n.normalize(R"({"type":"identify","message_id":"snake-1","userId":"u"})", "web",
                          kReceivedAt, batch, nullptr));
  EXPECT_EQ(batch.events[0].message_id, "m-1");
  EXPECT_EQ(batch.events[1].message_id, "snake-1");
}

TEST(Normalizer, AutoMessageIdStableAndSourceScoped) {
  const std::string raw = R"({"type":"identify","userId":"u-1","traits":{"plan":"pro"}})";
  Normalizer a, b;
  EventBatch batch;
  ASSERT_TRUE(a.normalize(raw, "web", kReceivedAt, batch, nullptr));
  ASSERT_TRUE(b.normalize(raw, "web", kReceivedAt + 5000, batch, nullptr));
  ASSERT_TRUE(a.normalize(raw, "shop", kReceivedAt, batch, nullptr));
  ASSERT_TRUE(a.normalize(raw + " ", "web", kReceivedAt, batch, nullptr));
  std::string_view id = batch.events[0].message_id;
  ASSERT_EQ(id.size(), 37u);
  EXPECT_EQ(id.substr(0, 5), "auto-");
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef", 5), std::string_view::npos) << id;
  EXPECT_EQ(batch.events[1].message_id, id) << "same source and bytes: same id";
  EXPECT_NE(batch.events[2].message_id, id) << "other source: other id";
  EXPECT_NE(batch.events[3].message_id, id) << "other bytes: other id";
}

TEST(Normalizer, TimestampRules) {
  const int64_t t0 = *parse_iso8601_ms("2026-01-02T10:00:00Z");
  const struct {
    const char *raw;
    int64_t expected;
  } cases[] = {
      // explicit timestamp wins over everything
      {R"({"type":"identify","userId":"u","timestamp":"2026-01-02T13:30:00+03:30",)"
       R"("originalTimestamp":"2020-01-01T00:00:00Z","sentAt":"2020-01-01T00:00:00Z"})",
       t0},
      // device clock 1h behind, sent 5 s after the event, received at kReceivedAt
      {R"({"type":"identify","userId":"u","originalTimestamp":"2026-01-02T09:00:00Z",)"
       R"("sentAt":"2026-01-02T09:00:05Z"})",
       kReceivedAt - 5000},
      // no sentAt: originalTimestamp as is
      {R"({"type":"identify","userId":"u","originalTimestamp":"2026-01-02T10:00:00.250Z"})",
       t0 + 250},
      // nothing: arrival time; null counts as absent
      {R"({"type":"identify","userId":"u"})", kReceivedAt},
      {R"({"type":"identify","userId":"u","timestamp":null})", kReceivedAt},
  };
  Normalizer n;
  EventBatch batch;
  for (const auto &c : cases) {
    Rejection why;
    ASSERT_TRUE(n.normalize(c.raw, "web", kReceivedAt, batch, &why)) << c.raw << why.message;
    EXPECT_EQ(batch.events.back().timestamp_ms, c.expected) << c.raw;
    EXPECT_EQ(batch.events.back().received_at_ms, kReceivedAt);
  }
}

TEST(Normalizer, IdentifiersFromTraitsAndContext) {
  Normalizer n;
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(R"({"type":"identify","userId":"  u-42 ","anonymousId":"a-9",)"
                          R"("traits":{"email":" Ali@Example.COM","phone":"۰۹۱۲ ۱۲۳ ۴۵۶۷"}})",
                          "web", kReceivedAt, batch, &why))
      << why.message;
  EXPECT_EQ(identifier(batch, 0, "user_id"), "u-42");
  EXPECT_EQ(identifier(batch, 0, "anonymous_id"), "a-9");
  EXPECT_EQ(identifier(batch, 0, "email"), "ali@example.com");
  EXPECT_EQ(identifier(batch, 0, "phone"), "+989121234567");
  EXPECT_EQ(batch.events[0].id_count, 4u);

  ASSERT_TRUE(n.normalize(
      R"({"type":"track","event":"Signed Up","anonymousId":"a-1",)"
      R"("context":{"traits":{"email":"B@X.IR","phone":"+98 912 000 1111","user_id":7}}})",
      "web", kReceivedAt, batch, &why))
      << why.message;
  EXPECT_EQ(identifier(batch, 1, "email"), "b@x.ir");
  EXPECT_EQ(identifier(batch, 1, "phone"), "+989120001111");
  EXPECT_EQ(identifier(batch, 1, "user_id"), "7") << "numbers count, as their text";
}

TEST(Normalizer, InvalidIdentifierFallsBackToNextPath) {
  Normalizer n;
  EventBatch batch;
  ASSERT_TRUE(n.normalize(
      R"({"type":"identify","anonymousId":"a-1","traits":{"email":"broken","phone":"call me"},)"
      R"("context":{"traits":{"email":"ok@x.ir"}}})",
      "web", kReceivedAt, batch, nullptr));
  EXPECT_EQ(identifier(batch, 0, "email"), "ok@x.ir");
  EXPECT_EQ(identifier(batch, 0, "phone"), "<none>") << "bad phone is skipped, event kept";
}

TEST(Normalizer, FirstPathWinsRegardlessOfOrderInRecord) {
  Normalizer n;
  EventBatch batch;
  ASSERT_TRUE(n.normalize(R"({"type":"identify","context":{"traits":{"email":"second@x.ir"}},)"
                          R"("traits":{"email":"first@x.ir"},"userId":"u"})",
                          "web", kReceivedAt, batch, nullptr));
  EXPECT_EQ(identifier(batch, 0, "email"), "first@x.ir");
}

TEST(Normalizer, CustomIdentifierRule) {
  NormalizeOptions options;
  options.identifiers.push_back(
      {"woo_customer_id", IdentifierRule::Kind::kText, {"properties.customer.id"}, "IR", {}});
  options.identifiers.push_back(
      {"pos_phone", IdentifierRule::Kind::kPhone, {"properties.customer.tel"}, "DE", {}});
  Normalizer n(options);
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(R"({"type":"track","event":"Order Completed",)"
                          R"("properties":{"customer":{"id":1234,"tel":"030 1234567"}}})",
                          "shop", kReceivedAt, batch, &why))
      << why.message;
  EXPECT_EQ(identifier(batch, 0, "woo_customer_id"), "1234");
  EXPECT_EQ(identifier(batch, 0, "pos_phone"), "+49301234567");
}

TEST(Normalizer, AliasPreviousIdIsAnonymousId) {
  Normalizer n;
  EventBatch batch;
  ASSERT_TRUE(n.normalize(R"({"type":"alias","previousId":"anon-7","userId":"u-7"})", "web",
                          kReceivedAt, batch, nullptr));
  EXPECT_EQ(identifier(batch, 0, "anonymous_id"), "anon-7");
  EXPECT_EQ(identifier(batch, 0, "user_id"), "u-7");
  // previousId alone is enough to identify an alias.
  EXPECT_TRUE(
      n.normalize(R"({"type":"alias","previousId":"anon-8"})", "web", kReceivedAt, batch, nullptr));
  // ...but not a track event: previousId means nothing there.
  EXPECT_FALSE(n.normalize(R"({"type":"track","event":"X","previousId":"anon-8"})", "web",
                           kReceivedAt, batch, nullptr));
}

TEST(Normalizer, DuplicateIdentifierRecordedOnce) {
  Normalizer n;
  EventBatch batch;
  ASSERT_TRUE(n.normalize(R"({"type":"alias","previousId":"a-1","anonymousId":"a-1","userId":"u"})",
                          "web", kReceivedAt, batch, nullptr));
  EXPECT_EQ(batch.events[0].id_count, 2u);
}

}  // namespace
}  // namespace halo
