// option_validation_test.cpp -- plugin configs checked against declared
// options: unknown, required, types, secrets, positions.
#include "config/option_validation.h"

#include <gtest/gtest.h>

#include "plugin_fixture.h"

namespace halo {
namespace {

using testing::kJsonlOptionCount;
using testing::kJsonlOptions;
using testing::source_with_config;

std::string validation_error(const PluginUse &use) {
  Status s = validate_plugin_options("sources[0]", use, kJsonlOptions, kJsonlOptionCount);
  EXPECT_FALSE(s.ok());
  return s.message();
}

TEST(ValidatePluginOptions, WarnsWhenASecretIsWrittenLiterally) {
  const PluginUse literal = source_with_config(
      "      path: data/web.jsonl\n"
      "      api_key: s3cr3t-literal\n",
      testing::fake_env({}));
  ::testing::internal::CaptureStderr();
  EXPECT_TRUE(
      validate_plugin_options("sources[0]", literal, kJsonlOptions, kJsonlOptionCount).ok());
  std::string warned = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(warned.find("sources[0].config.api_key: a secret is written in the pipeline file"),
            std::string::npos)
      << warned;
  EXPECT_EQ(warned.find("s3cr3t-literal"), std::string::npos) << "the secret itself is printed";

  const PluginUse from_env = source_with_config(
      "      path: data/web.jsonl\n"
      "      api_key: \"${KEY}\"\n",
      testing::fake_env({{"KEY", "s3cr3t"}}));
  ::testing::internal::CaptureStderr();
  EXPECT_TRUE(
      validate_plugin_options("sources[0]", from_env, kJsonlOptions, kJsonlOptionCount).ok());
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST(ValidatePluginOptions, AcceptsAWellTypedConfig) {
  const PluginUse use = source_with_config(
      "      path: data/web.jsonl\n"
      "      batch_lines: 0x10\n"
      "      ratio: 2.5e-1\n"
      "      follow: yes\n"
      "      fields: [a, b]\n"
      "      columns: { email: mail }\n"
      "      rules: [ { event: x }, 3 ]\n"
      "      api_key: \"${KEY}\"\n",
      testing::fake_env({{"KEY", "s3cr3t"}}));
  Status s = validate_plugin_options("sources[0]", use, kJsonlOptions, kJsonlOptionCount);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(ValidatePluginOptions, UnknownOptionSuggests) {
  const PluginUse use = source_with_config("      pth: data/web.jsonl\n      path: x\n");
  EXPECT_EQ(validation_error(use),
            "p.yaml:7:7: sources[0].config.pth: unknown option 'pth' for plugin 'file-jsonl' "
            "(did you mean 'path'?)");
}

TEST(ValidatePluginOptions, UnknownOptionListsValidOnesWhenNothingIsClose) {
  const PluginUse use = source_with_config("      path: x\n      zzzzzz: 1\n");
  EXPECT_EQ(validation_error(use),
            "p.yaml:8:7: sources[0].config.zzzzzz: unknown option 'zzzzzz' for plugin "
            "'file-jsonl' (valid options: path, glob, batch_lines, ratio, follow, fields, columns, "
            "rules, api_key)");
}

TEST(ValidatePluginOptions, PluginWithoutOptions) {
  const PluginUse use = source_with_config("      anything: 1\n");
  Status s = validate_plugin_options("sources[0]", use, nullptr, 0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "p.yaml:7:7: sources[0].config.anything: unknown option 'anything' for plugin "
            "'file-jsonl' (plugin 'file-jsonl' takes no options; remove it)");
}

TEST(ValidatePluginOptions, MissingRequiredOptionPointsAtTheConfig) {
  const PluginUse use = source_with_config("      glob: '*.json'\n");
  EXPECT_EQ(validation_error(use),
            "p.yaml:7:7: sources[0].config.path: missing required option 'path' for plugin "
            "'file-jsonl': test option (add `path: ...` under config:)");
}

TEST(ValidatePluginOptions, MissingConfigEntirelyPointsAtTheEntry) {
  Result<PipelineConfig> r = parse_pipeline(
      "version: 1\nstore: { path: h.db }\nsources: [ { name: web, plugin: file-jsonl } ]\n",
      "p.yaml", testing::fake_env({}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  Status s = validate_plugin_options("sources[0]", r->sources[0], kJsonlOptions, kJsonlOptionCount);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind("p.yaml:3:12: sources[0].config.path: missing required option", 0),
            0u)
      << s.message();
}

TEST(ValidatePluginOptions, TypeErrors) {
  const PluginUse use = source_with_config(
      "      path: [a]\n"
      "      batch_lines: 12abc\n"
      "      ratio: fast\n"
      "      follow: maybe\n"
      "      fields: [a, {b: 1}]\n"
      "      columns: email\n"
      "      rules: { a: 1 }\n"
      "      glob:\n");
  EXPECT_EQ(validation_error(use),
            "p.yaml:7:13: sources[0].config.path: expected a string, got a list\n"
            "p.yaml:8:20: sources[0].config.batch_lines: expected an integer, got '12abc'\n"
            "p.yaml:9:14: sources[0].config.ratio: expected a number, got 'fast'\n"
            "p.yaml:10:15: sources[0].config.follow: expected a boolean (true/false), got 'maybe'\n"
            "p.yaml:11:19: sources[0].config.fields[1]: expected a string, got a mapping\n"
            "p.yaml:12:16: sources[0].config.columns: expected a mapping, got 'email'\n"
            "p.yaml:13:14: sources[0].config.rules: expected a list, got a mapping\n"
            "p.yaml:14:7: sources[0].config.glob: no value given (give a string, or remove the "
            "key to use the default '*.jsonl')");
}

TEST(ValidatePluginOptions, SecretValuesAreNeverEchoed) {
  static const halo_option_decl kSecretInt[] = {
      testing::opt(HALO_OPT_INT, "pin", nullptr, false, true)};
  const PluginUse use =
      source_with_config("      pin: \"${PIN}\"\n", testing::fake_env({{"PIN", "hunter2"}}));
  Status s = validate_plugin_options("sources[0]", use, kSecretInt, 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "p.yaml:7:12: sources[0].config.pin: expected an integer, got '***'");
  EXPECT_EQ(s.message().find("hunter2"), std::string::npos);
}

// Issue 8: a token substituted from ${ENV} into a non-secret option, or
// pasted there literally, is not quoted by a type error.
TEST(ValidatePluginOptions, ValuesThatMayBeSecretAreNotEchoed) {
  static const halo_option_decl kPlainInt[] = {
      testing::opt(HALO_OPT_INT, "port", nullptr, false, false)};
  const PluginUse from_env =
      source_with_config("      port: \"${PORT}\"\n", testing::fake_env({{"PORT", "hunter2"}}));
  Status s = validate_plugin_options("sources[0]", from_env, kPlainInt, 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "p.yaml:7:13: sources[0].config.port: expected an integer, got a value from the "
            "environment (not shown)");
  const PluginUse pasted =
      source_with_config("      port: ghp_16C7e42F292c6912E7710c838347Ae178B4a\n");
  s = validate_plugin_options("sources[0]", pasted, kPlainInt, 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().find("ghp_16C7"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("got a 40-byte value (not shown"), std::string::npos) << s.message();
}

TEST(ValidatePluginOptions, DuplicateOptionKey) {
  const PluginUse use = source_with_config("      path: a\n      path: b\n");
  EXPECT_EQ(validation_error(use),
            "p.yaml:8:7: sources[0].config.path: duplicate option 'path' (keep only one)");
}

TEST(ValidatePluginOptions, ReadsOnlyTheFieldsAnOlderDeclCovers) {
  // A plugin built when halo_option_decl ended after `required`: the stride
  // is its struct_size, and secret/description read as absent.
  struct OldDecl {
    uint32_t struct_size, type;
    const char *name, *default_value;
    int32_t required;
  };
  static const OldDecl kOld[] = {
      {sizeof(OldDecl), HALO_OPT_INT, "count", nullptr, 1},
      {sizeof(OldDecl), HALO_OPT_STRING, "label", "x", 0},
  };
  const auto *decls = reinterpret_cast<const halo_option_decl *>(kOld);
  const PluginUse ok_use = source_with_config("      count: 3\n      label: y\n");
  EXPECT_TRUE(validate_plugin_options("sources[0]", ok_use, decls, 2).ok());
  const PluginUse bad_use = source_with_config("      label: y\n      lable: z\n");
  Status s = validate_plugin_options("sources[0]", bad_use, decls, 2);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "p.yaml:7:7: sources[0].config.count: missing required option 'count' for plugin "
            "'file-jsonl' (add `count: ...` under config:)\n"
            "p.yaml:8:7: sources[0].config.lable: unknown option 'lable' for plugin 'file-jsonl' "
            "(did you mean 'label'?)");
}

}  // namespace
}  // namespace halo
