// env_substitution_test.cpp -- ${VAR} expansion on strings and YAML trees.
#include "config/env_substitution.h"

#include <gtest/gtest.h>

#include "test_env.h"

namespace halo {
namespace {

using testing::fake_env;

std::string expand(const std::string &text, const EnvLookup &env) {
  Result<std::string> r = substitute_env(text, env);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : "";
}

TEST(SubstituteEnv, ReplacesSetVariables) {
  const EnvLookup env = fake_env({{"HOST", "db.local"}, {"PORT", "5432"}});
  EXPECT_EQ(expand("${HOST}", env), "db.local");
  EXPECT_EQ(expand("postgres://${HOST}:${PORT}/halo", env), "postgres://db.local:5432/halo");
  EXPECT_EQ(expand("no variables here", env), "no variables here");
  EXPECT_EQ(expand("costs $5 and $ more", env), "costs $5 and $ more");
}

TEST(SubstituteEnv, DefaultsApplyWhenUnsetOrEmpty) {
  const EnvLookup env = fake_env({{"EMPTY", ""}, {"SET", "x"}});
  EXPECT_EQ(expand("${MISSING:-fallback}", env), "fallback");
  EXPECT_EQ(expand("${EMPTY:-fallback}", env), "fallback");
  EXPECT_EQ(expand("${SET:-fallback}", env), "x");
  EXPECT_EQ(expand("${MISSING:-}", env), "");
  EXPECT_EQ(expand("${MISSING:-a:b-c}", env), "a:b-c");
}

TEST(SubstituteEnv, DollarDollarBraceIsALiteral) {
  const EnvLookup env = fake_env({{"X", "1"}});
  EXPECT_EQ(expand("$${X}", env), "${X}");
  EXPECT_EQ(expand("a $${X} b ${X}", env), "a ${X} b 1");
}

TEST(SubstituteEnv, ValuesAreNotRescanned) {
  const EnvLookup env = fake_env({{"A", "${B}"}, {"B", "nope"}});
  EXPECT_EQ(expand("${A}", env), "${B}");
}

TEST(SubstituteEnv, MissingVariableNamesItAndTheFix) {
  Result<std::string> r = substitute_env("key=${WC_KEY}", fake_env({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "environment variable 'WC_KEY' is not set (export WC_KEY=... or write "
            "${WC_KEY:-default})");
}

TEST(SubstituteEnv, MalformedReferences) {
  Result<std::string> unterminated = substitute_env("${HOST", fake_env({}));
  ASSERT_FALSE(unterminated.ok());
  EXPECT_NE(unterminated.status().message().find("unterminated '${' at character 1 of the value"),
            std::string::npos);
  Result<std::string> bad_name = substitute_env("x ${1ABC}", fake_env({}));
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(
      bad_name.status().message().find("invalid variable name in the '${...}' at character 3"),
      std::string::npos);
  EXPECT_FALSE(substitute_env("${}", fake_env({})).ok());
}

// Regression (issue 8): a token pasted after a stray "${" was echoed in the
// error; the message names the position only.
TEST(SubstituteEnv, MalformedReferencesNeverQuoteTheValue) {
  const std::string token = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
  for (const std::string &text :
       {"Bearer ${" + token, "${" + token + "-x}", "a${" + token + " }"}) {
    Result<std::string> r = substitute_env(text, fake_env({}));
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().message().find("sk_live"), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().find("4eC39"), std::string::npos) << r.status().message();
  }
}

TEST(SubstituteEnvInTree, ExpandsValuesNotKeysAndKeepsMarks) {
  YAML::Node root = YAML::Load(
      "a:\n"
      "  ${KEY}: \"${VAL}\"\n"
      "  list: [x, \"${VAL}\"]\n");
  const YAML::Mark before = root["a"]["list"][1].Mark();
  ASSERT_TRUE(substitute_env_in_tree(root, "f.yaml", fake_env({{"VAL", "v"}, {"KEY", "k"}})).ok());
  EXPECT_EQ(root["a"]["${KEY}"].as<std::string>(), "v");
  EXPECT_EQ(root["a"]["list"][1].as<std::string>(), "v");
  EXPECT_EQ(root["a"]["list"][1].Mark().line, before.line);
  EXPECT_EQ(root["a"]["list"][1].Mark().column, before.column);
  EXPECT_EQ(root["a"]["list"][1].Mark().line, 2);
  EXPECT_EQ(root["a"]["list"][1].Mark().column, 12);
}

TEST(SubstituteEnvInTree, ReportsEveryMissingVariableWithPosition) {
  YAML::Node root = YAML::Load(
      "sources:\n"
      "  - config:\n"
      "      key: ${WC_KEY}\n"
      "      secret: \"${WC_SECRET}\"\n");
  Status s = substitute_env_in_tree(root, "p.yaml", fake_env({}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "p.yaml:3:12: sources[0].config.key: environment variable 'WC_KEY' is not set "
            "(export WC_KEY=... or write ${WC_KEY:-default})\n"
            "p.yaml:4:15: sources[0].config.secret: environment variable 'WC_SECRET' is not set "
            "(export WC_SECRET=... or write ${WC_SECRET:-default})");
}

// Regression (issue 8): the error names file:line:col, the option and the
// character of the stray "${", never the text after it.
TEST(SubstituteEnvInTree, UnterminatedReferenceNamesPlaceNotText) {
  YAML::Node root = YAML::Load(
      "sources:\n"
      "  - config:\n"
      "      url: https://shop.example/?token=${ghp_16C7e42F292c6912E7710c838347Ae178B4a\n");
  Status s = substitute_env_in_tree(root, "p.yaml", fake_env({}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "p.yaml:3:12: sources[0].config.url: unterminated '${' at character 29 of the value "
            "(close it with '}', or write '$${' for a literal '${'; the text after it is not "
            "shown, as it may be a secret)");
}

TEST(SubstituteEnvInTree, AliasedScalarIsExpandedOnce) {
  // An alias shares the anchored node: a second pass would turn the escaped
  // "$${X}" into a lookup of X.
  YAML::Node root = YAML::Load("a: &v \"$${X}\"\nb: *v\n");
  ASSERT_TRUE(substitute_env_in_tree(root, "f.yaml", fake_env({{"X", "wrong"}})).ok());
  EXPECT_EQ(root["a"].as<std::string>(), "${X}");
  EXPECT_EQ(root["b"].as<std::string>(), "${X}");
}

}  // namespace
}  // namespace halo
