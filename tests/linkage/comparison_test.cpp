// Agreement levels of every comparator.
#include "linkage/comparison.h"

#include <gtest/gtest.h>

namespace halo::linkage {
namespace {

uint8_t level(Compare c, const char *a, const char *b, double near = 0) {
  return compare_values(c, near, prepare_value(c, a), prepare_value(c, b));
}

TEST(Comparison, EmptyOnEitherSideIsMissingNotDisagreement) {
  for (Compare c : {Compare::kExact, Compare::kCode, Compare::kName, Compare::kText, Compare::kDate,
                    Compare::kNumber}) {
    EXPECT_EQ(level(c, "", "x"), kMissing) << compare_name(c);
    EXPECT_EQ(level(c, " ", ""), kMissing) << compare_name(c);
  }
  EXPECT_EQ(level(Compare::kName, "--", "smith"), kMissing);  // punctuation only folds to nothing
}

TEST(Comparison, ExactAndCode) {
  EXPECT_EQ(level(Compare::kExact, "NSW", "nsw"), 0);  // folded first
  EXPECT_EQ(level(Compare::kExact, "nsw", "vic"), 1);
  EXPECT_EQ(level(Compare::kCode, "4011", "4011"), 0);
  EXPECT_EQ(level(Compare::kCode, "4011", "4017"), 1);
  EXPECT_EQ(level(Compare::kCode, "4011", "0411"), 1);  // swapped digits
  EXPECT_EQ(level(Compare::kCode, "4011", "5922"), 2);
  EXPECT_EQ(level(Compare::kCode, "۴۰۱۱", "4011"), 0);  // Persian digits
}

TEST(Comparison, NamesByJaroWinklerBands) {
  EXPECT_EQ(level(Compare::kName, "O'Brien", "o brien"), 0);
  EXPECT_EQ(level(Compare::kName, "martha", "marhta"), 1);  // 0.961
  EXPECT_EQ(level(Compare::kName, "dwayne", "duane"), 2);   // 0.840
  EXPECT_EQ(level(Compare::kName, "lachlan", "berry"), 3);
  EXPECT_EQ(level(Compare::kName, "علي", "علی"), 0);  // letter variants
}

TEST(Comparison, NamesAcrossScriptsThroughTheSkeleton) {
  EXPECT_EQ(level(Compare::kName, "Mohammad Rezaei", "محمد رضایی"), 1);
  EXPECT_EQ(level(Compare::kName, "Mohammad", "محمد"), 1);
  EXPECT_EQ(level(Compare::kName, "Zahra", "محمد"), 3);
}

TEST(Comparison, DatesEqualTypedOrSwapped) {
  EXPECT_EQ(level(Compare::kDate, "19810412", "19810412"), 0);
  EXPECT_EQ(level(Compare::kDate, "1981-04-12", "19810412"), 0);  // one day, two spellings
  EXPECT_EQ(level(Compare::kDate, "19810412", "19810413"), 1);    // one digit
  EXPECT_EQ(level(Compare::kDate, "19810412", "19811204"), 1);    // day and month swapped
  EXPECT_EQ(level(Compare::kDate, "19810412", "19920630"), 2);
  EXPECT_EQ(level(Compare::kDate, "19810230", "19810230"), 0);  // equal text, even if no date
}

TEST(Comparison, NumbersWithinNear) {
  EXPECT_EQ(level(Compare::kNumber, "10.0", "10", 0.5), 0);
  EXPECT_EQ(level(Compare::kNumber, "10", "10.4", 0.5), 1);
  EXPECT_EQ(level(Compare::kNumber, "10", "11", 0.5), 2);
  EXPECT_EQ(level(Compare::kNumber, "10", "ten", 0.5), 2);  // not a number: not near
}

TEST(Comparison, NamesEveryLevel) {
  EXPECT_EQ(level_count(Compare::kName), 4u);
  EXPECT_STREQ(level_name(Compare::kCode, 1), "one edit");
  EXPECT_STREQ(level_name(Compare::kCode, kMissing), "missing");
  EXPECT_EQ(compare_from_name("date"), Compare::kDate);
  EXPECT_FALSE(compare_from_name("fuzzy"));
}

}  // namespace
}  // namespace halo::linkage
