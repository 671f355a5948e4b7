// Identity decisions applied at normalization. Probabilistic links
// (NormalizeOptions::linked): an identifier with a link brings the link
// key's identifier, keys chain, and a cycle ends. Detached records
// (NormalizeOptions::detached_records): only the strongest identifier stays.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "normalize/normalizer.h"
#include "normalizer_test_util.h"

namespace halo {
namespace {

std::set<std::string> identifiers_of(std::string_view raw, NormalizeOptions options) {
  Normalizer n(std::move(options));
  EventBatch batch;
  Rejection why;
  EXPECT_TRUE(n.normalize(raw, "crm", testing::kReceivedAt, batch, &why)) << why.message;
  std::set<std::string> out;
  if (batch.size() != 1) return out;
  const Event &e = batch.events[0];
  for (uint32_t k = e.id_begin; k < e.id_begin + e.id_count; ++k) {
    out.insert(std::string(batch.identifiers[k].type) + "=" +
               std::string(batch.identifiers[k].value));
  }
  return out;
}

TEST(LinkedIdentifiers, AnIdentifierWithALinkBringsItsKeyAndKeysChain) {
  NormalizeOptions o;
  o.linked[linked_key("email", "a@x.ir")] = "email:a@x.ir";
  o.linked[linked_key("linked", "email:a@x.ir")] = "user_id:u1";  // two clusters joined later
  const char *raw = R"({"type":"identify","userId":"u7","traits":{"email":"A@x.ir"}})";
  EXPECT_EQ(identifiers_of(raw, o),
            (std::set<std::string>{"user_id=u7", "email=a@x.ir", "linked=email:a@x.ir",
                                   "linked=user_id:u1"}));
  // Without a link, nothing is added.
  EXPECT_EQ(identifiers_of(R"({"type":"identify","userId":"u8"})", o),
            (std::set<std::string>{"user_id=u8"}));
}

TEST(LinkedIdentifiers, ACycleOfKeysEnds) {
  NormalizeOptions o;
  o.linked[linked_key("user_id", "u1")] = "k1";
  o.linked[linked_key("linked", "k1")] = "k2";
  o.linked[linked_key("linked", "k2")] = "k1";
  EXPECT_EQ(identifiers_of(R"({"type":"identify","userId":"u1"})", o),
            (std::set<std::string>{"user_id=u1", "linked=k1", "linked=k2"}));
}

// user_id 1, email 2, phone 2 (a tie: email comes first), anonymous_id 9.
NormalizeOptions ranked_rules() {
  NormalizeOptions o;
  for (IdentifierRule &rule : o.identifiers) {
    rule.priority = rule.type == "user_id" ? 1 : rule.type == "anonymous_id" ? 9 : 2;
  }
  return o;
}

TEST(DetachedRecords, ADetachedRecordKeepsOnlyItsStrongestIdentifier) {
  NormalizeOptions o = ranked_rules();
  o.detached_records.insert(detached_record_key("crm", "m1"));
  const char *all =
      R"({"type":"identify","messageId":"m1","userId":"u1","anonymousId":"d1","traits":{"email":"a@x.ir","phone":"09121234567"}})";
  EXPECT_EQ(identifiers_of(all, o), (std::set<std::string>{"user_id=u1"}));
  const char *no_user =
      R"({"type":"identify","messageId":"m1","anonymousId":"d1","traits":{"phone":"09121234567","email":"a@x.ir"}})";
  EXPECT_EQ(identifiers_of(no_user, o), (std::set<std::string>{"email=a@x.ir"}));  // the tie
  EXPECT_EQ(identifiers_of(R"({"type":"page","messageId":"m1","anonymousId":"d1"})", o),
            (std::set<std::string>{"anonymous_id=d1"}));
}

TEST(DetachedRecords, OnlyTheNamedRecordOfTheNamedSourceIsDetached) {
  NormalizeOptions o = ranked_rules();
  o.detached_records.insert(detached_record_key("web", "m1"));  // another source
  o.detached_records.insert(detached_record_key("crm", "m2"));
  const char *m1 = R"({"type":"identify","messageId":"m1","userId":"u1","anonymousId":"d1"})";
  EXPECT_EQ(identifiers_of(m1, o), (std::set<std::string>{"user_id=u1", "anonymous_id=d1"}));
}

TEST(DetachedRecords, TheKeptIdentifierStillBringsItsLink) {
  NormalizeOptions o = ranked_rules();
  o.detached_records.insert(detached_record_key("crm", "m1"));
  o.linked[linked_key("user_id", "u1")] = "k1";
  o.linked[linked_key("anonymous_id", "d1")] = "k2";
  const char *raw = R"({"type":"identify","messageId":"m1","userId":"u1","anonymousId":"d1"})";
  EXPECT_EQ(identifiers_of(raw, o), (std::set<std::string>{"user_id=u1", "linked=k1"}));
}

}  // namespace
}  // namespace halo
