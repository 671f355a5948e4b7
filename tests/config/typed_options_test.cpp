// typed_options_test.cpp -- ABI 1.2 option declarations: durations and
// sizes (one parser, halo/units.hpp), bounds and allowed values checked by
// the kernel with the YAML position and the bounds in the message, the
// declared default read through the option view, rows of the 1.1 size read
// without the new fields, and declarations a plugin got wrong.
#include <gtest/gtest.h>
#include <halo/units.hpp>

#include <cstring>

#include "config/option_decls.h"
#include "config/option_validation.h"
#include "config/option_value.h"
#include "config/option_view.h"
#include "plugin_fixture.h"

namespace halo {
namespace {

using testing::opt;
using testing::source_with_config;

const char *const kModes[] = {"pull", "webhook"};
const char *const kResources[] = {"customers", "orders"};

halo_option_decl bounded(halo_option_decl d, const char *min, const char *max) {
  d.min_value = min;
  d.max_value = max;
  return d;
}

halo_option_decl one_of(halo_option_decl d, const char *const *values, uint32_t n) {
  d.allowed_values = values;
  d.allowed_count = n;
  return d;
}

const halo_option_decl kTyped[] = {
    opt(HALO_OPT_STRING, "path", nullptr, true, false),
    bounded(opt(HALO_OPT_DURATION, "timeout", "30s", false, false), "1s", "10m"),
    bounded(opt(HALO_OPT_SIZE, "max_bytes", "1MiB", false, false), "1KiB", "1GiB"),
    bounded(opt(HALO_OPT_INT, "per_page", "100", false, false), "1", "100"),
    bounded(opt(HALO_OPT_FLOAT, "ratio", "0.5", false, false), "0", "1"),
    one_of(opt(HALO_OPT_STRING, "mode", "pull", false, false), kModes, 2),
    one_of(opt(HALO_OPT_STRING_LIST, "resources", "[customers]", false, false), kResources, 2),
    one_of(opt(HALO_OPT_STRING, "token", nullptr, false, true), kModes, 2),
};
constexpr uint32_t kTypedCount = sizeof(kTyped) / sizeof(kTyped[0]);

Status validate(const std::string &lines) {
  return validate_plugin_options("sources[0]", source_with_config(lines), kTyped, kTypedCount);
}

TEST(Units, DurationsNeedAUnitAndNeverOverflow) {
  EXPECT_EQ(parse_duration_ms("250ms"), 250);
  EXPECT_EQ(parse_duration_ms("90s"), 90000);
  EXPECT_EQ(parse_duration_ms("30m"), 30 * 60000);
  EXPECT_EQ(parse_duration_ms("2h"), 2 * 3600000);
  EXPECT_EQ(parse_duration_ms("7d"), int64_t{7} * 86400000);
  EXPECT_EQ(parse_duration_ms("2w"), int64_t{14} * 86400000);
  EXPECT_EQ(parse_duration_ms("0"), 0);
  for (const char *bad : {"", "5", "s", "-5s", "+5s", "1.5h", "5 s", "5S", "5sec", "1month",
                          "9999999999999999999s", "999999999999999999w"}) {
    EXPECT_FALSE(parse_duration_ms(bad).has_value()) << bad;
  }
}

TEST(Units, DurationTextIsTheLargestExactUnitAndReadsBack) {
  EXPECT_EQ(duration_text(int64_t{7} * 86400000), "7d");
  EXPECT_EQ(duration_text(int64_t{14} * 86400000), "14d");
  EXPECT_EQ(duration_text(36 * 3600000), "36h");
  EXPECT_EQ(duration_text(90 * 60000), "90m");
  EXPECT_EQ(duration_text(90000), "90s");
  EXPECT_EQ(duration_text(1500), "1500ms");
  for (int64_t ms : {int64_t{1}, int64_t{61000}, int64_t{90500}, int64_t{3660} * 86400000}) {
    EXPECT_EQ(parse_duration_ms(duration_text(ms)), ms) << ms;
  }
}

TEST(Units, SizesTakeSiAndIecUnitsOrBareBytes) {
  EXPECT_EQ(parse_size_bytes("1048576"), 1048576);
  EXPECT_EQ(parse_size_bytes("512B"), 512);
  EXPECT_EQ(parse_size_bytes("64KiB"), 65536);
  EXPECT_EQ(parse_size_bytes("10MiB"), 10 * 1048576);
  EXPECT_EQ(parse_size_bytes("1GiB"), int64_t{1} << 30);
  EXPECT_EQ(parse_size_bytes("2kB"), 2000);
  EXPECT_EQ(parse_size_bytes("3MB"), 3000000);
  for (const char *bad :
       {"", "KiB", "-1", "1.5MiB", "1 MiB", "1mib", "1Mi", "0x10", "999999999999999999TiB"}) {
    EXPECT_FALSE(parse_size_bytes(bad).has_value()) << bad;
  }
}

TEST(TypedOptions, AcceptsValuesInsideTheDeclaration) {
  Status s = validate(
      "      path: a.jsonl\n"
      "      timeout: 10m\n"
      "      max_bytes: 1024\n"
      "      per_page: 1\n"
      "      ratio: 1\n"
      "      mode: webhook\n"
      "      resources: [orders, customers]\n");
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(TypedOptions, OutOfBoundsNamesTheBoundsAndTheLine) {
  Status s = validate(
      "      path: a.jsonl\n"
      "      timeout: 11m\n"
      "      max_bytes: 2GiB\n"
      "      per_page: 0\n"
      "      ratio: 1.5\n");
  ASSERT_FALSE(s.ok());
  const std::string m = s.message();
  EXPECT_NE(m.find("p.yaml:8:16: sources[0].config.timeout: must be between 1s and 10m, got '11m'"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("p.yaml:9:18: sources[0].config.max_bytes: must be between 1KiB and 1GiB, "
                   "got '2GiB'"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("p.yaml:10:17: sources[0].config.per_page: must be between 1 and 100, got '0'"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("sources[0].config.ratio: must be between 0 and 1, got '1.5'"),
            std::string::npos)
      << m;
}

TEST(TypedOptions, WrongUnitSaysWhatADurationOrSizeLooksLike) {
  Status s = validate(
      "      path: a.jsonl\n"
      "      timeout: 30\n"
      "      max_bytes: 1mb\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("sources[0].config.timeout: expected a duration with a unit (250ms, "
                             "90s, 30m, 2h, 7d, 2w), got '30'"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("sources[0].config.max_bytes: expected a size in bytes"),
            std::string::npos)
      << s.message();
}

TEST(TypedOptions, ValuesOutsideTheAllowedListAreRefusedWithASuggestion) {
  Status s = validate(
      "      path: a.jsonl\n"
      "      mode: webhok\n"
      "      resources: [orders, products]\n");
  ASSERT_FALSE(s.ok());
  const std::string m = s.message();
  EXPECT_NE(m.find("p.yaml:8:13: sources[0].config.mode: must be pull or webhook, got 'webhok' "
                   "(did you mean 'webhook'?)"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("sources[0].config.resources[1]: must be customers or orders, got 'products'"),
            std::string::npos)
      << m;
}

TEST(TypedOptions, ASecretOutsideTheAllowedListIsNotQuoted) {
  Status s = validate(
      "      path: a.jsonl\n"
      "      token: webhoo-secret-value\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("sources[0].config.token: must be pull or webhook, got '***'"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(s.message().find("webhoo-secret"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("did you mean"), std::string::npos) << s.message();
}

TEST(TypedOptions, TheViewReadsDurationsInMsSizesInBytesAndDeclaredDefaults) {
  const PluginUse use = source_with_config(
      "      path: a.jsonl\n"
      "      max_bytes: 64KiB\n");
  OptionView view(use, kTyped, kTypedCount);
  int64_t v = 0;
  ASSERT_TRUE(view.get_int("timeout", &v));  // absent: the declared "30s"
  EXPECT_EQ(v, 30000);
  ASSERT_TRUE(view.get_int("max_bytes", &v));
  EXPECT_EQ(v, 65536);
  ASSERT_TRUE(view.get_int("per_page", &v));
  EXPECT_EQ(v, 100);
  const char *text = nullptr;
  size_t len = 0;
  ASSERT_TRUE(view.get_string("max_bytes", &text, &len));  // the text as written
  EXPECT_EQ(std::string(text, len), "64KiB");
  ASSERT_TRUE(view.get_string("mode", &text, &len));
  EXPECT_EQ(std::string(text, len), "pull");
  EXPECT_EQ(view.size("resources"), 1);
}

// A plugin built against ABI 1.1 has 40-byte rows: the table is read with
// that stride, and bounds or allowed values that follow in memory are not
// the row's (they belong to the next row, or to nothing).
TEST(TypedOptions, RowsOfTheOneOneSizeHaveNoBoundsOrAllowedValues) {
  constexpr size_t kRow11 = offsetof(halo_option_decl, min_value);
  static_assert(kRow11 == 40, "the 1.1 row size");
  halo_option_decl full[2] = {
      bounded(opt(HALO_OPT_INT, "per_page", "100", false, false), "1", "9"),
      one_of(opt(HALO_OPT_STRING, "mode", "pull", false, false), kModes, 2)};
  alignas(8) unsigned char table[2 * kRow11 + 32] = {};
  for (int i = 0; i < 2; ++i) {
    full[i].struct_size = static_cast<uint32_t>(kRow11);
    std::memcpy(table + i * kRow11, &full[i], kRow11);
  }
  // Bytes after the second short row that would look like bounds.
  std::memset(table + 2 * kRow11, 0xAB, 32);
  const auto *rows = reinterpret_cast<const halo_option_decl *>(table);
  const std::vector<OptionDecl> decls = read_option_decls(rows, 2);
  ASSERT_EQ(decls.size(), 2u);
  EXPECT_EQ(decls[0].name, "per_page");
  EXPECT_EQ(decls[1].name, "mode");
  EXPECT_EQ(std::string(decls[1].default_value), "pull");
  for (const OptionDecl &d : decls) {
    EXPECT_EQ(d.min_value, nullptr) << d.name;
    EXPECT_EQ(d.max_value, nullptr) << d.name;
    EXPECT_TRUE(d.allowed.empty()) << d.name;
  }
  Status s = validate_plugin_options(
      "sources[0]", source_with_config("      per_page: 5000\n      mode: anything\n"), rows, 2);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(TypedOptions, ABrokenDeclarationIsThePluginsFault) {
  const halo_option_decl broken[] = {
      bounded(opt(HALO_OPT_INT, "per_page", "500", false, false), "1", "100"),
      bounded(opt(HALO_OPT_DURATION, "timeout", "30s", false, false), "10", nullptr),
      bounded(opt(HALO_OPT_BOOL, "flag", "true", false, false), "0", "1"),
      bounded(opt(HALO_OPT_SIZE, "max", "1KiB", false, false), "1MiB", "1KiB"),
  };
  Status s =
      validate_plugin_options("sources[0]", source_with_config("      per_page: 5\n"), broken, 4);
  ASSERT_FALSE(s.ok());
  const std::string m = s.message();
  EXPECT_NE(m.find("sources[0].plugin: plugin 'file-jsonl' is broken: its option 'per_page' "
                   "declares an invalid default (must be between 1 and 100, got '500')"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("its option 'timeout' declares the bound '10', which is not a duration"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("its option 'flag' declares bounds, but a boolean"), std::string::npos) << m;
  EXPECT_NE(m.find("its option 'max' declares a minimum 1MiB above its maximum 1KiB"),
            std::string::npos)
      << m;
}

TEST(TypedOptions, DescribeTextShowsBounds) {
  EXPECT_EQ(option_bounds_text(read_option_decls(kTyped, kTypedCount)[1]), "1s..10m");
  OptionDecl low;
  low.type = HALO_OPT_INT;
  low.min_value = "0";
  EXPECT_EQ(option_bounds_text(low), "at least 0");
  EXPECT_EQ(or_list({"a", "b", "c"}), "a, b or c");
  EXPECT_EQ(std::string(option_type_name(HALO_OPT_DURATION)), "duration");
  EXPECT_EQ(std::string(option_type_name(HALO_OPT_SIZE)), "size");
}

}  // namespace
}  // namespace halo
