// second_signal_e2e_test.cpp -- `halo run` always has a way out: with a source
// plugin stuck in next_batch (ignoring cancellation), the first SIGINT cannot
// stop the run, and the second one exits at once with code 130.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "e2e_support.h"

extern char **environ;

namespace halo::e2e::second_signal_e2e_test {
namespace {

using Clock = std::chrono::steady_clock;

// Waits up to `limit` for `pid`; the exit code (128+N for signal N), or -1
// when it is still running.
int wait_for_exit(pid_t pid, std::chrono::milliseconds limit) {
  const Clock::time_point end = Clock::now() + limit;
  int status = 0;
  while (Clock::now() < end) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

TEST(Interrupt, SecondSigintEndsARunStuckInAPlugin) {
  TempDir dir;
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: var/halo.db }\n"
             "sources:\n  - name: f\n    plugin: faulty-source\n"
             "    config: { batches: 4, hang_batch: 2 }\n");
  const std::string err_path = dir / "err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<std::string> args = {halo_bin(), "run", dir / "p.yaml", "--plugin-dir",
                                   HALO_TEST_PLUGIN_DIR};
  std::vector<char *> argv;
  for (std::string &a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);

  // The plugin hangs in batch 2; give the run time to get there.
  EXPECT_EQ(wait_for_exit(pid, std::chrono::milliseconds(1500)), -1) << read_file(err_path);
  kill(pid, SIGINT);
  // The stuck plugin ignores the stop request, so the run cannot stop yet.
  EXPECT_EQ(wait_for_exit(pid, std::chrono::milliseconds(500)), -1) << read_file(err_path);
  kill(pid, SIGINT);
  int code = wait_for_exit(pid, std::chrono::seconds(5));
  if (code == -1) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  EXPECT_EQ(code, 130) << read_file(err_path);
  EXPECT_NE(read_file(err_path).find("halo: interrupted again, exiting without waiting"),
            std::string::npos)
      << read_file(err_path);
}

}  // namespace
}  // namespace halo::e2e::second_signal_e2e_test
