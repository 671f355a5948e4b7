// secrets_test.cpp -- the secret registry: encoded forms, credential
// headers and query parameters, the short-value rule, masking, bounds, and
// the logger as a choke point.
#include "common/secrets.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "common/log.h"

namespace halo {
namespace {

// Reference encodings computed independently (RFC 4648 test vectors style):
// base64("ck_live_key:cs_live_secret"), percent and JSON forms.
const std::string kKey = "ck_live_key";
const std::string kSecret = "cs_live/secret+1";

bool leaks(const std::string &text, const std::vector<std::string> &values) {
  for (const std::string &v : values) {
    if (text.find(v) != std::string::npos) return true;
  }
  return false;
}

TEST(SecretRegistry, MasksTheValueAndItsEncodedForms) {
  SecretRegistry r;
  ASSERT_TRUE(r.add(kSecret));
  // base64("cs_live/secret+1") = "Y3NfbGl2ZS9zZWNyZXQrMQ==" (RFC 4648 section 4)
  EXPECT_EQ(r.mask("a cs_live/secret+1 b"), "a *** b");
  EXPECT_EQ(r.mask("x Y3NfbGl2ZS9zZWNyZXQrMQ== y"), "x ***== y");
  EXPECT_EQ(r.mask("unpadded Y3NfbGl2ZS9zZWNyZXQrMQ"), "unpadded ***");
  ASSERT_TRUE(r.add("\xfb\xff\xfe-bytes"));  // base64 "+//+" vs base64url "-__-"
  EXPECT_EQ(r.mask("u=-__-LWJ5dGVz"), "u=***");
  EXPECT_EQ(r.mask("q=cs_live%2Fsecret%2B1&x"), "q=***&x");
  EXPECT_EQ(r.mask("q=cs_live%2fsecret%2b1&x"), "q=***&x");
  // PHP's json_encode escapes '/' (WordPress error bodies).
  EXPECT_EQ(r.mask(R"({"v":"cs_live\/secret+1"})"), R"({"v":"***"})");
  EXPECT_EQ(r.mask("twice cs_live/secret+1cs_live/secret+1"), "twice ******");
  EXPECT_EQ(r.mask("nothing here"), "nothing here");
}

TEST(SecretRegistry, ValuesShorterThanTheMinimumAreNotRegistered) {
  SecretRegistry r;
  EXPECT_FALSE(r.add("abc12"));  // 5 bytes: masking would mangle ordinary text
  EXPECT_EQ(r.form_count(), 0u);
  EXPECT_EQ(r.mask("abc12 stays"), "abc12 stays");
  EXPECT_TRUE(r.add("abc123"));
  EXPECT_EQ(r.mask("abc123"), "***");
}

TEST(SecretRegistry, BasicAuthorizationRegistersThePairAndEachHalf) {
  SecretRegistry r;
  // base64("ck_live_key:cs_live/secret+1")
  const std::string header = "Basic Y2tfbGl2ZV9rZXk6Y3NfbGl2ZS9zZWNyZXQrMQ==";
  r.add_header("Authorization", header);
  const std::string echoed = R"({"code":"401","message":"bad Authorization: )" + header +
                             R"(","consumer_key":"ck_live_key","secret":"cs_live\/secret+1"})";
  const std::string masked = r.mask(echoed);
  EXPECT_FALSE(leaks(masked, {kKey, kSecret, "cs_live\\/secret+1", "Y2tfbGl2ZV9rZXk6Y3Nf"}))
      << masked;
  EXPECT_NE(masked.find("bad Authorization: ***"), std::string::npos) << masked;
}

TEST(SecretRegistry, OAuthHeaderRegistersKeyAndSignatureNotTheNonce) {
  SecretRegistry r;
  r.add_header("Authorization",
               R"(OAuth oauth_consumer_key="ck_oauth_key_1", oauth_nonce="nonce123456", )"
               R"(oauth_signature="ab%2Bcd%2Fef%3D%3D", oauth_signature_method="HMAC-SHA256")");
  EXPECT_EQ(r.mask("key ck_oauth_key_1"), "key ***");
  EXPECT_EQ(r.mask("sig ab+cd/ef=="), "sig ***");
  EXPECT_EQ(r.mask("sig ab%2Bcd%2Fef%3D%3D"), "sig ***");
  EXPECT_EQ(r.mask("nonce nonce123456"), "nonce nonce123456");
}

TEST(SecretRegistry, OnlyCredentialHeadersAndQueryParametersAreRegistered) {
  SecretRegistry r;
  r.add_header("Accept", "application/json");
  r.add_header("Content-Type", "application/json");
  EXPECT_EQ(r.form_count(), 0u);
  r.add_header("X-Api-Key", "k-123456789");
  EXPECT_EQ(r.mask("k-123456789"), "***");
  r.add_url_query(
      "https://h/p?page=2&consumer_key=ck_q_value&oauth_signature=sig%2Bvalue&per_page=100000");
  EXPECT_EQ(r.mask("ck_q_value sig+value sig%2Bvalue"), "*** *** ***");
  EXPECT_EQ(r.mask("per_page=100000"), "per_page=100000");
  EXPECT_TRUE(is_credential_name("Proxy-Authorization"));
  EXPECT_TRUE(is_credential_name("access_token"));
  EXPECT_FALSE(is_credential_name("X-WP-Total"));
}

TEST(SecretRegistry, BearerTokensAreMaskedWholeAndAlone) {
  SecretRegistry r;
  r.add_header("Authorization", "Bearer pat-na1-0b9d6c1e-7f3a");  // HubSpot-style
  EXPECT_EQ(r.mask("401: invalid token pat-na1-0b9d6c1e-7f3a"), "401: invalid token ***");
  EXPECT_EQ(r.mask("header was 'Bearer pat-na1-0b9d6c1e-7f3a'"), "header was '***'");
}

TEST(SecretRegistry, PerRequestValuesAreBounded) {
  SecretRegistry r;
  ASSERT_TRUE(r.add("pinned-secret-value"));
  for (int i = 0; i < 5000; ++i) {
    r.add_header("Authorization", "Bearer token-number-" + std::to_string(i));
  }
  EXPECT_LE(r.form_count(), kMaxEphemeralForms + secret_forms("pinned-secret-value").size());
  EXPECT_EQ(r.mask("pinned-secret-value"), "***");  // option values are never evicted
  EXPECT_EQ(r.mask("token-number-4999"), "***");    // the newest ones are kept
}

TEST(SecretRegistry, LongestFormIsMaskedFirst) {
  SecretRegistry r;
  ASSERT_TRUE(r.add("secret"));
  ASSERT_TRUE(r.add("secret-and-more"));
  EXPECT_EQ(r.mask("x secret-and-more y"), "x *** y");
}

// Per-request forms of every length pass through the FIFO: at any time the
// ones kept are masked longest first, beside and within the pinned ones,
// and an evicted one is no longer masked.
TEST(SecretRegistry, PerRequestFormsStayLongestFirstAsTheyComeAndGo) {
  SecretRegistry r;
  ASSERT_TRUE(r.add("pinned-abcdef"));
  for (int i = 0; i < 1500; ++i) {
    const std::string n = std::to_string(i);
    // "sig-<i>" and a longer "sig-<i>-pinned-abcdef-<tail>" that contains
    // the pinned value: masking the shorter first would leave the tail.
    r.add_header("X-Signature", "sig-" + n + std::string(i % 7, 'z'));
    r.add_header("X-Signature", "sig-" + n + "-pinned-abcdef-" + std::string(i % 5 + 1, 't'));
  }
  EXPECT_LE(r.form_count(), kMaxEphemeralForms + secret_forms("pinned-abcdef").size());
  const std::string last = "sig-1499-pinned-abcdef-" + std::string(1499 % 5 + 1, 't');
  EXPECT_EQ(r.mask("<" + last + ">"), "<***>");
  EXPECT_EQ(r.mask("<sig-1499" + std::string(1499 % 7, 'z') + ">"), "<***>");
  EXPECT_EQ(r.mask("<pinned-abcdef>"), "<***>");
  // The first request's forms were evicted long ago: only the pinned part
  // of its longer value is still masked.
  EXPECT_EQ(r.mask("<sig-0-pinned-abcdef-t>"), "<sig-0-***-t>");
}

TEST(SecretRegistry, ConcurrentAddAndMaskAreSafe) {
  SecretRegistry r;
  ASSERT_TRUE(r.add("pinned-value-xyz"));
  std::thread writer([&] {
    for (int i = 0; i < 300; ++i) r.add_header("Authorization", "Bearer tok-" + std::to_string(i));
  });
  int unmasked = 0;
  for (int i = 0; i < 300; ++i) unmasked += r.mask("a pinned-value-xyz b") != "a *** b";
  writer.join();
  EXPECT_EQ(unmasked, 0);
  EXPECT_EQ(r.mask("tok-299"), "***");
}

TEST(MaskValues, MasksOneRequestsSecretsWithoutTheRegistry) {
  EXPECT_EQ(mask_values("a TOKEN12 b TOKEN12", {"TOKEN12", "ab"}), "a *** b ***");
  EXPECT_EQ(secrets().mask("TOKEN12"), "TOKEN12");  // nothing was registered
}

TEST(Logger, MasksRegisteredSecretsInEveryLine) {
  register_secret("logger-secret-42");
  ::testing::internal::CaptureStderr();
  log_error("source 'shop' (woocommerce)",
            "401 body: {\"auth\":\"bG9nZ2VyLXNlY3JldC00Mg==\",\"v\":\"logger-secret-42\"}");
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.find("logger-secret-42"), std::string::npos) << err;
  EXPECT_EQ(err.find("bG9nZ2VyLXNlY3JldC00Mg"), std::string::npos) << err;
  EXPECT_NE(err.find("\"auth\":\"***==\""), std::string::npos) << err;
}

}  // namespace
}  // namespace halo
