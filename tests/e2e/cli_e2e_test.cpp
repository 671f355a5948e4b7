// cli_e2e_test.cpp -- the `halo` command line as operators meet it: every
// command refuses unknown options and extra arguments (usage on stderr,
// exit 2), has --help, `--summary-json -` puts the JSON on stdout,
// -v/--log-level show plugin debug logs, and `halo plugins` accounts for
// every file in its directories (table and --format json), and a command
// that makes no HTTP call starts without loading libcurl.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>

#include "e2e_support.h"

namespace halo::e2e::cli_e2e_test {
namespace {

bool has(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

// A pipeline of the test plugins: 2 batches of 10 events, no rejects.
std::string faulty_pipeline(const TempDir &dir) {
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: var/halo.db }\n"
             "sources:\n  - name: f\n    plugin: faulty-source\n    config: { batches: 2 }\n"
             "identity:\n  resolver: faulty-resolver\n");
  return dir / "p.yaml";
}

CommandResult halo(std::vector<std::string> args) {
  args.insert(args.begin(), halo_bin());
  return run(args);
}

TEST(Cli, UnknownOptionsAndExtraArgumentsAreUsageErrorsEverywhere) {
  TempDir dir;
  const std::string p = faulty_pipeline(dir);
  const std::vector<std::vector<std::string>> bad = {
      {"run", p, "--bogus"},
      {"run", p, "extra"},
      {"rebuild", p, "--bogus"},
      {"rebuild", p, "extra"},
      {"validate", p, "--bogus"},
      {"validate", p, "extra"},
      {"plugins", "--bogus"},
      {"plugins", "extra"},
      {"profile", "get", p, "--email", "a@b.c", "--bogus"},
      {"profile", "get", p, "extra", "--email", "a@b.c"},
      // Before the fix: --limit and anything else after PIPELINE were ignored.
      {"deadletters", p, "--bogus", "2"},
      {"deadletters", p, "extra"},
      {"deadletters", "replay", p, "--bogus"},
      {"deadletters", "replay", p, "extra"},
      {"store", "check", p, "--bogus"},
      {"store", "check", p, "extra"},
      {"version", "--bogus"},
      {"version", "extra"},
  };
  for (const auto &args : bad) {
    CommandResult r = halo(args);
    std::string cmd;
    for (const std::string &a : args) cmd += a + " ";
    EXPECT_EQ(r.exit_code, 2) << cmd << "\n" << r.out << r.err;
    EXPECT_TRUE(has(r.err, "usage: halo")) << cmd << "\n" << r.err;
  }
  // Nothing was run: no store was created by any of them.
  EXPECT_FALSE(std::filesystem::exists(dir / "var/halo.db"));
}

// libcurl and the libraries it needs are loaded on the first HTTP, SMTP
// or mailbox call, not at every start (core/http/libcurl.h). The dynamic
// loader lists what it loads (LD_DEBUG=files, ld.so(8)).
TEST(Cli, AStartLoadsNoLibcurl) {
  CommandResult r = run({halo_bin(), "version"}, {{"LD_DEBUG", "files"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "file=libsqlite3.so")) << "no loader trace: " << r.err.substr(0, 300);
  EXPECT_FALSE(has(r.err, "file=libcurl")) << r.err;
}

TEST(Cli, EveryCommandHasHelp) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> commands = {
      {{"run", "--help"}, "usage: halo run"},
      {{"rebuild", "--help"}, "usage: halo rebuild"},
      {{"validate", "--help"}, "usage: halo validate"},
      {{"plugins", "--help"}, "usage: halo plugins"},
      {{"profile", "--help"}, "usage: halo profile get"},
      {{"deadletters", "--help"}, "usage: halo deadletters"},
      {{"deadletters", "replay", "--help"}, "usage: halo deadletters replay"},
      {{"store", "--help"}, "usage: halo store check"},
      {{"version", "--help"}, "usage: halo version"},
      {{"--help"}, "usage: halo <command>"},
  };
  for (const auto &[args, usage] : commands) {
    CommandResult r = halo(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << "\n" << r.err;
    EXPECT_TRUE(has(r.out, usage)) << args[0] << "\n" << r.out;
  }
  CommandResult version = halo({"version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(has(version.out, "plugin ABI")) << version.out;
}

TEST(Cli, SummaryJsonDashWritesTheJsonToStdoutAndTheTextToStderr) {
  TempDir dir;
  CommandResult r = halo(
      {"run", faulty_pipeline(dir), "--plugin-dir", HALO_TEST_PLUGIN_DIR, "--summary-json", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(r.out).get(doc), simdjson::SUCCESS) << "stdout is not JSON: " << r.out;
  EXPECT_EQ(uint64_t(doc["records_read"]), 20u) << r.out;
  EXPECT_EQ(uint64_t(doc["accepted"]), 20u) << r.out;
  EXPECT_FALSE(has(r.out, "records read")) << r.out;
  EXPECT_TRUE(has(r.err, "records read")) << r.err;
  // -q keeps only the JSON.
  TempDir again;
  CommandResult quiet = halo({"run", faulty_pipeline(again), "--plugin-dir", HALO_TEST_PLUGIN_DIR,
                              "--summary-json", "-", "-q"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_FALSE(has(quiet.err, "records read")) << quiet.err;
  EXPECT_EQ(parser.parse(quiet.out).get(doc), simdjson::SUCCESS) << quiet.out;
}

TEST(Cli, VerboseAndLogLevelShowPluginDebugLogs) {
  const std::string debug_line = "faulty-source debug: 2 batches";
  struct Case {
    std::vector<std::string> flags;
    bool shown;
  };
  const std::vector<Case> cases = {{{}, false},
                                   {{"-v"}, true},
                                   {{"--verbose"}, true},
                                   {{"--log-level", "debug"}, true},
                                   {{"--log-level", "info"}, false},
                                   {{"--log-level", "error"}, false}};
  for (const char *cmd : {"run", "rebuild"}) {
    for (const Case &c : cases) {
      TempDir dir;
      std::vector<std::string> args = {cmd, faulty_pipeline(dir), "-q", "--plugin-dir",
                                       HALO_TEST_PLUGIN_DIR};
      args.insert(args.end(), c.flags.begin(), c.flags.end());
      CommandResult r = halo(args);
      ASSERT_EQ(r.exit_code, 0) << cmd << " " << r.err;
      EXPECT_EQ(has(r.err, debug_line), c.shown)
          << cmd << " " << (c.flags.empty() ? "" : c.flags[0]) << "\n"
          << r.err;
    }
  }
  TempDir dir;
  const std::string p = faulty_pipeline(dir);
  for (const char *cmd : {"run", "rebuild", "validate"}) {
    CommandResult bad = halo({cmd, p, "--log-level", "loud"});
    EXPECT_EQ(bad.exit_code, 2) << cmd;
    EXPECT_TRUE(has(bad.err, "--log-level must be debug, info, warn or error")) << bad.err;
    CommandResult both = halo({cmd, p, "-v", "--log-level", "warn"});
    EXPECT_EQ(both.exit_code, 2) << cmd << both.err;
  }
  CommandResult validate = halo({"validate", p, "-v", "--plugin-dir", HALO_TEST_PLUGIN_DIR});
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
}

// A directory holding a plugin, a library that is not a plugin, a text file
// named like a library and a text file.
struct MixedPluginDir {
  TempDir dir;
  MixedPluginDir() {
    std::filesystem::copy_file(std::string(HALO_TEST_PLUGIN_DIR) + "/libhalo-test-faulty.so",
                               dir / "libhalo-test-faulty.so");
    std::filesystem::copy_file(HALO_TEST_NOT_A_PLUGIN, dir / "libnot-a-plugin.so");
    write_file(dir / "libfake.so", "this is text, not a library\n");
    write_file(dir / "README.txt", "notes\n");
  }
};

TEST(Cli, PluginsNamesEveryFileThatIsNotAPluginOnOneLine) {
  MixedPluginDir m;
  CommandResult r = halo({"plugins", "--plugin-dir", m.dir.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "faulty-source")) << r.out;
  for (const char *file : {"libnot-a-plugin.so", "libfake.so", "README.txt"}) {
    const std::string prefix = "not loaded: " + (m.dir / file) + ": ";
    size_t at = r.out.find(prefix);
    ASSERT_NE(at, std::string::npos) << file << "\n" << r.out;
    std::string line = r.out.substr(at, r.out.find('\n', at) - at);
    EXPECT_GT(line.size(), prefix.size() + 10) << line;
  }
  EXPECT_TRUE(has(r.out, m.dir / "libnot-a-plugin.so: not a Halo plugin: no exported symbol"))
      << r.out;
  EXPECT_TRUE(has(r.out, m.dir / "README.txt: skipped: not a shared library")) << r.out;
}

TEST(Cli, PluginsFormatJson) {
  MixedPluginDir m;
  CommandResult r = halo({"plugins", "--plugin-dir", m.dir.path(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(r.out).get(doc), simdjson::SUCCESS) << r.out;
  bool found = false;
  for (simdjson::dom::element p : doc["plugins"].get_array()) {
    if (std::string_view(p["name"]) != "faulty-source") continue;
    found = true;
    EXPECT_EQ(std::string_view(p["kind"]), "source");
    EXPECT_EQ(std::string_view(p["path"]), m.dir / "libhalo-test-faulty.so");
    EXPECT_FALSE(std::string_view(p["abi"]).empty());
  }
  EXPECT_TRUE(found) << r.out;
  std::set<std::string> not_loaded;
  for (simdjson::dom::element p : doc["not_loaded"].get_array()) {
    not_loaded.insert(std::string(std::string_view(p["path"])));
    EXPECT_FALSE(std::string_view(p["message"]).empty());
  }
  for (const char *file : {"libnot-a-plugin.so", "libfake.so", "README.txt"}) {
    EXPECT_TRUE(not_loaded.count(m.dir / file)) << file << "\n" << r.out;
  }
  bool searched = false;
  for (simdjson::dom::element d : doc["searched"].get_array()) {
    searched = searched || std::string_view(d) == m.dir.path();
  }
  EXPECT_TRUE(searched) << r.out;
  EXPECT_EQ(halo({"plugins", "--format", "yaml"}).exit_code, 2);
}

TEST(Cli, PluginsNamesTheDirectoriesItSearchedWhenItFindsNone) {
  // A copy of the binary has no bundled plugin directory next to it.
  TempDir dir;
  std::filesystem::create_directories(dir / "bin");
  std::filesystem::copy_file(halo_bin(), dir / "bin/halo");
  std::filesystem::create_directories(dir / "empty");
  CommandResult r = run({dir / "bin/halo", "plugins", "--plugin-dir", dir / "empty"},
                        {{"HALO_PLUGIN_PATH", dir / "nowhere"}});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_TRUE(has(r.err, "no plugins found; searched:")) << r.err;
  EXPECT_TRUE(has(r.err, dir / "empty")) << r.err;
  EXPECT_TRUE(has(r.err, dir / "nowhere (no such directory)")) << r.err;
}

// Bundled plugins declare their ranges, allowed values and sizes (ABI 1.2);
// --describe prints them as text and as JSON, --format json no longer
// being refused with --describe.
TEST(Cli, PluginsDescribeShowsRangesAllowedValuesAndSizes) {
  CommandResult text = halo({"plugins", "--describe", "woocommerce"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(has(text.out, "per_page  (int, default: 100, range: 1..100)")) << text.out;
  EXPECT_TRUE(has(text.out, "mode  (string, one of: pull or webhook, default: pull)")) << text.out;
  EXPECT_TRUE(has(text.out, "max_idle_ms  (int, default: 0, range: at least 0)")) << text.out;

  CommandResult json = halo({"plugins", "--describe", "file-jsonl", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_TRUE(has(json.out, R"({"name":"max_record_bytes","type":"size","required":false,)"
                            R"("secret":false,"default":"1MiB","min":"1KiB","max":"1GiB",)"
                            R"("allowed":[],)"))
      << json.out;
  EXPECT_TRUE(has(json.out, R"("allowed":["auto","jsonl","ndjson","json-array"])")) << json.out;
  EXPECT_TRUE(has(json.out, R"({"name":"path","type":"string","required":true,)")) << json.out;
  // Both file-jsonl plugins (source and destination) carry the name.
  EXPECT_TRUE(has(json.out, R"("kind":"destination")")) << json.out;

  EXPECT_EQ(halo({"plugins", "--describe", "no-such-plugin", "--format", "json"}).exit_code, 3);
}

}  // namespace
}  // namespace halo::e2e::cli_e2e_test
