// hostile_pipeline_e2e_test.cpp -- the real `halo validate` and `halo run`
// on pipeline files built to hang or crash them: each must exit 2 (config
// error) promptly with a message naming the file, never hang or crash.
// Every child runs under a deadline and is killed past it, so a regression
// fails the test instead of hanging the suite.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char **environ;

namespace halo {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Outcome {
  int exit_code = -1;  // 128+N when killed by signal N
  bool timed_out = false;
  double seconds = 0;
  std::string err;
};

// Runs `halo ARGS...` with stdin from /dev/null and stderr to a file; kills
// it when it is still running after `deadline`.
Outcome run_halo(const std::vector<std::string> &args, const fs::path &dir,
                 std::chrono::milliseconds deadline) {
  const std::string err_path = (dir / "stderr.txt").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<std::string> argv = {std::string(HALO_BINARY_DIR) + "/bin/halo"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char *> cargv;
  for (std::string &a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  Outcome out;
  pid_t pid = 0;
  const Clock::time_point start = Clock::now();
  const int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    out.err = "cannot spawn " + argv[0];
    return out;
  }
  int status = 0;
  for (;;) {
    if (waitpid(pid, &status, WNOHANG) == pid) break;
    if (Clock::now() - start > deadline) {
      out.timed_out = true;
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream in(err_path);
  std::stringstream text;
  text << in.rdbuf();
  out.err = text.str();
  return out;
}

class HostilePipelineE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "halo-hostile-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string &name, const std::string &content) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << content;
    return path;
  }
  // Runs validate and run on `path`: both must exit 2 within `limit`
  // seconds with every `expected` part in the message.
  void expect_config_error(const std::string &path, double limit,
                           const std::vector<std::string> &expected) {
    for (const char *cmd : {"validate", "run"}) {
      const Outcome o = run_halo({cmd, path}, dir_, std::chrono::seconds(10));
      EXPECT_FALSE(o.timed_out) << cmd << " still running after 10 s";
      EXPECT_EQ(o.exit_code, 2) << cmd << ": " << o.err;
      EXPECT_LT(o.seconds, limit) << cmd;
      for (const std::string &part : expected) {
        EXPECT_NE(o.err.find(part), std::string::npos) << cmd << ": '" << part << "' not in:\n"
                                                       << o.err;
      }
    }
  }
  fs::path dir_;
};

const std::string kHead =
    "version: 1\nstore: { path: var/halo.db }\n"
    "sources: [ { name: web, plugin: file-jsonl, config: { path: events.jsonl } } ]\n";

TEST_F(HostilePipelineE2E, BillionLaughsExitsTwoWithinASecond) {
  std::string text =
      kHead + "identity:\n  config:\n    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 9; ++i) {
    text += "    l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j) text += (j ? ", *l" : "*l") + std::to_string(i - 1);
    text += "]\n";
  }
  const std::string path = write("laughs.yaml", text);
  expect_config_error(path, 1.0, {path + ":", "more than 100000 nodes once aliases are expanded"});
}

TEST_F(HostilePipelineE2E, SelfReferencingAnchorIsAConfigErrorNotACrash) {
  const std::string path = write("cycle.yaml", kHead + "identity: { config: &a { again: *a } }\n");
  expect_config_error(path, 1.0, {path + ":4:", "alias '*a' is used inside the node it refers to"});
}

TEST_F(HostilePipelineE2E, FifoExitsTwoImmediately) {
  const std::string path = (dir_ / "pipe.yaml").string();
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  expect_config_error(path, 1.0, {path + ": a FIFO (named pipe), not a regular file"});
}

TEST_F(HostilePipelineE2E, DevZeroExitsTwo) {
  expect_config_error("/dev/zero", 1.0, {"/dev/zero: a character device, not a regular file"});
}

TEST_F(HostilePipelineE2E, OversizedFileExitsTwo) {
  const std::string path = write("big.yaml", kHead + "# " + std::string(5 << 20, 'x') + "\n");
  expect_config_error(path, 2.0, {path + ": the pipeline file is larger than 4 MiB"});
}

}  // namespace
}  // namespace halo
