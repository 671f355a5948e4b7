// Folding and the cross-script skeleton.
#include "linkage/name_fold.h"

#include <gtest/gtest.h>

namespace halo::linkage {
namespace {

TEST(FoldText, LowerCasesAndTurnsPunctuationIntoOneSpace) {
  EXPECT_EQ(fold_text("  O'Brien--SMITH  "), "o brien smith");
  EXPECT_EQ(fold_text("..."), "");
}

TEST(FoldText, WritesArabicLetterVariantsAsPersianLetters) {
  EXPECT_EQ(fold_text("على"), "علی");      // alef maksura -> Persian yeh
  EXPECT_EQ(fold_text("علي"), "علی");      // Arabic yeh
  EXPECT_EQ(fold_text("كاظمی"), "کاظمی");  // Arabic kaf
  EXPECT_EQ(fold_text("أحمد"), "احمد");    // hamza on alef
}

TEST(FoldText, RemovesJoinersTatweelAndDiacritics) {
  EXPECT_EQ(fold_text("می\u200Cخواهم"), "میخواهم");  // ZWNJ
  EXPECT_EQ(fold_text("محـــمد"), "محمد");           // tatweel
  EXPECT_EQ(fold_text("مُحَمَّد"), "محمد");              // damma, fatha, shadda
}

TEST(FoldText, WritesPersianAndArabicDigitsAsAscii) {
  EXPECT_EQ(fold_text("۰۹۱۲"), "0912");
  EXPECT_EQ(fold_text("٠٩١٢"), "0912");
}

TEST(FoldText, IsIdempotent) {
  for (const char *s : {"  O'Brien ", "علي  رضائي", "۱۲۳-abc", "\xff\xfe", ""}) {
    EXPECT_EQ(fold_text(fold_text(s)), fold_text(s)) << s;
  }
}

TEST(Skeleton, GivesOneKeyForAPersianNameInBothScripts) {
  EXPECT_EQ(skeleton(fold_text("Mohammad Rezaei")), "mhmd rz");
  EXPECT_EQ(skeleton(fold_text("محمد رضایی")), "mhmd rz");
  EXPECT_EQ(skeleton(fold_text("Hossein Karimi")), skeleton(fold_text("حسین کریمی")));
  EXPECT_EQ(skeleton(fold_text("Fatemeh Ghasemi")), skeleton(fold_text("فاطمه قاسمی")));
  EXPECT_NE(skeleton(fold_text("Ali Karimi")), skeleton(fold_text("Reza Karimi")));
}

TEST(HasArabicScript, FindsArabicScriptLettersOnly) {
  EXPECT_TRUE(has_arabic_script("Ali علی"));
  EXPECT_FALSE(has_arabic_script("Ali Ünal"));
}

}  // namespace
}  // namespace halo::linkage
