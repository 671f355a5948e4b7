// plugin_faults_e2e_test.cpp -- the kernel survives plugins that fail: an
// ERROR batch is dead-lettered and the run goes on; FATAL stops the run with
// the instance named; a constructor's config error points at the YAML line.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace halo::e2e {
namespace {

std::string pipeline(const std::string &source_config) {
  return "version: 1\nstore: { kind: sqlite, path: var/halo.db }\n"
         "sources:\n  - name: f\n    plugin: faulty-source\n    config: " +
         source_config +
         "\ndestinations:\n  - { name: out, plugin: file-jsonl, config: { path: var/p.jsonl } }\n";
}

CommandResult run_faulty(const TempDir &dir, const std::string &config) {
  write_file(dir / "p.yaml", pipeline(config));
  return run({halo_bin(), "run", dir / "p.yaml", "--plugin-dir", HALO_TEST_PLUGIN_DIR,
              "--summary-json", dir / "s.json"});
}

TEST(PluginFaults, ErrorBatchIsDeadLetteredAndTheRunContinues) {
  TempDir dir;
  CommandResult r = run_faulty(dir, "{ batches: 4, fail_batch: 2 }");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.err.find("source 'f' (faulty-source): next_batch failed: simulated failure in batch 2"),
      std::string::npos)
      << r.err;
  EXPECT_EQ(read_lines(dir / "var/p.jsonl").size(), 30u);  // batches 1, 3, 4
  CommandResult dl = run({halo_bin(), "deadletters", dir / "p.yaml"});
  EXPECT_NE(dl.out.find("simulated failure in batch 2"), std::string::npos) << dl.out;
}

TEST(PluginFaults, FatalStopsTheRunNamingTheInstance) {
  TempDir dir;
  CommandResult r = run_faulty(dir, "{ batches: 4, fatal_batch: 3 }");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(
      r.err.find("source 'f' (faulty-source): next_batch failed fatally: simulated fatal failure"),
      std::string::npos)
      << r.err;
}

TEST(PluginFaults, ConstructorConfigErrorPointsAtTheOption) {
  TempDir dir;
  CommandResult r = run_faulty(dir, "{ bad_option: true }");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("p.yaml:6:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("sources[0].config.bad_option"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fix: remove it"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace halo::e2e
