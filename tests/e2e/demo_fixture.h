// demo_fixture.h -- a test suite fixture that generates the demo data once
// (seeded, small) and offers a fresh pipeline directory per test.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "e2e_support.h"

namespace halo::e2e {

class DemoTest : public ::testing::Test {
 protected:
  static constexpr int kCustomers = 1500;
  static void SetUpTestSuite() {
    data_ = std::make_unique<TempDir>();
    CommandResult r = run({datagen_bin(), "demo", "--out", *data_ / "demo", "--customers",
                           std::to_string(kCustomers), "--seed", "7"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { data_.reset(); }

  // DIR/config/demo.yaml with the shared data copied to DIR/data/demo.
  std::string make_pipeline(const TempDir &dir,
                            const std::string &extra_run = "  as_of: \"2026-12-31T00:00:00Z\"") {
    std::filesystem::create_directories(dir / "data");
    std::filesystem::copy(*data_ / "demo", dir / "data/demo",
                          std::filesystem::copy_options::recursive);
    return install_demo_pipeline(dir.path(), extra_run);
  }
  static std::string truth_path() { return *data_ / "demo/truth.jsonl"; }

  // Runs the demo pipeline in `dir` with the text `rule` of its YAML
  // replaced by `changed`; the run's profiles, pipeline path and summary.
  // Fails (fatally) when the rule is not in the YAML or the run fails.
  struct ChangedRun {
    std::string pipeline, summary;
    std::vector<Profile> profiles;
  };
  void run_with_rule(const TempDir &dir, const std::string &rule, const std::string &changed,
                     ChangedRun &out) {
    out.pipeline = make_pipeline(dir);
    std::string yaml = read_file(out.pipeline);
    ASSERT_NE(yaml.find(rule), std::string::npos) << rule;
    yaml.replace(yaml.find(rule), rule.size(), changed);
    write_file(out.pipeline, yaml);
    RunOutcome r = run_pipeline(out.pipeline);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    out.summary = r.summary;
    out.profiles = read_profiles(dir / "var/demo/profiles.jsonl");
  }

  static inline std::unique_ptr<TempDir> data_;
};

}  // namespace halo::e2e
