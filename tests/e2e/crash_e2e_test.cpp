// crash_e2e_test.cpp -- killing `halo run` at arbitrary moments and running
// it again must give exactly the profiles of an uninterrupted run: cursors
// commit atomically with the batches they produced. (Profile ids are left
// out of the comparison: sources are read concurrently, so ids follow the
// order batches arrived in.)
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "demo_fixture.h"

extern char **environ;

namespace halo::e2e {
namespace {

// Small batches and frequent commits so kills land between and inside
// commits many times.
const char *kSmallBatches =
    "  as_of: \"2026-12-31T00:00:00Z\"\n  batch_size: 128\n  commit_every: 512";

std::string clean_run_output(DemoTest *, const std::string &pipeline, const TempDir &dir) {
  CommandResult r = run({halo_bin(), "run", pipeline, "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return profiles_without_ids(dir / "var/demo/profiles.jsonl");
}

class CrashTest : public DemoTest {};

TEST_F(CrashTest, ExitMidRunThenResumeEqualsCleanRun) {
  TempDir clean, crashed;
  std::string expected = clean_run_output(this, make_pipeline(clean, kSmallBatches), clean);
  std::string pipeline = make_pipeline(crashed, kSmallBatches);
  // Leaves without committing the open group after ~3000 accepted events.
  CommandResult r =
      run({halo_bin(), "run", pipeline, "-q"}, {{"HALO_TEST_EXIT_AFTER_EVENTS", "3000"}});
  ASSERT_EQ(r.exit_code, 3) << r.err;
  CommandResult resume = run({halo_bin(), "run", pipeline, "-q"});
  ASSERT_EQ(resume.exit_code, 0) << resume.err;
  EXPECT_EQ(profiles_without_ids(crashed / "var/demo/profiles.jsonl"), expected);
}

TEST_F(CrashTest, SigkillAtRandomMomentsThenResumeEqualsCleanRun) {
  TempDir clean, crashed;
  std::string expected = clean_run_output(this, make_pipeline(clean, kSmallBatches), clean);
  std::string pipeline = make_pipeline(crashed, kSmallBatches);
  std::string bin = halo_bin();
  std::vector<char *> argv = {bin.data(), const_cast<char *>("run"), pipeline.data(),
                              const_cast<char *>("-q"), nullptr};
  int kills = 0;
  // Deterministic spread of kill delays; each run resumes the previous one.
  for (int delay_ms : {40, 90, 150, 230, 330}) {
    pid_t pid = 0;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == 0) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ++kills;
    }
  }
  CommandResult finish = run({halo_bin(), "run", pipeline, "-q"});
  ASSERT_EQ(finish.exit_code, 0) << finish.err;
  EXPECT_GT(kills, 0) << "no run was killed: the test did not test anything";
  EXPECT_EQ(profiles_without_ids(crashed / "var/demo/profiles.jsonl"), expected);
}

}  // namespace
}  // namespace halo::e2e
