// identifier_rules_test.cpp -- rule validation errors name the option path
// and the fix; ranking of configured and unknown types.
#include <gtest/gtest.h>

#include <halo/sdk.hpp>

#include "identifier_rules.h"

namespace halo::deterministic {
namespace {

void expect_config_error(std::vector<IdentifierRule> rules, const std::string &path,
                         const std::string &fragment) {
  try {
    IdentifierRules r(std::move(rules));
    FAIL() << "expected ConfigError at " << path;
  } catch (const ConfigError &e) {
    EXPECT_EQ(e.path(), path);
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(IdentifierRules, RejectsBadRulesWithPaths) {
  expect_config_error({}, "identifiers", "list at least one");
  expect_config_error({{"user_id", 1, 1}, {"", 2, 5}}, "identifiers[1].type", "empty");
  expect_config_error({{"email", 1, 1}, {"email", 2, 5}}, "identifiers[1].type",
                      "listed twice (also at identifiers[0])");
  expect_config_error({{"email", -1, 1}}, "identifiers[0].priority", ">= 0");
  expect_config_error({{"email", 1, 0}}, "identifiers[0].max_per_profile", ">= 1");
}

TEST(IdentifierRules, UnknownTypesGetDefaultsAndRankByNameNotArrival) {
  IdentifierRules rules({{"user_id", 1, 1}, {"anonymous_id", 1000, 7}});
  uint32_t zeta = rules.intern("zeta_id");
  uint32_t alpha = rules.intern("alpha_id");
  EXPECT_EQ(rules.info(zeta).priority, IdentifierRules::kUnknownPriority);
  EXPECT_EQ(rules.info(zeta).max_per_profile, IdentifierRules::kUnknownMaxPerProfile);
  EXPECT_EQ(rules.intern("zeta_id"), zeta);
  EXPECT_TRUE(rules.stronger(alpha, zeta));
  EXPECT_FALSE(rules.stronger(zeta, alpha));
  // Same priority: a configured type outranks an unknown one.
  EXPECT_TRUE(rules.stronger(1, alpha));
  EXPECT_TRUE(rules.stronger(0, 1));
  EXPECT_FALSE(rules.stronger(0, 0));
}

}  // namespace
}  // namespace halo::deterministic
