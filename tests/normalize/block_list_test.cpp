// Block lists and built-in placeholders (normalize/block_list.h), and what
// the normalizer does with a blocked value.
#include "normalize/block_list.h"

#include <gtest/gtest.h>

#include <string>

#include "normalize/normalizer.h"

namespace halo {
namespace {

TEST(GlobMatch, StarMatchesAnyRunAndNothingElseIsSpecial) {
  EXPECT_TRUE(glob_match("noemail@*", "noemail@shop.ir"));
  EXPECT_TRUE(glob_match("*@mailinator.com", "x@mailinator.com"));
  EXPECT_TRUE(glob_match("a*b*c", "abc"));
  EXPECT_TRUE(glob_match("a*b*c", "a-b-b-c"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_FALSE(glob_match("noemail@*", "noemail"));
  EXPECT_FALSE(glob_match("a?c", "abc"));  // only `*` is special
  EXPECT_FALSE(glob_match("*@mailinator.com", "x@mailinator.com.ir"));
}

TEST(GlobMatch, NeverBacktracksExponentially) {
  // A naive recursive matcher takes 2^n steps here; this finishes at once.
  const std::string value(5000, 'a');
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*b", value));
  EXPECT_TRUE(glob_match("*a*a*a*a*a*a*a*a*a*a*a*a", value));
}

TEST(Placeholders, EmailsNamedInFormsThatIdentifyNobody) {
  using K = IdentifierRule::Kind;
  for (const char *e : {"test@test.com", "a@a.com", "noemail@shop.ir", "no-email@x.com",
                        "none@gmail.com", "nomail@example.ir"}) {
    EXPECT_TRUE(is_placeholder_identifier(K::kEmail, e)) << e;
  }
  for (const char *e : {"test@shop.ir", "noemailer@x.com", "ali@a.com", "mohammad26@example.ir"}) {
    EXPECT_FALSE(is_placeholder_identifier(K::kEmail, e)) << e;
  }
}

TEST(Placeholders, PhonesOfZerosOrOneDigitButNotMemorableNumbers) {
  using K = IdentifierRule::Kind;
  EXPECT_TRUE(is_placeholder_identifier(K::kPhone, "+989120000000"));
  EXPECT_TRUE(is_placeholder_identifier(K::kPhone, "+981111111111"));
  EXPECT_TRUE(is_placeholder_identifier(K::kPhone, "+15550000000"));
  EXPECT_FALSE(is_placeholder_identifier(K::kPhone, "+989121111111"));  // a real "rond" number
  EXPECT_FALSE(is_placeholder_identifier(K::kPhone, "+989121234567"));
  EXPECT_FALSE(is_placeholder_identifier(K::kPhone, "+989120000001"));
}

TEST(Placeholders, TextIdsOfZerosLongRepeatsAndNullWords) {
  using K = IdentifierRule::Kind;
  for (const char *id : {"0", "000", "11111111", "null", "NULL", "undefined", "None", "n/a"}) {
    EXPECT_TRUE(is_placeholder_identifier(K::kText, id)) << id;
  }
  // Sequential ids stay: customer 1, 11 and 1111111 are real people.
  for (const char *id : {"1", "11", "1111111", "10", "nullable", "u-0"}) {
    EXPECT_FALSE(is_placeholder_identifier(K::kText, id)) << id;
  }
}

TEST(BlockedIdentifier, OwnListThenPlaceholdersUnlessTurnedOff) {
  IdentifierRule rule{
      "email", IdentifierRule::Kind::kEmail, {}, "IR", {"*@mailinator.com", "x@y.ir"}};
  EXPECT_TRUE(is_blocked_identifier(rule, "abc@mailinator.com"));
  EXPECT_TRUE(is_blocked_identifier(rule, "x@y.ir"));
  EXPECT_TRUE(is_blocked_identifier(rule, "test@test.com"));
  EXPECT_FALSE(is_blocked_identifier(rule, "x@y.irr"));
  rule.block_placeholders = false;
  EXPECT_FALSE(is_blocked_identifier(rule, "test@test.com"));
  EXPECT_TRUE(is_blocked_identifier(rule, "x@y.ir"));
}

TEST(NormalizerBlocking, SkipsPlaceholdersCountsThemAndExplainsAnEmptyRecord) {
  Normalizer n;  // default identifiers: user_id, email, phone, anonymous_id
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(
      R"({"type":"identify","userId":"u1","traits":{"email":"Test@Test.com","phone":"09120000000"}})",
      "web", 0, batch, &why))
      << why.message;
  ASSERT_EQ(batch.events.size(), 1u);
  EXPECT_EQ(batch.events[0].id_count, 1u);  // user_id only
  EXPECT_EQ(n.blocked_identifiers(), 2u);
  ASSERT_FALSE(
      n.normalize(R"({"type":"identify","userId":"undefined","traits":{"email":"a@a.com"}})", "web",
                  0, batch, &why));
  EXPECT_EQ(why.reason, "no_identifier");
  EXPECT_NE(why.message.find("placeholders or block-listed values"), std::string::npos)
      << why.message;
  EXPECT_EQ(n.blocked_identifiers(), 4u);
  EXPECT_EQ(batch.events.size(), 1u);  // the rejected record added nothing
}

}  // namespace
}  // namespace halo
