// sdk_e2e_test.cpp -- a vendor's view: install the SDK to a prefix, build the
// example plugin out of tree with only find_package(HaloSDK), load and run
// it; and a plugin built for another ABI major version is refused clearly.
#include <gtest/gtest.h>
#include <halo/plugin.h>

#include <cctype>
#include <filesystem>
#include <set>
#include <sstream>

#include "e2e_support.h"

namespace halo::e2e::sdk_e2e_test {
namespace {

// Installs the SDK component and builds sdk/examples into dir/build with
// extra cmake arguments.
void build_example(const TempDir &dir, const std::string &prefix,
                   const std::vector<std::string> &extra) {
  std::vector<std::string> configure = {"cmake", "-S",          source_dir() + "/sdk/examples",
                                        "-B",    dir / "build", "-DCMAKE_PREFIX_PATH=" + prefix};
  configure.insert(configure.end(), extra.begin(), extra.end());
  CommandResult c = run(configure);
  ASSERT_EQ(c.exit_code, 0) << c.out << c.err;
  CommandResult b = run({"cmake", "--build", dir / "build"});
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
}

// Names of the symbols a shared library defines and exports (dynamic
// symbol table, binding GLOBAL, WEAK or GNU UNIQUE), read with readelf.
std::set<std::string> exported_symbols(const std::string &library) {
  CommandResult r = run({"readelf", "--dyn-syms", "--wide", library});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> names;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream f(line);
    std::string num, value, size, type, bind, vis, ndx, name;
    if (!(f >> num >> value >> size >> type >> bind >> vis >> ndx >> name)) continue;
    bool symbol_row = std::isdigit(static_cast<unsigned char>(num[0])) && num.back() == ':';
    if (!symbol_row || ndx == "UND" || bind == "LOCAL") continue;
    names.insert(name);
  }
  return names;
}

const std::set<std::string> kOnlyTheEntry = {HALO_ENTRY_SYMBOL};

class SdkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CommandResult i = run({"cmake", "--install", binary_dir(), "--prefix", prefix_ / "sdk",
                           "--component", "halo-sdk"});
    ASSERT_EQ(i.exit_code, 0) << i.out << i.err;
  }
  TempDir prefix_;
};

// "plugin ABI 2.1 but kernel ABI 1.1" with the kernel's real numbers.
std::string abi_text(int plugin_major, int plugin_minor) {
  return "plugin ABI " + std::to_string(plugin_major) + "." + std::to_string(plugin_minor);
}
const std::string kKernelAbi =
    std::to_string(HALO_ABI_MAJOR) + "." + std::to_string(HALO_ABI_MINOR);

TEST_F(SdkTest, OutOfTreePluginLoadsAndRuns) {
  TempDir ex;
  ASSERT_NO_FATAL_FAILURE(build_example(ex, prefix_ / "sdk", {}));
  CommandResult list = run({halo_bin(), "plugins", "--plugin-dir", ex / "build"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("example-sequence"), std::string::npos) << list.out;
  write_file(
      ex / "p.yaml",
      "version: 1\nstore: { kind: sqlite, path: var/halo.db }\nplugin_dirs: [build]\n"
      "sources:\n  - { name: seq, plugin: example-sequence, config: { count: 25 } }\n"
      "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: var/p.jsonl } }\n");
  CommandResult r = run({halo_bin(), "run", ex / "p.yaml", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_lines(ex / "var/p.jsonl").size(), 25u);
}

// The example's option table (ABI 1.2 kinds) is checked by the kernel,
// printed by --describe, and its declared defaults and durations reach the
// plugin through the SDK's typed getters.
TEST_F(SdkTest, DeclaredRangesDurationsAndChoicesReachThePlugin) {
  TempDir ex;
  ASSERT_NO_FATAL_FAILURE(build_example(ex, prefix_ / "sdk", {}));
  CommandResult d =
      run({halo_bin(), "plugins", "--plugin-dir", ex / "build", "--describe", "example-sequence"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_NE(d.out.find("count  (int, default: 10, range: 0..1000000)"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("type  (string, one of: identify or track, default: identify)"),
            std::string::npos)
      << d.out;
  EXPECT_NE(d.out.find("step  (duration, default: 1s, range: 0..1d)"), std::string::npos) << d.out;

  const std::string head =
      "version: 1\nstore: { kind: sqlite, path: var/halo.db }\nplugin_dirs: [build]\n"
      "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: var/p.jsonl } }\n"
      "sources:\n  - { name: seq, plugin: example-sequence, config: ";
  write_file(ex / "bad.yaml", head + "{ count: -1, type: trak, step: 2d } }\n");
  CommandResult v = run({halo_bin(), "validate", ex / "bad.yaml"});
  EXPECT_EQ(v.exit_code, 2);
  for (const char *want : {"sources[0].config.count: must be between 0 and 1000000, got '-1'",
                           "sources[0].config.type: must be identify or track, got 'trak' (did "
                           "you mean 'track'?)",
                           "sources[0].config.step: must be between 0 and 1d, got '2d'"}) {
    EXPECT_NE(v.err.find(want), std::string::npos) << want << "\n" << v.err;
  }

  // count defaults to 10; step 1m puts customer-10's event at 00:09:00.
  write_file(ex / "p.yaml", head + "{ type: track, step: 1m } }\n");
  CommandResult r = run({halo_bin(), "run", ex / "p.yaml", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string out = read_file(ex / "var/p.jsonl");
  EXPECT_EQ(read_lines(ex / "var/p.jsonl").size(), 10u);
  EXPECT_NE(out.find(R"("updated_at":"2026-01-01T00:09:00.000Z")"), std::string::npos) << out;
}

TEST_F(SdkTest, OtherAbiMajorIsRefusedWithAClearMessage) {
  TempDir ex;
  ASSERT_NO_FATAL_FAILURE(build_example(
      ex, prefix_ / "sdk", {"-DHALO_EXAMPLE_ABI_MAJOR=" + std::to_string(HALO_ABI_MAJOR + 1)}));
  CommandResult list = run({halo_bin(), "plugins", "--plugin-dir", ex / "build"});
  ASSERT_EQ(list.exit_code, 0);
  std::string refusal =
      abi_text(HALO_ABI_MAJOR + 1, HALO_ABI_MINOR) + " but kernel ABI " + kKernelAbi;
  EXPECT_NE(
      list.out.find("libhalo-example-sequence.so: plugin 'example-sequence' refused: " + refusal),
      std::string::npos)
      << list.out;
  write_file(ex / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: var/halo.db }\nplugin_dirs: [build]\n"
             "sources:\n  - { name: seq, plugin: example-sequence }\n");
  CommandResult r = run({halo_bin(), "run", ex / "p.yaml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown source plugin 'example-sequence'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(refusal), std::string::npos) << r.err;
}

TEST_F(SdkTest, OlderMinorLoadsNewerMinorIsRefused) {
  TempDir older, newer;
  ASSERT_NO_FATAL_FAILURE(build_example(older, prefix_ / "sdk", {"-DHALO_EXAMPLE_ABI_MINOR=0"}));
  ASSERT_NO_FATAL_FAILURE(build_example(
      newer, prefix_ / "sdk", {"-DHALO_EXAMPLE_ABI_MINOR=" + std::to_string(HALO_ABI_MINOR + 1)}));
  CommandResult old_list = run({halo_bin(), "plugins", "--plugin-dir", older / "build"});
  EXPECT_NE(old_list.out.find("example-sequence     source       1.0.0     " +
                              std::to_string(HALO_ABI_MAJOR) + ".0"),
            std::string::npos)
      << old_list.out;
  CommandResult new_list = run({halo_bin(), "plugins", "--plugin-dir", newer / "build"});
  EXPECT_NE(new_list.out.find("is newer than kernel ABI " + kKernelAbi + " (upgrade halo)"),
            std::string::npos)
      << new_list.out;
}

// One recipe (sdk/cmake/HaloPluginRecipe.cmake) for bundled and vendor
// plugins: both export exactly halo_plugin_entry -- no GNU-unique or weak
// symbols from static libraries or standard-library templates, which the
// dynamic linker would bind across plugins despite RTLD_LOCAL.
TEST_F(SdkTest, OutOfTreePluginExportsOnlyTheEntryPoint) {
  TempDir ex;
  ASSERT_NO_FATAL_FAILURE(build_example(ex, prefix_ / "sdk", {}));
  EXPECT_EQ(exported_symbols(ex / "build/libhalo-example-sequence.so"), kOnlyTheEntry);
}

TEST(BundledPlugins, ExportOnlyTheEntryPoint) {
  namespace fs = std::filesystem;
  fs::path dir = HALO_BUNDLED_PLUGIN_DIR;
  int checked = 0;
  for (const auto &entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".so") continue;
    EXPECT_EQ(exported_symbols(entry.path().string()), kOnlyTheEntry) << entry.path();
    ++checked;
  }
  EXPECT_GE(checked, 8) << "bundled plugins in " << dir;
}

}  // namespace
}  // namespace halo::e2e::sdk_e2e_test
