// interrupt_e2e_test.cpp -- SIGINT/SIGTERM in the middle of `halo run`: the
// run exits 130, its summary (text and --summary-json) says it was
// interrupted, the previous complete profile export stays byte-identical
// (no partial export replaces it, no .tmp is left), and running again
// finishes the work.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "demo_fixture.h"

extern char **environ;

namespace halo::e2e::interrupt_e2e_test {
namespace {

// Small batches and frequent commits: the store's WAL appears after the
// first commit, long before the input ends.
const char *kSmallBatches =
    "  as_of: \"2026-12-31T00:00:00Z\"\n  batch_size: 128\n  commit_every: 512";

bool has(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

struct Interrupted {
  int exit_code = -1;
  bool signalled = false;  // the signal was sent while the run was going
};

// Starts `halo run`, waits until it has committed something, sends `sig`.
Interrupted run_and_signal(const std::string &pipeline, const std::string &summary_json,
                           const std::string &out_path, const std::string &wal, int sig) {
  std::string bin = halo_bin();
  std::vector<char *> argv = {bin.data(),
                              const_cast<char *>("run"),
                              const_cast<char *>(pipeline.c_str()),
                              const_cast<char *>("--summary-json"),
                              const_cast<char *>(summary_json.c_str()),
                              nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  Interrupted r;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return r;
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) {  // finished before any commit was seen
      r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return r;
    }
    std::error_code ec;
    if (std::filesystem::file_size(wal, ec) > 0 && !ec) break;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  r.signalled = kill(pid, sig) == 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

class InterruptTest : public DemoTest {};

TEST_F(InterruptTest, SignalKeepsPreviousExportAndSummarySaysInterrupted) {
  TempDir dir;
  std::string pipeline = make_pipeline(dir, kSmallBatches);
  CommandResult full =
      run({halo_bin(), "run", pipeline, "-q", "--summary-json", dir / "full.json"});
  ASSERT_EQ(full.exit_code, 0) << full.err;
  const std::string exported = dir / "var/demo/profiles.jsonl";
  const std::string complete = read_file(exported);
  const std::string complete_without_ids = profiles_without_ids(exported);
  ASSERT_FALSE(complete.empty());
  const std::string full_summary = read_file(dir / "full.json");
  ASSERT_TRUE(has(full_summary, "\"interrupted\":false")) << full_summary;

  int interrupted_runs = 0;
  for (int sig : {SIGINT, SIGTERM}) {
    // A fresh store makes the next run re-read all input, so the signal
    // lands mid-run; the export of the complete run stays on disk.
    for (const char *suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(dir / (std::string("var/demo/halo.db") + suffix));
    }
    Interrupted r = run_and_signal(pipeline, dir / "s.json", dir / "out.txt",
                                   dir / "var/demo/halo.db-wal", sig);
    ASSERT_TRUE(r.signalled) << "the run ended before the signal: the test tested nothing";
    EXPECT_EQ(r.exit_code, 130) << "signal " << sig;
    // Before the fix: the partial run's profiles replaced the export.
    EXPECT_EQ(read_file(exported), complete) << "signal " << sig;
    EXPECT_FALSE(std::filesystem::exists(exported + ".tmp"));
    std::string text = read_file(dir / "out.txt");
    EXPECT_TRUE(has(text, "INTERRUPTED")) << text;
    EXPECT_TRUE(has(text, "NOT replaced")) << text;
    std::string json = read_file(dir / "s.json");
    EXPECT_TRUE(has(json, "\"interrupted\":true")) << json;
    EXPECT_NE(json.substr(0, json.find(",")), full_summary.substr(0, full_summary.find(",")))
        << "records_read of an interrupted run should be below the full run's";
    ++interrupted_runs;
  }
  EXPECT_EQ(interrupted_runs, 2);
  // Running again continues from the last commit and exports everything.
  CommandResult resume = run({halo_bin(), "run", pipeline, "-q"});
  ASSERT_EQ(resume.exit_code, 0) << resume.err;
  // Profile ids follow the arrival order of the concurrently read sources.
  EXPECT_EQ(profiles_without_ids(exported), complete_without_ids);
}

}  // namespace
}  // namespace halo::e2e::interrupt_e2e_test
