// option_view_test.cpp -- path reads, defaults, strict types, marks and
// redaction of the option view behind the host's opt_* functions.
#include "config/option_view.h"

#include <gtest/gtest.h>

#include "plugin_fixture.h"

namespace halo {
namespace {

using testing::kJsonlOptionCount;
using testing::kJsonlOptions;
using testing::source_with_config;

// Lines 7.. of p.yaml.
const char *kConfig =
    "      path: data/web.jsonl\n"                       // 7
    "      batch_lines: 250\n"                           // 8
    "      ratio: 0.5\n"                                 // 9
    "      columns:\n"                                   // 10
    "        email: mail\n"                              // 11
    "        phone: { field: tel, region: DE }\n"        // 12
    "      rules:\n"                                     // 13
    "        - { event: Order Completed, weight: 2 }\n"  // 14
    "        - [x, y]\n"                                 // 15
    "      api_key: \"${API_KEY}\"\n"                    // 16
    "      empty:\n"                                     // 17
    "      dotted: { context.traits.email: mail }\n";    // 18

struct OptionViewTest : ::testing::Test {
  PluginUse use = source_with_config(kConfig, testing::fake_env({{"API_KEY", "s3cr3t"}}));
  OptionView view{use, kJsonlOptions, kJsonlOptionCount};

  std::string str(const std::string &path) {
    const char *out = nullptr;
    size_t len = 0;
    if (!view.get_string(path, &out, &len)) return "<absent>";
    return std::string(out, len);
  }
};

TEST_F(OptionViewTest, ReadsNestedPaths) {
  EXPECT_EQ(str("path"), "data/web.jsonl");
  EXPECT_EQ(str("columns.email"), "mail");
  EXPECT_EQ(str("columns.phone.region"), "DE");
  EXPECT_EQ(str("rules[0].event"), "Order Completed");
  EXPECT_EQ(str("rules[1][1]"), "y");
  EXPECT_EQ(str("api_key"), "s3cr3t");  // plugins see the real value
  int64_t weight = 0;
  EXPECT_TRUE(view.get_int("rules[0].weight", &weight));
  EXPECT_EQ(weight, 2);
}

TEST_F(OptionViewTest, QuotedKeysAddressKeysContainingDots) {
  EXPECT_EQ(str("dotted[\"context.traits.email\"]"), "mail");
  EXPECT_EQ(str("columns[\"email\"]"), "mail");
  EXPECT_EQ(str("dotted.context.traits.email"), "<absent>");
  EXPECT_EQ(str("dotted[\"context.traits.email"), "<absent>");  // unterminated
}

TEST_F(OptionViewTest, AbsentAndMalformedPathsReadAsAbsent) {
  for (const char *path :
       {"nope", "columns.nope", "rules[5]", "rules[0].event.deeper", "path.x", "columns[0]",
        "rules.event", "a..b", ".path", "path.", "rules[x]", "rules[", "rules[0]event", "empty"}) {
    EXPECT_EQ(str(path), "<absent>") << path;
  }
}

TEST_F(OptionViewTest, DeclaredDefaultsApplyToAbsentTopLevelOptions) {
  EXPECT_EQ(str("glob"), "*.jsonl");
  int32_t follow = 1;
  EXPECT_TRUE(view.get_bool("follow", &follow));
  EXPECT_EQ(follow, 0);
  EXPECT_EQ(view.size("fields"), 2);
  EXPECT_EQ(str("fields[1]"), "email");
  int64_t lines = 0;
  EXPECT_TRUE(view.get_int("batch_lines", &lines));
  EXPECT_EQ(lines, 250);  // present value wins over the default "1000"
}

TEST_F(OptionViewTest, TypedReadsAreStrict) {
  int64_t i = 0;
  double f = 0;
  int32_t b = 0;
  EXPECT_TRUE(view.get_float("ratio", &f));
  EXPECT_DOUBLE_EQ(f, 0.5);
  EXPECT_TRUE(view.get_float("batch_lines", &f));  // integers are numbers
  EXPECT_DOUBLE_EQ(f, 250.0);
  EXPECT_FALSE(view.get_int("ratio", &i));    // 0.5 is not an integer
  EXPECT_FALSE(view.get_int("path", &i));     // text
  EXPECT_FALSE(view.get_int("columns", &i));  // a mapping
  EXPECT_FALSE(view.get_bool("path", &b));
  EXPECT_FALSE(view.get_float("columns.email", &f));
  const char *s = nullptr;
  EXPECT_FALSE(view.get_string("columns", &s, nullptr));     // not a scalar
  EXPECT_TRUE(view.get_string("batch_lines", &s, nullptr));  // a number reads as its text
  EXPECT_STREQ(s, "250");
}

TEST_F(OptionViewTest, RejectsTrailingGarbageInIntegers) {
  const PluginUse bad = source_with_config("      batch_lines: 12abc\n      path: x\n");
  OptionView v(bad, kJsonlOptions, kJsonlOptionCount);
  int64_t i = 7;
  EXPECT_FALSE(v.get_int("batch_lines", &i));
  EXPECT_EQ(i, 7);
}

TEST_F(OptionViewTest, SizesAndKeys) {
  EXPECT_EQ(view.size(""), 8);  // the config mapping itself
  EXPECT_EQ(view.size("columns"), 2);
  EXPECT_EQ(view.size("rules"), 2);
  EXPECT_EQ(view.size("rules[1]"), 2);
  EXPECT_EQ(view.size("path"), -1);
  EXPECT_EQ(view.size("nope"), -1);
  const char *k = nullptr;
  ASSERT_TRUE(view.key("columns", 0, &k));
  EXPECT_STREQ(k, "email");
  ASSERT_TRUE(view.key("columns", 1, &k));
  EXPECT_STREQ(k, "phone");
  EXPECT_FALSE(view.key("columns", 2, &k));
  EXPECT_FALSE(view.key("columns", -1, &k));
  EXPECT_FALSE(view.key("rules", 0, &k));  // a list has no keys
  ASSERT_TRUE(view.key("", 0, &k));
  EXPECT_STREQ(k, "path");
}

TEST_F(OptionViewTest, ReturnedStringsOutliveLaterCalls) {
  const char *first = nullptr;
  ASSERT_TRUE(view.get_string("path", &first, nullptr));
  std::vector<const char *> later;
  for (int i = 0; i < 1000; ++i) {
    const char *p = nullptr;
    ASSERT_TRUE(view.get_string("columns.email", &p, nullptr));
    later.push_back(p);
  }
  EXPECT_STREQ(first, "data/web.jsonl");
  EXPECT_STREQ(later.front(), "mail");
}

TEST_F(OptionViewTest, MarksPointAtTheDeepestExistingNode) {
  EXPECT_EQ(view.mark_of("path").str(), "p.yaml:7:13");
  EXPECT_EQ(view.mark_of("columns.phone.region").str(), "p.yaml:12:38");
  EXPECT_EQ(view.mark_of("columns.phone.nope").str(), "p.yaml:12:16");  // deepest: phone
  EXPECT_EQ(view.mark_of("rules[0].weight").str(), "p.yaml:14:45");
  EXPECT_EQ(view.mark_of("rules[1][0]").str(), "p.yaml:15:12");
  EXPECT_EQ(view.mark_of("api_key").str(), "p.yaml:16:16");  // substituted, same place
  EXPECT_EQ(view.mark_of("").str(), "p.yaml:7:7");           // the config mapping
  EXPECT_EQ(view.mark_of("glob").str(), "p.yaml:7:7");       // defaulted: the config
  EXPECT_EQ(view.mark_of("a..b").str(), "p.yaml:7:7");       // malformed: the config
  EXPECT_EQ(view.mark_of("empty").str(), "p.yaml:7:7");      // null value: its parent
}

TEST_F(OptionViewTest, MarkFallsBackToTheEntryWithoutConfig) {
  Result<PipelineConfig> r = parse_pipeline(
      "version: 1\nstore: { path: h.db }\nsources:\n  - { name: web, plugin: file-jsonl }\n",
      "p.yaml", testing::fake_env({}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  OptionView v(r->sources[0], kJsonlOptions, kJsonlOptionCount);
  EXPECT_EQ(v.mark_of("path").str(), "p.yaml:4:5");
  EXPECT_EQ(v.size(""), 0);
  const char *s = nullptr;
  EXPECT_TRUE(v.get_string("glob", &s, nullptr));  // defaults still apply
  EXPECT_STREQ(s, "*.jsonl");
}

TEST_F(OptionViewTest, RedactedHidesSecretsOnOneLine) {
  const std::string line = view.redacted();
  EXPECT_EQ(line,
            "{path: data/web.jsonl, batch_lines: 250, ratio: 0.5, columns: {email: mail, phone: "
            "{field: tel, region: DE}}, rules: [{event: Order Completed, weight: 2}, [x, y]], "
            "api_key: \"***\", empty: ~, dotted: {context.traits.email: mail}}");
  EXPECT_EQ(line.find("s3cr3t"), std::string::npos);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  // Redaction renders a copy: the plugin still reads the real value.
  EXPECT_EQ(str("api_key"), "s3cr3t");
}

}  // namespace
}  // namespace halo
