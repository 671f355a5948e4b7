// abi_1_1_plugin_e2e_test.cpp -- a plugin library built against the frozen
// ABI 1.1 header (tests/abi/fixtures/abi_1_1) loads and runs under this
// kernel: the real `halo` lists it with ABI 1.1, describes its 1.1 option
// rows (shorter than today's: no bounds, no allowed values) in text and
// JSON, validates a pipeline with it, and runs source -> feature ->
// destination end to end, resuming from its cursor on a second run.
#include <gtest/gtest.h>
#include <halo/plugin.h>

#include <algorithm>

#include "e2e_support.h"

namespace halo::e2e::abi_1_1_plugin_e2e_test {
namespace {

static_assert(HALO_ABI_MINOR > 1, "the kernel under test must be newer than the fixture");

const std::string kDir = HALO_TEST_ABI_1_1_PLUGIN_DIR;

std::string pipeline(const std::string &source_config) {
  return "version: 1\nstore: { kind: sqlite, path: var/halo.db }\nplugin_dirs: [" + kDir +
         "]\n"
         "sources:\n  - { name: old, plugin: abi11-counter, config: " +
         source_config +
         " }\n"
         "features:\n  - { name: ticks, plugin: abi11-tick-count }\n"
         "destinations:\n  - { name: out, plugin: abi11-lines, config: { path: var/out.jsonl } }\n";
}

size_t count_of(const std::string &text, const std::string &needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(Abi11Plugin, IsListedWithItsOwnAbi) {
  CommandResult r = run({halo_bin(), "plugins", "--plugin-dir", kDir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char *name : {"abi11-counter", "abi11-tick-count", "abi11-lines"}) {
    const size_t at = r.out.find(name);
    ASSERT_NE(at, std::string::npos) << r.out;
    EXPECT_NE(r.out.substr(at, r.out.find('\n', at) - at).find(" 1.1 "), std::string::npos)
        << r.out;
  }
  EXPECT_EQ(r.out.find("not loaded"), std::string::npos) << r.out;
}

// A 1.1 row is 40 bytes: the kernel must step through the table with that
// stride and read the 1.2 fields (bounds, allowed values) as absent.
TEST(Abi11Plugin, DescribeShowsItsOptionsWithoutNewFields) {
  CommandResult r =
      run({halo_bin(), "plugins", "--plugin-dir", kDir, "--describe", "abi11-counter"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ABI 1.1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("users  (int, default: 3)\n        How many users tick"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("prefix  (string, default: old)\n        Prefix of user ids"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("range"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("one of"), std::string::npos) << r.out;

  CommandResult j = run({halo_bin(), "plugins", "--plugin-dir", kDir, "--describe", "abi11-counter",
                         "--format", "json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_NE(j.out.find(R"({"name":"users","type":"int","required":false,"secret":false,)"
                       R"("default":"3","min":null,"max":null,"allowed":[],)"
                       R"("description":"How many users tick"})"),
            std::string::npos)
      << j.out;
  EXPECT_NE(j.out.find(R"({"name":"prefix","type":"string",)"), std::string::npos) << j.out;
  EXPECT_NE(j.out.find(R"("abi":"1.1")"), std::string::npos) << j.out;
}

TEST(Abi11Plugin, RunsAPipelineEndToEndAndResumes) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("{ users: 4 }"));
  CommandResult v = run({halo_bin(), "validate", dir / "p.yaml"});
  ASSERT_EQ(v.exit_code, 0) << v.out << v.err;
  CommandResult r = run({halo_bin(), "run", dir / "p.yaml", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::vector<std::string> lines = read_lines(dir / "var/out.jsonl");
  ASSERT_EQ(lines.size(), 4u);
  std::sort(lines.begin(), lines.end());
  for (int user = 1; user <= 4; ++user) {
    const std::string id = "\"old-" + std::to_string(user) + "\"";
    const auto it = std::find_if(lines.begin(), lines.end(), [&](const std::string &l) {
      return l.find(id) != std::string::npos;
    });
    ASSERT_NE(it, lines.end()) << id;
    EXPECT_NE(it->find(R"("features":{"ticks":2})"), std::string::npos) << *it;
  }

  // Twice as many users: the cursor says 8 records were taken, so only the
  // new 8 are read, and the feature state restored from the store adds up.
  write_file(dir / "p.yaml", pipeline("{ users: 8 }"));
  r = run({halo_bin(), "run", dir / "p.yaml", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // Whether the destination is handed every profile or only the changed
  // ones, each it writes has exactly two ticks (none read twice).
  const std::string out = read_file(dir / "var/out.jsonl");
  const size_t written = count_of(out, "\n");
  EXPECT_GE(written, 4u) << out;
  EXPECT_EQ(count_of(out, R"("features":{"ticks":2})"), written) << out;
  for (int user = 5; user <= 8; ++user) {
    EXPECT_NE(out.find("\"old-" + std::to_string(user) + "\""), std::string::npos) << out;
  }
}

// The kernel checks a 1.1 plugin's options with what a 1.1 row declares:
// types, required, unknown keys.
TEST(Abi11Plugin, ItsOptionsAreValidatedByType) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("{ users: many, colour: red }"));
  CommandResult v = run({halo_bin(), "validate", dir / "p.yaml"});
  EXPECT_EQ(v.exit_code, 2) << v.out << v.err;
  EXPECT_NE(v.err.find("sources[0].config.users: expected an integer, got 'many'"),
            std::string::npos)
      << v.err;
  EXPECT_NE(v.err.find("unknown option 'colour' for plugin 'abi11-counter'"), std::string::npos)
      << v.err;
}

}  // namespace
}  // namespace halo::e2e::abi_1_1_plugin_e2e_test
