// validate_e2e_test.cpp -- `halo validate` creates every plugin instance
// with the code `halo run` uses (without starting one), so each
// configuration error the run reports, validate reports too: exit 2 with
// the same message. It reports every error, not the first, names the
// instance and the option, creates no file at all, prints one JSON object
// with --format json, and still says ok for a valid pipeline.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

#include "e2e_support.h"

namespace halo::e2e::validate_e2e_test {
namespace {

namespace fs = std::filesystem;

const std::string kHead = "version: 1\nstore: { kind: sqlite, path: var/halo.db }\n";
const std::string kWebSource =
    "sources:\n  - name: web\n    plugin: file-jsonl\n    config: { path: events.jsonl }\n";
const std::string kOutput =
    "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: var/p.jsonl } }\n";

std::string features(const std::string &list) {
  return "features:\n  - name: orders\n    plugin: aggregates\n    config:\n      features:\n" +
         list;
}

// The lines of `err` a failed `halo run` printed about the configuration
// (the first one follows "halo: ").
std::vector<std::string> error_lines(std::string err) {
  std::vector<std::string> out;
  size_t at = err.find("halo: ");
  if (at == std::string::npos) return out;
  err = err.substr(at + 6);
  size_t from = 0;
  while (from < err.size()) {
    size_t nl = err.find('\n', from);
    std::string line = err.substr(from, nl == std::string::npos ? std::string::npos : nl - from);
    if (!line.empty()) out.push_back(line);
    if (nl == std::string::npos) break;
    from = nl + 1;
  }
  return out;
}

// Validate and run both exit 2; every error line of the run is in
// validate's output; each `expected` part is in it; validate created no
// store (nothing under var/).
void expect_same_error(const TempDir &dir, const std::string &yaml,
                       const std::vector<std::string> &expected) {
  write_file(dir / "p.yaml", yaml);
  CommandResult v = run({halo_bin(), "validate", dir / "p.yaml"});
  EXPECT_EQ(v.exit_code, 2) << v.err;
  EXPECT_FALSE(fs::exists(dir / "var")) << "validate created var/";
  for (const std::string &part : expected) {
    EXPECT_NE(v.err.find(part), std::string::npos) << "'" << part << "' not in:\n" << v.err;
  }
  CommandResult r = run({halo_bin(), "run", dir / "p.yaml"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  std::vector<std::string> lines = error_lines(r.err);
  ASSERT_FALSE(lines.empty()) << r.err;
  for (const std::string &line : lines) {
    EXPECT_NE(v.err.find(line), std::string::npos)
        << "run said '" << line << "', validate did not:\n"
        << v.err;
  }
}

TEST(Validate, AggregateOperatorTypoIsAnError) {
  TempDir dir;
  expect_same_error(
      dir,
      kHead + kWebSource + features("        n: { cuont: { event: Order Completed } }\n") + kOutput,
      {"p.yaml:12:", "features[0].config.features.n.cuont",
       "unknown aggregate 'cuont' (did you mean count?)"});
}

TEST(Validate, MonthWindowIsAnError) {
  TempDir dir;
  expect_same_error(
      dir,
      kHead + kWebSource +
          features("        n: { count: { event: Order Completed, window: 1month } }\n") + kOutput,
      {"features[0].config.features.n.count.window", "bad window '1month'"});
}

TEST(Validate, PluginsOwnConfigErrorIsAnError) {
  TempDir dir;
  expect_same_error(dir,
                    kHead +
                        "sources:\n  - name: web\n    plugin: file-jsonl\n"
                        "    config: { path: events.jsonl, format: xml }\n" +
                        kOutput,
                    {"p.yaml:6:", "sources[0].config.format",
                     "must be auto, jsonl, ndjson or json-array, got 'xml'"});
}

TEST(Validate, MissingDropFolderIsAnError) {
  TempDir dir;
  expect_same_error(dir,
                    kHead +
                        "sources:\n  - name: till\n    plugin: pos-csv\n    config:\n"
                        "      dir: drop\n      mapping: { type: \"=track\", userId: customer }\n" +
                        kOutput,
                    {"sources[0].config.dir", dir / "drop", "is not a directory"});
  EXPECT_FALSE(fs::exists(dir / "drop"));
}

TEST(Validate, StoreUnderARegularFileIsAnError) {
  TempDir dir;
  write_file(dir / "blocker", "not a directory\n");
  expect_same_error(
      dir,
      "version: 1\nstore: { kind: sqlite, path: blocker/sub/halo.db }\n" + kWebSource + kOutput,
      {"store.path", dir / "blocker is a regular file, not a directory"});
  EXPECT_EQ(read_file(dir / "blocker"), "not a directory\n");
}

TEST(Validate, StoreUnderEtcPasswdIsAnError) {
  ASSERT_TRUE(fs::is_regular_file("/etc/passwd"));
  TempDir dir;
  expect_same_error(
      dir,
      "version: 1\nstore: { kind: sqlite, path: /etc/passwd/x.sqlite }\n" + kWebSource + kOutput,
      {"store.path", "/etc/passwd is a regular file, not a directory"});
}

TEST(Validate, StorePathThatIsADirectoryIsAnError) {
  TempDir dir;
  fs::create_directories(dir / "var/halo.db");
  write_file(dir / "p.yaml", kHead + kWebSource + kOutput);
  CommandResult v = run({halo_bin(), "validate", dir / "p.yaml"});
  EXPECT_EQ(v.exit_code, 2) << v.err;
  EXPECT_NE(v.err.find("is a directory, not a SQLite database file"), std::string::npos) << v.err;
  CommandResult r = run({halo_bin(), "run", dir / "p.yaml"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("is a directory, not a SQLite database file"), std::string::npos) << r.err;
}

TEST(Validate, ReportsEveryErrorNotOnlyTheFirst) {
  TempDir dir;
  write_file(dir / "blocker", "x");
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: blocker/halo.db }\n"
             "sources:\n  - name: web\n    plugin: file-jsonl\n"
             "    config: { path: events.jsonl, format: xml }\n"
             "  - name: till\n    plugin: pos-csv\n    config:\n"
             "      dir: drop\n      mapping: { type: \"=track\", userId: customer }\n" +
                 features("        n: { cuont: { event: Order Completed } }\n"
                          "        m: { count: { event: Order Completed, window: 1month } }\n") +
                 kOutput);
  CommandResult v = run({halo_bin(), "validate", dir / "p.yaml"});
  EXPECT_EQ(v.exit_code, 2) << v.err;
  for (const char *part :
       {"sources[0].config.format", "sources[1].config.dir", "features[0].config.features.n.cuont",
        "features[0].config.features.m.count.window", "store.path", "5 error(s)"}) {
    EXPECT_NE(v.err.find(part), std::string::npos) << "'" << part << "' not in:\n" << v.err;
  }
}

TEST(Validate, CreatesNoFileAtAll) {
  TempDir config, empty;
  // Every path the pipeline names lies in `empty`: the store (and its
  // directory), the export, the inputs, the drop folder's archive.
  fs::create_directories(empty / "drop");
  write_file(config / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: " + empty / "var/halo.db" +
                 " }\n"
                 "sources:\n"
                 "  - { name: web, plugin: file-jsonl, config: { path: " +
                 empty / "events.jsonl" +
                 ", optional: true } }\n"
                 "  - name: crm\n    plugin: file-csv\n    config:\n      path: " +
                 empty / "crm.csv" +
                 "\n      optional: true\n      mapping: { type: \"=identify\", userId: id }\n"
                 "  - name: till\n    plugin: pos-csv\n    config:\n      dir: " +
                 empty / "drop" + "\n      move_processed_to: " + empty / "done" +
                 "\n      mapping: { type: \"=track\", userId: customer }\n" +
                 features("        n: { count: { event: Order Completed, window: 30d } }\n") +
                 "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: " +
                 empty / "out/p.jsonl" + " } }\n");
  CommandResult v = run({halo_bin(), "validate", config / "p.yaml"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  std::vector<std::string> found;
  for (const auto &e : fs::recursive_directory_iterator(empty.path())) {
    found.push_back(e.path().string());
  }
  EXPECT_EQ(found, std::vector<std::string>{empty / "drop"});
  EXPECT_TRUE(fs::is_empty(empty / "drop"));
  std::vector<std::string> beside;
  for (const auto &e : fs::directory_iterator(config.path())) beside.push_back(e.path().string());
  EXPECT_EQ(beside, std::vector<std::string>{config / "p.yaml"});
}

TEST(Validate, ValidPipelineSaysOkInTextAndJson) {
  TempDir dir;
  write_file(dir / "p.yaml", kHead + kWebSource +
                                 features("        n: { count: { event: Order Completed } }\n") +
                                 kOutput);
  CommandResult v = run({halo_bin(), "validate", dir / "p.yaml"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("ok (1 sources, 1 feature builders, 1 destinations)"), std::string::npos)
      << v.out;
  CommandResult j = run({halo_bin(), "validate", dir / "p.yaml", "--format", "json"});
  EXPECT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(j.out, "{\"pipeline\":\"" + dir / "p.yaml" +
                       "\",\"ok\":true,\"errors\":[],\"sources\":1,\"features\":1,"
                       "\"destinations\":1}\n");
  EXPECT_FALSE(fs::exists(dir / "var"));
}

TEST(Validate, JsonFormatListsEveryErrorWithWhere) {
  TempDir dir;
  write_file(dir / "blocker", "x");
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: blocker/halo.db }\n"
             "sources:\n  - name: web\n    plugin: file-jsonl\n"
             "    config: { path: events.jsonl, format: xml }\n" +
                 kOutput);
  CommandResult j = run({halo_bin(), "validate", dir / "p.yaml", "--format", "json"});
  EXPECT_EQ(j.exit_code, 2) << j.err;
  EXPECT_EQ(j.out.rfind("{\"pipeline\":", 0), 0u) << j.out;
  for (const std::string &part :
       {std::string("\"ok\":false"), std::string("{\"where\":\"sources[0]\",\"message\":\""),
        dir / "p.yaml:6:", std::string("{\"where\":\"store\",\"message\":\"store.path: "),
        std::string("\"sources\":1,\"features\":0,\"destinations\":1}")}) {
    EXPECT_NE(j.out.find(part), std::string::npos) << "'" << part << "' not in:\n" << j.out;
  }
  CommandResult bad = run({halo_bin(), "validate", dir / "p.yaml", "--format", "yaml"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--format must be text or json"), std::string::npos) << bad.err;
}

TEST(Validate, UnknownPluginInJsonIsNamed) {
  TempDir dir;
  write_file(
      dir / "p.yaml",
      kHead + "sources:\n  - { name: web, plugin: file-jsnol, config: { path: x } }\n" + kOutput);
  CommandResult j = run({halo_bin(), "validate", dir / "p.yaml", "--format", "json"});
  EXPECT_EQ(j.exit_code, 2);
  EXPECT_NE(j.out.find("\"where\":\"sources[0]\""), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("unknown source plugin 'file-jsnol'"), std::string::npos) << j.out;
}

// A route a plugin adds in create is checked, not served: validate never
// binds the port (here held by the test, so binding it would fail), while
// the run, which serves it, fails on the taken port.
TEST(Validate, RouteAddedInCreateIsNotServed) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len);
  std::string listen_on = "127.0.0.1:" + std::to_string(ntohs(a.sin_port));
  TempDir dir;
  write_file(dir / "p.yaml", kHead +
                                 "sources:\n  - { name: f, plugin: faulty-source, config: { "
                                 "route_in_create: /hook, listen: \"" +
                                 listen_on + "\" } }\n" + kOutput);
  CommandResult v =
      run({halo_bin(), "validate", dir / "p.yaml", "--plugin-dir", HALO_TEST_PLUGIN_DIR});
  CommandResult r = run({halo_bin(), "run", dir / "p.yaml", "--plugin-dir", HALO_TEST_PLUGIN_DIR});
  close(fd);
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_EQ(v.err.find("HTTP route"), std::string::npos) << v.err;
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(listen_on), std::string::npos) << r.err;
}

}  // namespace
}  // namespace halo::e2e::validate_e2e_test
