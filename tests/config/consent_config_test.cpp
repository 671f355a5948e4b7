// consent_config_test.cpp -- the pipeline's `consent:` section
// (docs/consent.md): absent means no links; url, path and secret read, the
// path defaulting to the url's; every bad value refused with its position
// and what to write instead.
#include <gtest/gtest.h>

#include "config/pipeline_config.h"

namespace halo {
namespace {

const char *kBase =
    "version: 1\n"
    "store: { kind: sqlite, path: var/halo.db }\n"
    "sources:\n"
    "  - { name: web, plugin: file-jsonl, config: { path: a.jsonl } }\n";

Result<PipelineConfig> parse_consent(const std::string &consent) {
  return parse_pipeline(std::string(kBase) + consent, "p.yaml",
                        [](const std::string &) { return std::optional<std::string>(); });
}

std::string consent_error(const std::string &consent) {
  auto cfg = parse_consent(consent);
  EXPECT_FALSE(cfg.ok()) << consent;
  return cfg.ok() ? "" : cfg.status().message();
}

TEST(ConsentConfig, AbsentMeansNoLinks) {
  auto cfg = parse_consent("");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->consent.unsubscribe.url, "");
}

TEST(ConsentConfig, ThePathDefaultsToTheUrls) {
  auto cfg = parse_consent(
      "consent:\n  unsubscribe:\n    url: https://shop.example/halo/unsub?list=news\n"
      "    secret: 0123456789abcdef\n");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->consent.unsubscribe.url, "https://shop.example/halo/unsub?list=news");
  EXPECT_EQ(cfg->consent.unsubscribe.path, "/halo/unsub");
  EXPECT_EQ(cfg->consent.unsubscribe.secret, "0123456789abcdef");
  auto bare = parse_consent(
      "consent: { unsubscribe: { url: \"https://shop.example\", secret: 0123456789abcdef } }\n");
  ASSERT_TRUE(bare.ok()) << bare.status().message();
  EXPECT_EQ(bare->consent.unsubscribe.path, "/");
  auto own = parse_consent(
      "consent: { unsubscribe: { url: \"https://shop.example/u\", path: /halo/u, "
      "secret: 0123456789abcdef } }\n");
  ASSERT_TRUE(own.ok()) << own.status().message();
  EXPECT_EQ(own->consent.unsubscribe.path, "/halo/u");
}

TEST(ConsentConfig, BadValuesAreRefusedWithTheirPosition) {
  const std::string short_secret = consent_error(
      "consent:\n  unsubscribe:\n    url: https://shop.example/u\n    secret: short\n");
  EXPECT_NE(short_secret.find("p.yaml:8"), std::string::npos) << short_secret;
  EXPECT_NE(short_secret.find("at least 16 characters"), std::string::npos) << short_secret;
  EXPECT_NE(
      consent_error("consent: { unsubscribe: { url: ftp://x/u, secret: 0123456789abcdef } }\n")
          .find("https://"),
      std::string::npos);
  EXPECT_NE(consent_error("consent: { unsubscribe: { url: \"https://x/<u>\", secret: "
                          "0123456789abcdef } }\n")
                .find("angle brackets"),
            std::string::npos);
  EXPECT_NE(consent_error("consent: { unsubscribe: { url: \"https://x/u#top\", secret: "
                          "0123456789abcdef } }\n")
                .find("fragment"),
            std::string::npos);
  EXPECT_NE(consent_error("consent: { unsubscribe: { url: \"https://x/u\", path: u, secret: "
                          "0123456789abcdef } }\n")
                .find("must start with '/'"),
            std::string::npos);
  EXPECT_NE(consent_error("consent: { unsubscribe: { secret: 0123456789abcdef } }\n").find("url"),
            std::string::npos);
  EXPECT_NE(consent_error("consent: { unsubscribe: { url: \"https://x/u\" } }\n").find("secret"),
            std::string::npos);
  EXPECT_NE(
      consent_error("consent: { unsubscribe: { url: \"https://x/u\", secret: 0123456789abcdef, "
                    "secrets: x } }\n")
          .find("secret"),
      std::string::npos);
  EXPECT_NE(consent_error("consent: { unsubcribe: {} }\n").find("unsubscribe"), std::string::npos);
}

}  // namespace
}  // namespace halo
