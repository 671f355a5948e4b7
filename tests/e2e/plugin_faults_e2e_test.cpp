// plugin_faults_e2e_test.cpp -- the kernel survives plugins that fail: an
// ERROR batch is dead-lettered and the run goes on; FATAL ends the source
// (not the run) with the instance named and the run exits 1; a
// constructor's config error points at the YAML line; one event a resolver or feature builder
// cannot take (ERROR on the batch, or event_reject) is dead-lettered alone and the batch goes on.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "e2e_support.h"

namespace halo::e2e::plugin_faults_e2e_test {
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

// FATAL ends the source, not the run: what it read before is committed and
// exported (batches 1 and 2), and the run exits 1 naming the instance.
TEST(PluginFaults, FatalEndsTheSourceNamingTheInstance) {
  TempDir dir;
  CommandResult r = run_faulty(dir, "{ batches: 4, fatal_batch: 3 }");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(
      r.err.find("source 'f' (faulty-source): next_batch failed fatally: simulated fatal failure"),
      std::string::npos)
      << r.err;
  EXPECT_EQ(read_lines(dir / "var/p.jsonl").size(), 20u);
  EXPECT_NE(read_file(dir / "s.json").find("\"failed_sources\":1"), std::string::npos);
}

TEST(PluginFaults, ConstructorConfigErrorPointsAtTheOption) {
  TempDir dir;
  CommandResult r = run_faulty(dir, "{ bad_option: true }");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("p.yaml:6:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("sources[0].config.bad_option"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fix: remove it"), std::string::npos) << r.err;
}

TEST(PluginFaults, CrashNamesThePluginAndTheCall) {
  TempDir dir;
  CommandResult r = run_faulty(dir, "{ batches: 4, crash_batch: 2 }");
  EXPECT_EQ(r.exit_code, 128 + SIGSEGV) << r.err;
  EXPECT_NE(r.err.find("halo: crashed (SIGSEGV) in source 'f' (faulty-source): next_batch"),
            std::string::npos)
      << r.err;
  // The frames follow, the plugin's among them.
  const size_t frames = r.err.find("halo: backtrace:\n");
  ASSERT_NE(frames, std::string::npos) << r.err;
  EXPECT_NE(r.err.find("test-faulty.so(", frames), std::string::npos) << r.err;
}

TEST(PluginFaults, HangingCallIsStoppedAtItsDeadline) {
  TempDir dir;
  write_file(dir / "p.yaml",
             "run: { plugin_timeout_ms: 300 }\n" + pipeline("{ batches: 4, hang_batch: 2 }"));
  auto start = std::chrono::steady_clock::now();
  CommandResult r = run({halo_bin(), "run", dir / "p.yaml", "--plugin-dir", HALO_TEST_PLUGIN_DIR});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_NE(r.err.find("source 'f' (faulty-source): next_batch has run for"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("run.plugin_timeout_ms = 300"), std::string::npos) << r.err;
}

// Starts halo in the background with stderr to `err_path`.
pid_t spawn_halo(const std::vector<std::string> &argv, const std::string &err_path) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE *err = std::freopen(err_path.c_str(), "w", stderr);
    (void)err;
    std::vector<char *> args;
    for (const std::string &a : argv) args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

TEST(PluginFaults, SigtermEndsARunWhosePluginHangs) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline("{ batches: 4, hang_batch: 2 }"));
  pid_t pid = spawn_halo({halo_bin(), "run", dir / "p.yaml", "--plugin-dir", HALO_TEST_PLUGIN_DIR},
                         dir / "err.txt");
  ASSERT_GT(pid, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  std::string err = read_file(dir / "err.txt");
  EXPECT_NE(err.find("interrupted, but source 'f' (faulty-source): next_batch has not returned"),
            std::string::npos)
      << err;
}

// Four batches of ten identify events (users u1-0 .. u4-9) through a test
// resolver and feature builder configured by `identity` and `features`.
std::string fault_pipeline(const std::string &identity, const std::string &features) {
  return "version: 1\nstore: { kind: sqlite, path: var/halo.db }\n"
         "identity: { resolver: faulty-resolver, config: " +
         identity +
         " }\n"
         "sources:\n  - { name: f, plugin: faulty-source, config: { batches: 4 } }\n"
         "features:\n  - { name: counts, plugin: faulty-features, config: " +
         features +
         " }\n"
         "destinations:\n  - { name: out, plugin: file-jsonl, config: { path: var/p.jsonl } }\n";
}

CommandResult halo_cmd(const TempDir &dir, const std::string &cmd) {
  return run({halo_bin(), cmd, dir / "p.yaml", "--plugin-dir", HALO_TEST_PLUGIN_DIR,
              "--summary-json", dir / "s.json"});
}

std::vector<std::string> dead_letters(const TempDir &dir) {
  // Listing dead letters loads no plugins (and refuses --plugin-dir).
  CommandResult dl = run({halo_bin(), "deadletters", dir / "p.yaml"});
  EXPECT_EQ(dl.exit_code, 0) << dl.err;
  std::vector<std::string> lines;
  size_t at = 0;
  for (size_t nl; (nl = dl.out.find('\n', at)) != std::string::npos; at = nl + 1) {
    lines.push_back(dl.out.substr(at, nl - at));
  }
  return lines;
}

// The exported line of the profile holding user_id `user`, or "".
std::string profile_of(const TempDir &dir, const std::string &user) {
  for (const std::string &line : read_lines(dir / "var/p.jsonl")) {
    if (line.find("\"" + user + "\"") != std::string::npos) return line;
  }
  return "";
}

bool has(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

TEST(PluginFaults, FeatureFailureOnOneEventDeadLettersOnlyThatEvent) {
  TempDir dir;
  write_file(dir / "p.yaml", fault_pipeline("{}", "{ poison_user: u2-3, reject_user: u3-5 }"));
  CommandResult r = halo_cmd(dir, "run");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Every event is stored and every person has a profile ...
  EXPECT_EQ(read_lines(dir / "var/p.jsonl").size(), 40u);
  EXPECT_TRUE(has(read_file(dir / "s.json"), "\"accepted\":40")) << read_file(dir / "s.json");
  EXPECT_TRUE(has(read_file(dir / "s.json"), "\"feature_rejections\":2"));
  // ... the builder skipped exactly the two events it could not take ...
  EXPECT_TRUE(has(profile_of(dir, "u2-3"), "\"seen\":0")) << profile_of(dir, "u2-3");
  EXPECT_TRUE(has(profile_of(dir, "u3-5"), "\"seen\":0"));
  EXPECT_TRUE(has(profile_of(dir, "u2-4"), "\"seen\":1")) << profile_of(dir, "u2-4");
  EXPECT_TRUE(has(profile_of(dir, "u2-2"), "\"seen\":1"));
  // ... and each is a dead letter naming stage, instance, profile and cause.
  std::vector<std::string> dl = dead_letters(dir);
  ASSERT_EQ(dl.size(), 2u) << r.err;
  std::string all = dl[0] + dl[1];
  EXPECT_TRUE(has(all, "\"stage\":\"feature\"")) << all;
  EXPECT_TRUE(has(all, "poisoned by u2-3")) << all;
  EXPECT_TRUE(has(all, "\"reason\":\"test_refused\"")) << all;
  EXPECT_TRUE(has(all, "feature 'counts' (faulty-features)")) << all;
  EXPECT_TRUE(has(all, "(profile ")) << all;

  // A rebuild recomputes the same features and the same dead letters.
  std::string before = read_file(dir / "var/p.jsonl");
  CommandResult rb = halo_cmd(dir, "rebuild");
  ASSERT_EQ(rb.exit_code, 0) << rb.err;
  EXPECT_EQ(read_file(dir / "var/p.jsonl"), before);
  EXPECT_EQ(dead_letters(dir).size(), 2u);
}

TEST(PluginFaults, ResolverFailureOnOneEventDeadLettersOnlyThatEvent) {
  TempDir dir;
  write_file(dir / "p.yaml", fault_pipeline("{ poison_user: u2-3, reject_user: u3-5 }", "{}"));
  CommandResult r = halo_cmd(dir, "run");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> profiles = read_lines(dir / "var/p.jsonl");
  EXPECT_EQ(profiles.size(), 38u);
  EXPECT_EQ(profile_of(dir, "u2-3"), "");
  EXPECT_EQ(profile_of(dir, "u3-5"), "");
  EXPECT_TRUE(has(profile_of(dir, "u2-4"), "\"seen\":1"));
  std::string summary = read_file(dir / "s.json");
  EXPECT_TRUE(has(summary, "\"accepted\":38")) << summary;
  EXPECT_TRUE(has(summary, "\"rejected\":2")) << summary;
  std::vector<std::string> dl = dead_letters(dir);
  ASSERT_EQ(dl.size(), 2u);
  std::string all = dl[0] + dl[1];
  EXPECT_TRUE(has(all, "\"stage\":\"resolve\"")) << all;
  EXPECT_TRUE(has(all, "\"reason\":\"resolver_error\"")) << all;
  EXPECT_TRUE(has(all, "poisoned by u2-3")) << all;
  EXPECT_TRUE(has(all, "the test resolver refuses u3-5")) << all;
  EXPECT_TRUE(has(all, "u2-3")) << all;  // the raw event is kept for replay
}

}  // namespace
}  // namespace halo::e2e::plugin_faults_e2e_test
