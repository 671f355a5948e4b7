// identifiers_test.cpp -- email, phone and text identifier normalization:
// tables of real-world spellings and of values that must be refused.
#include <gtest/gtest.h>

#include "normalize/identifiers.h"

namespace halo {
namespace {

struct Case {
  const char *input;
  const char *expected;  // nullptr: must be rejected
};

TEST(NormalizeEmail, Table) {
  const Case cases[] = {
      {"a@b.ir", "a@b.ir"},
      {"  Ali.Rezaei@Example.COM  ", "ali.rezaei@example.com"},
      {"\tUSER+tag@Mail.Example.org\n", "user+tag@mail.example.org"},
      {"user\xDB\xB1\xDB\xB2@example.ir", "user12@example.ir"},      // Persian ۱۲
      {"USER\xD9\xA3@example.ir", "user3@example.ir"},               // Arabic-Indic ٣
      {"Ren\xC3\x89@Caf\xC3\xA9.fr", "ren\xC3\x89@caf\xC3\xA9.fr"},  // non-ASCII kept
      {"\xE2\x80\x8E"
       "a@b.ir\xE2\x80\x8F",
       "a@b.ir"},  // LRM/RLM trimmed
      {"", nullptr},
      {"   ", nullptr},
      {"no-at-sign.example.com", nullptr},
      {"two@@example.com", nullptr},
      {"a@b@c.com", nullptr},
      {"@example.com", nullptr},
      {"user@", nullptr},
      {"user name@example.com", nullptr},
      {"user@exa mple.com", nullptr},
      {"user\xC2\xA0@example.com", nullptr},  // NBSP inside
  };
  for (const Case &c : cases) {
    auto got = normalize_email(c.input);
    if (c.expected == nullptr) {
      EXPECT_FALSE(got.has_value()) << "input: [" << c.input << "] gave " << got.value_or("");
    } else {
      ASSERT_TRUE(got.has_value()) << "input: [" << c.input << "]";
      EXPECT_EQ(*got, c.expected) << "input: [" << c.input << "]";
      EXPECT_EQ(normalize_email(*got), got) << "not idempotent: " << *got;
    }
  }
}

TEST(NormalizePhone, IranianForms) {
  const char *forms[] = {
      "09121234567",
      "0912 123 4567",
      "0912-123-4567",
      "(0912) 123.4567",
      "\xDB\xB0\xDB\xB9\xDB\xB1\xDB\xB2 \xDB\xB1\xDB\xB2\xDB\xB3 "
      "\xDB\xB4\xDB\xB5\xDB\xB6\xDB\xB7",  // ۰۹۱۲ ۱۲۳ ۴۵۶۷
      "\xD9\xA0\xD9\xA9\xD9\xA1\xD9\xA2\xD9\xA1\xD9\xA2\xD9\xA3\xD9\xA4\xD9\xA5\xD9\xA6\xD9"
      "\xA7",  // ٠٩١٢١٢٣٤٥٦٧
      "+98 (912) 123-4567",
      "+98 912 123 4567",
      "+989121234567",
      "+98 0912 123 4567",  // redundant trunk 0
      "0098 912 1234567",
      "00989121234567",
      "9121234567",
      "989121234567",
      "\xE2\x80\x8E+98 912 123 4567\xE2\x80\x8F",  // wrapped in LRM/RLM
  };
  for (const char *form : forms) {
    auto got = normalize_phone(form, "IR");
    ASSERT_TRUE(got.has_value()) << "input: [" << form << "]";
    EXPECT_EQ(*got, "+989121234567") << "input: [" << form << "]";
  }
  EXPECT_EQ(normalize_phone("021 8888 7777", "IR"), "+982188887777");  // Tehran landline
}

TEST(NormalizePhone, OtherRegions) {
  const struct {
    const char *input, *region, *expected;
  } cases[] = {
      {"(415) 555-0123", "US", "+14155550123"},     {"1 415 555 0123", "US", "+14155550123"},
      {"415.555.0123", "us", "+14155550123"},       {"011 44 20 7946 0958", "US", "+442079460958"},
      {"+1 415 555 0123", "IR", "+14155550123"},    {"020 7946 0958", "GB", "+442079460958"},
      {"07911 123456", "GB", "+447911123456"},      {"+44 (0) 20 7946 0958", "GB", "+442079460958"},
      {"030 1234567", "DE", "+49301234567"},        {"0151 23456789", "DE", "+4915123456789"},
      {"050 123 4567", "AE", "+971501234567"},      {"0532 123 45 67", "TR", "+905321234567"},
      {"+33 1 23 45 67 89", "IR", "+33123456789"},  // no plan for FR: E.164 length only
      {"0033 1 23 45 67 89", "XX", "+33123456789"},
  };
  for (const auto &c : cases) {
    auto got = normalize_phone(c.input, c.region);
    ASSERT_TRUE(got.has_value()) << c.input << " in " << c.region;
    EXPECT_EQ(*got, c.expected) << c.input << " in " << c.region;
    EXPECT_EQ(normalize_phone(*got, c.region), got) << "not idempotent: " << *got;
  }
}

TEST(NormalizePhone, RejectsGarbage) {
  const char *garbage[] = {
      "",
      "   ",
      "call me",
      "0912 123 45x7",
      "0912-CALL-NOW",
      "+",
      "12345",
      "+98 912 123",        // too short for Iran
      "+98 912 123 45678",  // too long for Iran
      "+1234567890123456",  // 16 digits: beyond E.164
      "0912 123 4567 +1",   // '+' after digits
      "++989121234567",
      "912123456",  // 9 digits: not an Iranian mobile
      "1234567",
      "+0912 123 4567",  // country codes never start with 0
  };
  for (const char *g : garbage) {
    EXPECT_FALSE(normalize_phone(g, "IR").has_value())
        << "input: [" << g << "] gave " << normalize_phone(g, "IR").value_or("");
  }
  EXPECT_FALSE(normalize_phone("4155550123", "XX").has_value())
      << "national number, unknown region";
}

TEST(NormalizeTextIdentifier, TrimsAndFoldsDigits) {
  std::string out;
  ASSERT_TRUE(normalize_text_identifier_to("  u-\xDB\xB4\xDB\xB2 ", out));
  EXPECT_EQ(out, "u-42");
  out.clear();
  EXPECT_FALSE(normalize_text_identifier_to(" \t ", out));
  EXPECT_TRUE(out.empty());
}

TEST(DefaultIdentifierRules, SegmentLocations) {
  auto rules = default_identifier_rules();
  ASSERT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules[0].type, "user_id");
  EXPECT_EQ(rules[0].paths.front(), "userId");
  EXPECT_EQ(rules[1].type, "email");
  EXPECT_EQ(rules[1].kind, IdentifierRule::Kind::kEmail);
  EXPECT_EQ(rules[2].type, "phone");
  EXPECT_EQ(rules[2].kind, IdentifierRule::Kind::kPhone);
  EXPECT_EQ(rules[3].paths, std::vector<std::string>{"anonymousId"});
}

}  // namespace
}  // namespace halo

namespace halo {
namespace {

// Found by fuzz/phone_fuzz.cpp: "+9000258861322" became "+900258861322",
// which normalized again to something else. A national number after the
// country code may carry one redundant trunk 0, never two.
TEST(NormalizePhone, TwoTrunkZerosAfterTheCountryCodeAreRefused) {
  for (const char *region : {"IR", "US", ""}) {
    EXPECT_FALSE(normalize_phone("+9000258861322", region).has_value()) << region;
    EXPECT_FALSE(normalize_phone("+98 00912 123 4567", region).has_value()) << region;
  }
  EXPECT_EQ(normalize_phone("+98 0912 123 4567", "US").value_or(""), "+989121234567");
  EXPECT_EQ(normalize_phone("+90 0532 123 4567", "IR").value_or(""), "+905321234567");
}

TEST(NormalizePhone, EveryResultNormalizesToItself) {
  for (const char *raw : {"+90 0532 123 4567", "09121234567", "00989121234567", "+1 (415) 555-0123",
                          "+44 07700 900123", "+4915112345678"}) {
    for (const char *region : {"IR", "US", "GB", ""}) {
      std::optional<std::string> once = normalize_phone(raw, region);
      if (!once) continue;
      EXPECT_EQ(normalize_phone(*once, region).value_or("<refused>"), *once)
          << raw << " in " << region;
    }
  }
}

}  // namespace
}  // namespace halo
