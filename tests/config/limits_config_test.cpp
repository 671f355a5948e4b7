// limits_config_test.cpp -- the `limits:` section: defaults when absent,
// written values, and file:line:col errors for bad values and keys.
#include <gtest/gtest.h>

#include "config/pipeline_config.h"
#include "test_env.h"

namespace halo {
namespace {

using testing::fake_env;

const std::string kLimitsHead =
    "version: 1\nstore: { path: var/halo.db }\nsources: [ { name: web, plugin: file-jsonl } ]\n";

Result<PipelineConfig> parse_limits(const std::string &text) {
  return parse_pipeline(text, "config/demo.yaml", fake_env({}));
}

TEST(LimitsConfig, AbsentSectionKeepsTheDocumentedDefaults) {
  Result<PipelineConfig> r = parse_limits(kLimitsHead);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const EventLimits &l = r.value().limits;
  EXPECT_EQ(l.max_record_bytes, 1u << 20);
  EXPECT_EQ(l.max_depth, 128u);
  EXPECT_EQ(l.max_string_bytes, 256u << 10);
  EXPECT_EQ(l.max_fields, 10000u);
  EXPECT_EQ(l.max_identifiers, 32u);
  EXPECT_EQ(l.max_number_digits, 20u);
}

TEST(LimitsConfig, WrittenValuesAreUsed) {
  Result<PipelineConfig> r = parse_limits(kLimitsHead +
                                          "limits:\n"
                                          "  max_record_bytes: 268435456\n"
                                          "  max_depth: 16\n"
                                          "  max_string_bytes: 100\n"
                                          "  max_fields: 50\n"
                                          "  max_identifiers: 4\n"
                                          "  max_number_digits: 15\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const EventLimits &l = r.value().limits;
  EXPECT_EQ(l.max_record_bytes, 268435456u);
  EXPECT_EQ(l.max_depth, 16u);
  EXPECT_EQ(l.max_string_bytes, 100u);
  EXPECT_EQ(l.max_fields, 50u);
  EXPECT_EQ(l.max_identifiers, 4u);
  EXPECT_EQ(l.max_number_digits, 15u);
  PipelineConfig copy;
  copy = r.value();
  EXPECT_EQ(copy.limits.max_depth, 16u);
}

TEST(LimitsConfig, OutOfRangeValuesNameFilePositionAndRange) {
  Result<PipelineConfig> r =
      parse_limits(kLimitsHead + "limits:\n  max_depth: 5000\n  max_record_bytes: 10\n");
  ASSERT_FALSE(r.ok());
  const std::string &m = r.status().message();
  EXPECT_NE(m.find("config/demo.yaml:5:14: limits.max_depth: must be between 1 and 1000, got 5000"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("config/demo.yaml:6:21: limits.max_record_bytes: must be between 1024 and "
                   "1073741824, got 10"),
            std::string::npos)
      << m;
}

TEST(LimitsConfig, WrongTypeAndUnknownKeyAreReported) {
  Result<PipelineConfig> r =
      parse_limits(kLimitsHead + "limits:\n  max_fields: many\n  max_dept: 3\n");
  ASSERT_FALSE(r.ok());
  const std::string &m = r.status().message();
  EXPECT_NE(m.find("config/demo.yaml:5:15: limits.max_fields: expected an integer"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("config/demo.yaml:6:3: limits.max_dept: unknown key 'max_dept' (did you mean "
                   "'max_depth'?)"),
            std::string::npos)
      << m;
}

}  // namespace
}  // namespace halo
