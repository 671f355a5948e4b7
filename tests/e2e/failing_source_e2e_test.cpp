// failing_source_e2e_test.cpp -- one failing source does not stop the
// healthy ones: listed first, a source that fails for good (FATAL, ERROR
// after the retries, an unreachable server) is reported on stderr naming
// it, the file source after it is read, committed and exported, the
// summary marks the failed source (text and --summary-json), and `halo`
// exits 1.
#include <gtest/gtest.h>

#include "e2e_support.h"
#include "loopback_port.h"

namespace halo::e2e::failing_source_e2e_test {
namespace {

// `first` (a source entry) then a healthy file source of three people.
std::string pipeline(const std::string &first) {
  return "version: 1\nstore: { kind: sqlite, path: var/halo.db }\n"
         "sources:\n" +
         first +
         "  - { name: web, plugin: file-jsonl, config: { path: events.jsonl } }\n"
         "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: var/p.jsonl } }\n";
}

const char kEvents[] =
    R"({"type":"identify","messageId":"w1","userId":"ann","traits":{"email":"ann@x.test"}})"
    "\n"
    R"({"type":"identify","messageId":"w2","userId":"bob","traits":{"email":"bob@x.test"}})"
    "\n"
    R"({"type":"identify","messageId":"w3","userId":"cy","traits":{"email":"cy@x.test"}})"
    "\n";

CommandResult run_with_first(const TempDir &dir, const std::string &first) {
  write_file(dir / "p.yaml", pipeline(first));
  write_file(dir / "events.jsonl", kEvents);
  return run({halo_bin(), "run", dir / "p.yaml", "--plugin-dir", HALO_TEST_PLUGIN_DIR,
              "--summary-json", dir / "s.json"});
}

// The healthy source's work is committed and exported; the summary says
// which source failed and why.
void expect_healthy_work_kept(const TempDir &dir, const CommandResult &r, const std::string &failed,
                              const std::string &why) {
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("source '" + failed + "' stopped here; the other sources go on"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(why), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("halo: 1 of 2 sources failed"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("FAILED source  '" + failed + "'"), std::string::npos) << r.out;
  std::vector<std::string> lines = read_lines(dir / "var/p.jsonl");
  size_t people = 0;
  for (const std::string &l : lines) {
    for (const char *who : {"ann@x.test", "bob@x.test", "cy@x.test"}) {
      if (l.find(who) != std::string::npos) ++people;
    }
  }
  EXPECT_EQ(people, 3u) << "the healthy source's profiles are exported";
  std::string s = read_file(dir / "s.json");
  EXPECT_NE(s.find("\"failed_sources\":1"), std::string::npos) << s;
  EXPECT_NE(s.find("{\"name\":\"" + failed + "\",\"status\":\"failed\",\"error\":\""),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("{\"name\":\"web\",\"status\":\"ok\"}"), std::string::npos) << s;
  // Committed: the store has them.
  for (const char *who : {"ann@x.test", "bob@x.test", "cy@x.test"}) {
    CommandResult p = run({halo_bin(), "profile", "get", dir / "p.yaml", "--email", who});
    EXPECT_EQ(p.exit_code, 0) << who << ": " << p.err;
  }
}

TEST(FailingSource, FatalFirstSourceDoesNotStopTheFileSourceAfterIt) {
  TempDir dir;
  CommandResult r = run_with_first(
      dir, "  - { name: f, plugin: faulty-source, config: { batches: 4, fatal_batch: 1 } }\n");
  expect_healthy_work_kept(
      dir, r, "f",
      "source 'f' (faulty-source): next_batch failed fatally: simulated fatal failure");
}

TEST(FailingSource, ErrorAfterTheRetriesEndsOnlyThatSource) {
  TempDir dir;
  // Batch 1 is read, then every batch fails: after three in a row the
  // source gives up; its first batch (10 profiles) stays committed.
  CommandResult r = run_with_first(
      dir, "  - { name: f, plugin: faulty-source, config: { batches: 9, fail_from_batch: 2 } }\n");
  expect_healthy_work_kept(dir, r, "f", "simulated failure in batch 4");
  EXPECT_EQ(read_lines(dir / "var/p.jsonl").size(), 13u);
}

TEST(FailingSource, MissingInputFirstDoesNotStopTheFileSourceAfterIt) {
  TempDir dir;
  CommandResult r = run_with_first(
      dir, "  - { name: old, plugin: file-jsonl, config: { path: gone/old.jsonl } }\n");
  expect_healthy_work_kept(dir, r, "old", "gone/old.jsonl' does not exist");
  // validate warns about it (an input may appear before the run reads it).
  CommandResult v = run({halo_bin(), "validate", dir / "p.yaml"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.err.find("WARN source 'old' (file-jsonl): file-jsonl: input"), std::string::npos)
      << v.err;
}

TEST(FailingSource, UnreachableServerFirstDoesNotStopTheFileSource) {
  TempDir dir;
  std::string url = "http://127.0.0.1:" + std::to_string(test::unused_loopback_port());
  CommandResult r = run_with_first(dir,
                                   "  - name: shop\n    plugin: woocommerce\n    config:\n"
                                   "      url: " +
                                       url +
                                       "\n      consumer_key: ck_test\n"
                                       "      consumer_secret: cs_test\n"
                                       "      resources: [customers]\n");
  expect_healthy_work_kept(dir, r, "shop", "Connection refused");
}

}  // namespace
}  // namespace halo::e2e::failing_source_e2e_test
