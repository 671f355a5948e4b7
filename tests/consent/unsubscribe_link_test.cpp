// unsubscribe_link_test.cpp -- signed unsubscribe links
// (consent/unsubscribe_link.h): the token is the documented HMAC, binds id,
// channel and address, and the query parser refuses what is not a link.
#include <gtest/gtest.h>

#include "common/crypto.h"
#include "consent/unsubscribe_link.h"

namespace halo::consent {
namespace {

const UnsubscribeConfig kConfig{"https://shop.example/halo/unsubscribe", "/halo/unsubscribe",
                                "0123456789abcdef-secret"};

TEST(UnsubscribeLink, TheTokenIsTheDocumentedHmac) {
  const std::string token = unsubscribe_token(kConfig.secret, 42, "email", "sara@example.com");
  // docs/consent.md: base64url, unpadded, of HMAC-SHA256(secret, "<id>\n<channel>\n<address>").
  std::string expected = plugins::base64_encode(plugins::hmac(
      plugins::HmacAlgorithm::kSha256, kConfig.secret, "42\nemail\nsara@example.com"));
  for (char &c : expected) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (expected.back() == '=') expected.pop_back();
  EXPECT_EQ(token, expected);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(unsubscribe_link(kConfig, 42, "email", "sara@example.com"),
            "https://shop.example/halo/unsubscribe?m=42&t=" + token);
  UnsubscribeConfig with_query = kConfig;
  with_query.url += "?list=news";
  EXPECT_EQ(unsubscribe_link(with_query, 42, "email", "sara@example.com"),
            with_query.url + "&m=42&t=" + token);
  EXPECT_EQ(unsubscribe_link(UnsubscribeConfig{}, 42, "email", "sara@example.com"), "");
}

TEST(UnsubscribeLink, ATokenSignsOneMessageChannelAndAddress) {
  const std::string link = unsubscribe_link(kConfig, 7, "sms", "+989121234567");
  auto params = parse_link_query(link.substr(link.find('?') + 1));
  ASSERT_TRUE(params);
  EXPECT_EQ(params->message_id, 7u);
  EXPECT_TRUE(token_valid(kConfig.secret, *params, "sms", "+989121234567"));
  EXPECT_FALSE(token_valid(kConfig.secret, *params, "sms", "+989121234568"));
  EXPECT_FALSE(token_valid(kConfig.secret, *params, "email", "+989121234567"));
  EXPECT_FALSE(token_valid("another secret, 16+", *params, "sms", "+989121234567"));
  LinkParams other = *params;
  other.message_id = 8;
  EXPECT_FALSE(token_valid(kConfig.secret, other, "sms", "+989121234567"));
}

TEST(UnsubscribeLink, TheQueryParserRefusesWhatIsNotALink) {
  auto ok = parse_link_query("utm=x&m=12&t=abc_-XYZ");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->message_id, 12u);
  EXPECT_EQ(ok->token, "abc_-XYZ");
  for (const char *bad : {"", "m=12", "t=abc", "m=&t=abc", "m=12&t=", "m=1x&t=abc", "m=-1&t=abc",
                          "m=12&t=ab+c", "m=12&t=abc&t=abd", "m=12&m=13&t=abc",
                          "m=123456789012345678901&t=abc", "m=99999999999999999999&t=abc"}) {
    EXPECT_FALSE(parse_link_query(bad)) << bad;
  }
  EXPECT_FALSE(parse_link_query("m=1&t=" + std::string(65, 'a')));
}

}  // namespace
}  // namespace halo::consent
