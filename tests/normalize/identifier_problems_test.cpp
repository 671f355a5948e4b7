// An identifier that does not normalize: the record is kept without it and
// the problem is reported, unless another path of the rule gives a valid
// value or nothing else identifies the record.
#include <gtest/gtest.h>

#include "normalize/normalizer.h"

namespace halo {
namespace {

TEST(IdentifierProblems, BadValueIsReportedAndTheRestOfTheEventKept) {
  Normalizer n;
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(
      R"({"type":"identify","userId":"u1","traits":{"email":"not-an-email","phone":"12ab"}})",
      "web", 0, batch, &why))
      << why.message;
  ASSERT_EQ(batch.events.size(), 1u);
  EXPECT_EQ(batch.events[0].id_count, 1u);  // user_id
  ASSERT_EQ(n.identifier_problems().size(), 2u);
  EXPECT_EQ(n.identifier_problems()[0].type, "email");
  EXPECT_EQ(n.identifier_problems()[0].path, "traits.email");
  EXPECT_EQ(n.identifier_problems()[0].value, "not-an-email");
  EXPECT_EQ(n.identifier_problems()[1].type, "phone");
  // The next record starts clean.
  ASSERT_TRUE(n.normalize(R"({"type":"identify","userId":"u2"})", "web", 0, batch, &why));
  EXPECT_TRUE(n.identifier_problems().empty());
}

TEST(IdentifierProblems, AValidValueAtAnotherPathOfTheRuleIsNoProblem) {
  Normalizer n;
  EventBatch batch;
  Rejection why;
  ASSERT_TRUE(n.normalize(
      R"({"type":"identify","userId":"u1","traits":{"email":"bad"},"context":{"traits":{"email":"a@b.ir"}}})",
      "web", 0, batch, &why));
  EXPECT_TRUE(n.identifier_problems().empty());
  EXPECT_EQ(batch.events[0].id_count, 2u);
}

TEST(IdentifierProblems, AnOnlyIdentifierThatIsInvalidRejectsTheRecordSayingWhy) {
  Normalizer n;
  EventBatch batch;
  Rejection why;
  ASSERT_FALSE(
      n.normalize(R"({"type":"identify","traits":{"phone":"call me"}})", "web", 0, batch, &why));
  EXPECT_EQ(why.reason, "no_identifier");
  EXPECT_EQ(
      why.message,
      "the record's only identifier, phone at traits.phone, is not a valid phone ('call me'); "
      "fix the value or set userId or anonymousId");
  EXPECT_TRUE(n.identifier_problems().empty());  // reported once, as the rejection
}

TEST(IdentifierProblems, ReportedValuesAreCutTo64Bytes) {
  Normalizer n;
  EventBatch batch;
  Rejection why;
  const std::string long_value(500, 'x');
  ASSERT_TRUE(
      n.normalize(R"({"type":"identify","userId":"u","traits":{"email":")" + long_value + R"("}})",
                  "web", 0, batch, &why));
  ASSERT_EQ(n.identifier_problems().size(), 1u);
  EXPECT_EQ(n.identifier_problems()[0].value.size(), 64u);
}

}  // namespace
}  // namespace halo
