// persian_test.cpp -- digit and letter folding, including mixed scripts and
// bytes that merely look similar (must pass through unchanged).
#include <gtest/gtest.h>

#include "normalize/persian.h"

namespace halo {
namespace {

TEST(FoldDigits, PersianArabicAndFullWidth) {
  EXPECT_EQ(fold_digits(
                "\xDB\xB0\xDB\xB1\xDB\xB2\xDB\xB3\xDB\xB4\xDB\xB5\xDB\xB6\xDB\xB7\xDB\xB8\xDB\xB9"),
            "0123456789");
  EXPECT_EQ(fold_digits(
                "\xD9\xA0\xD9\xA1\xD9\xA2\xD9\xA3\xD9\xA4\xD9\xA5\xD9\xA6\xD9\xA7\xD9\xA8\xD9\xA9"),
            "0123456789");
  EXPECT_EQ(fold_digits("\xEF\xBC\x90\xEF\xBC\x99"), "09");
  EXPECT_EQ(fold_digits("order #\xDB\xB1\xDB\xB2 ok"), "order #12 ok");
}

TEST(FoldDigits, LeavesOtherTextAlone) {
  EXPECT_EQ(fold_digits(""), "");
  EXPECT_EQ(fold_digits("abc 123"), "abc 123");
  // "سلام" (Persian letters, lead bytes D8/D9 but not digits) is unchanged.
  EXPECT_EQ(fold_digits("\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85"), "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85");
  // A truncated sequence at the end is passed through, not read past.
  EXPECT_EQ(fold_digits("1\xDB"), "1\xDB");
}

TEST(FoldPersianLetters, ArabicYehAndKaf) {
  // علي -> علی ; كريم -> کریم ; موسى -> موسی
  EXPECT_EQ(fold_persian_letters("\xD8\xB9\xD9\x84\xD9\x8A"), "\xD8\xB9\xD9\x84\xDB\x8C");
  EXPECT_EQ(fold_persian_letters("\xD9\x83\xD8\xB1\xD9\x8A\xD9\x85"),
            "\xDA\xA9\xD8\xB1\xDB\x8C\xD9\x85");
  EXPECT_EQ(fold_persian_letters("\xD9\x85\xD9\x88\xD8\xB3\xD9\x89"),
            "\xD9\x85\xD9\x88\xD8\xB3\xDB\x8C");
}

TEST(FoldPersianLetters, KeepsPersianAndLatin) {
  const std::string persian = "\xDA\xA9\xD8\xB1\xDB\x8C\xD9\x85";  // کریم already Persian
  EXPECT_EQ(fold_persian_letters(persian), persian);
  EXPECT_EQ(fold_persian_letters("Karim"), "Karim");
  EXPECT_EQ(fold_persian_letters("\xD9\x8A"), "\xDB\x8C");
  EXPECT_EQ(fold_persian_letters("\xD9"), "\xD9");  // lone lead byte untouched
}

TEST(FoldPersianLetters, InPlaceKeepsLength) {
  std::string s = "\xD8\xB9\xD9\x84\xD9\x8A \xD9\x83";
  fold_persian_letters_to(s, s.data());
  EXPECT_EQ(s, "\xD8\xB9\xD9\x84\xDB\x8C \xDA\xA9");
}

}  // namespace
}  // namespace halo
