// datagen_units_test.cpp -- the generator's building blocks: portable random
// draws, exact money/time formatting, identifier variants, option errors.
#include <gtest/gtest.h>

#include <set>

#include "bench.h"
#include "demo.h"
#include "identity_forms.h"
#include "output_file.h"
#include "rng.h"
#include "test_support.h"
#include "text_format.h"
#include "typos.h"

namespace halo::datagen {
namespace {

using testing::normalize_email;
using testing::normalize_phone;

TEST(DatagenRng, BetweenStaysInRangeAndHitsBothEnds) {
  Rng rng(1);
  std::set<int64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const int64_t v = rng.between(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
}

TEST(DatagenRng, SameSeedSameStreamDifferentSeedDifferent) {
  Rng a(99), b(99), c(100);
  bool any_difference = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.next();
    ASSERT_EQ(x, b.next());
    any_difference |= x != c.next();
  }
  EXPECT_TRUE(any_difference);
}

TEST(DatagenRng, UuidsAreUniqueAndShaped) {
  Rng rng(5);
  UuidFactory uuids;
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = uuids.make(rng);
    ASSERT_EQ(id.size(), 36u);
    ASSERT_EQ(id[8], '-');
    ASSERT_EQ(id[14], '4');
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 10000u);
}

TEST(DatagenFormat, MoneyIsExactWithTwoDecimals) {
  EXPECT_EQ(money_string(4250), "42.50");
  EXPECT_EQ(money_string(5), "0.05");
  EXPECT_EQ(money_string(-5), "-0.05");
  EXPECT_EQ(money_string(123456789012345), "1234567890123.45");
  std::string number;
  append_money_number(number, 450000000);
  EXPECT_EQ(number, "4500000");
  number.clear();
  append_money_number(number, 4250);
  EXPECT_EQ(number, "42.5");
}

TEST(DatagenFormat, CivilTimeRoundTripsAndMatchesKnownEpochs) {
  EXPECT_EQ(epoch_from_civil(2026, 3, 1), 1772323200);
  EXPECT_EQ(epoch_from_civil(1970, 1, 1), 0);
  std::string s;
  append_iso_millis_z(s, epoch_from_civil(2024, 2, 29) + 3600 * 23 + 59 * 60 + 58, 7);
  EXPECT_EQ(s, "2024-02-29T23:59:58.007Z");
  s.clear();
  append_iso_no_zone(s, 1772323200 + 14 * 3600 + 22 * 60 + 5);
  EXPECT_EQ(s, "2026-03-01T14:22:05");
  s.clear();
  append_space_datetime(s, 1772323200 + 14 * 3600 + 22 * 60 + 5);
  EXPECT_EQ(s, "2026-03-01 14:22:05");
}

TEST(DatagenFormat, CsvFieldQuotedOnlyWhenNeeded) {
  std::string out;
  append_csv_field(out, "plain");
  out += ',';
  append_csv_field(out, "a, \"b\"");
  EXPECT_EQ(out, "plain,\"a, \"\"b\"\"\"");
  const auto fields = testing::split_csv(out);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[1], "a, \"b\"");
}

TEST(DatagenFormat, JsonStringEscapesQuotesBackslashesAndControls) {
  std::string out;
  append_json_string(out, "a\"b\\c\n\x01");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\u000a\\u0001\"");
}

TEST(DatagenFormat, PersianDigitsAndArabicLetters) {
  EXPECT_EQ(to_persian_digits("0912"), "۰۹۱۲");
  EXPECT_EQ(to_arabic_letters("کیان یزدانی"), "كيان يزداني");
}

TEST(DatagenIdentityForms, EveryPhoneVariantNormalizesToE164AndAllFormsOccur) {
  Rng rng(3);
  std::set<std::string> shapes;
  for (int i = 0; i < 500; ++i) {
    const std::string raw = phone_variant("9121234567", rng);
    const auto normalized = normalize_phone(raw);
    ASSERT_TRUE(normalized.has_value()) << raw;
    ASSERT_EQ(*normalized, phone_e164("9121234567")) << raw;
    shapes.insert(raw);
  }
  EXPECT_EQ(shapes.size(), 5u);
  EXPECT_TRUE(shapes.count("۰۹۱۲۱۲۳۴۵۶۷"));
  EXPECT_TRUE(shapes.count("+98 912 123 4567"));
  EXPECT_TRUE(shapes.count("0098-912-1234567"));
}

TEST(DatagenIdentityForms, EmailVariantsNormalizeBackAndVaryCase) {
  Rng rng(4);
  std::set<std::string> shapes;
  for (int i = 0; i < 300; ++i) {
    const std::string raw = email_variant("ali.rezaei12@gmail.com", rng, true);
    ASSERT_EQ(normalize_email(raw), "ali.rezaei12@gmail.com") << raw;
    shapes.insert(raw);
  }
  EXPECT_TRUE(shapes.count("Ali.Rezaei12@Gmail.Com"));
  EXPECT_TRUE(shapes.count("ALI.REZAEI12@GMAIL.COM"));
  EXPECT_GT(shapes.size(), 4u);  // includes space-padded forms
}

// The digits of a demo email's local part are its owner's index; a typo
// that kept them anywhere else could name another person.
std::string digits_of(std::string_view s) {
  std::string d;
  for (char c : s) {
    if (c >= '0' && c <= '9') d += c;
  }
  return d;
}

TEST(DatagenTypos, MistypedEmailsDifferKeepTheirDigitsAndStayAddresses) {
  Rng rng(5);
  std::set<std::string> seen;
  for (std::string_view email :
       {"ali.rezaei12@gmail.com", "s.karimi7@yahoo.com", "nima3@chmail.ir"}) {
    for (int i = 0; i < 200; ++i) {
      const std::string typed = mistype_email(email, rng);
      ASSERT_NE(typed, email);
      const size_t at = typed.find('@');
      ASSERT_NE(at, std::string::npos) << typed;
      EXPECT_EQ(typed.find('@', at + 1), std::string::npos) << typed;
      EXPECT_EQ(digits_of(typed.substr(0, at)), digits_of(email.substr(0, email.find('@'))));
      EXPECT_EQ(typed.substr(typed.rfind('.')), email.substr(email.rfind('.'))) << "the TLD stays";
      EXPECT_NE(typed.front(), '.') << typed;
      EXPECT_EQ(normalize_email(typed), typed) << "already canonical: " << typed;
      seen.insert(typed);
    }
  }
  EXPECT_TRUE(seen.count("ali.rezaei12@gmial.com"));   // a swap in the domain
  EXPECT_TRUE(seen.count("alli.rezaei12@gmail.com"));  // a doubled letter
}

TEST(DatagenTypos, MistypedNamesSwapTwoCodePointsAndStayUtf8) {
  Rng rng(6);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(mistype_name("علی", rng));
  EXPECT_EQ(seen, (std::set<std::string>{"لعی", "عیل"}));
  EXPECT_EQ(mistype_name("آ", rng), "آ");      // one code point: nothing to swap
  EXPECT_EQ(mistype_name("ببب", rng), "ببب");  // all the same
  const std::string two_words = mistype_name("امیر حسین", rng);
  EXPECT_NE(two_words, "امیر حسین");
  EXPECT_EQ(two_words.size(), std::string("امیر حسین").size());
  EXPECT_NE(two_words.find(' '), std::string::npos) << "the space stays between the words";
}

TEST(DatagenOptions, DemoRejectsZeroCustomersNamingTheFlag) {
  auto result = run_demo({testing::fresh_dir("opts"), 0, 1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("--customers"), std::string::npos);
}

TEST(DatagenOptions, DemoReportsUnwritableDirectoryByPath) {
  const auto dir = testing::fresh_dir("opts");
  const auto blocker = dir / "a-file";
  ASSERT_TRUE(write_whole_file(blocker, "x").ok());
  auto result = run_demo({blocker / "sub", 10, 1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kIo);
  EXPECT_NE(result.status().message().find(blocker.string()), std::string::npos);
}

TEST(DatagenOptions, BenchReportsUnwritableFileByPathAndRejectsZeroEvents) {
  const auto dir = testing::fresh_dir("opts");
  auto missing = run_bench({dir / "no-such-dir" / "x.jsonl", 10, 10, 1});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kIo);
  EXPECT_NE(missing.status().message().find("no-such-dir"), std::string::npos);
  auto zero = run_bench({dir / "x.jsonl", 0, 10, 1});
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("--events"), std::string::npos);
  auto too_many = run_bench({dir / "x.jsonl", 10, UINT32_MAX, 1});  // "--customers -1"
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_many.status().message().find("--customers"), std::string::npos);
}

}  // namespace
}  // namespace halo::datagen
