// cli_signal_e2e_test.cpp -- Ctrl-C exits 130 in every command: during the
// end of a run (features and export), during a rebuild, and in commands
// that only read -- held up at a known point: `validate` loading a plugin
// library that takes seconds to load, the store readers waiting for a
// store another connection holds SQLite's exclusive lock on.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "e2e_support.h"

extern char **environ;

namespace halo::e2e::cli_signal_e2e_test {
namespace {

using Clock = std::chrono::steady_clock;

pid_t spawn(std::vector<std::string> args, const std::string &out, const std::string &err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char *> argv;
  for (std::string &a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// How the process ended: `exited` only for a real exit() (a death by the
// signal itself reports 128+N in `code` with exited false; -1: it ended
// before the signal was sent, or never).
struct Outcome {
  int code = -1;
  bool exited = false;
};

// Whether process `pid` has a handler installed for `sig`: the SigCgt mask
// of /proc/PID/status (proc(5)), a hexadecimal bit set, bit N-1 for signal N.
bool catches(pid_t pid, int sig) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("SigCgt:", 0) != 0) continue;
    const unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
    return (mask >> (sig - 1)) & 1u;
  }
  return false;
}

// Sends `sig` `delay` after the process installed its handler for it (a
// loaded machine, or ASan, can take longer than `delay` to get there; a
// signal before it would kill the process instead of testing it), waits up
// to 20 s for the process to end.
Outcome signal_after(pid_t pid, std::chrono::milliseconds delay, int sig = SIGINT) {
  Outcome o;
  int status = 0;
  const Clock::time_point ready_by = Clock::now() + std::chrono::seconds(20);
  while (!catches(pid, sig) && Clock::now() < ready_by) {
    if (waitpid(pid, &status, WNOHANG) == pid) return o;  // ended before the signal
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(delay);
  if (waitpid(pid, &status, WNOHANG) == pid) return o;  // ended before the signal
  kill(pid, sig);
  const Clock::time_point end = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < end) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      o.exited = WIFEXITED(status);
      o.code = o.exited ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return o;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return o;
}

// 20 profiles whose features take 100 ms each to emit: 2 s of finalize.
std::string slow_finalize_pipeline(const TempDir &dir, int emit_delay_ms) {
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: var/halo.db }\n"
             "sources:\n  - name: f\n    plugin: faulty-source\n    config: { batches: 2 }\n"
             "identity:\n  resolver: faulty-resolver\n"
             "features:\n  - name: seen\n    plugin: faulty-features\n"
             "    config: { emit_delay_ms: " +
                 std::to_string(emit_delay_ms) + " }\n");
  return dir / "p.yaml";
}

TEST(Signals, SigintDuringTheEndOfARunExits130) {
  TempDir dir;
  const std::string p = slow_finalize_pipeline(dir, 100);
  pid_t pid =
      spawn({halo_bin(), "run", p, "--plugin-dir", HALO_TEST_PLUGIN_DIR}, dir / "out", dir / "err");
  ASSERT_GT(pid, 0);
  Outcome o = signal_after(pid, std::chrono::milliseconds(700));
  EXPECT_TRUE(o.exited) << read_file(dir / "err");
  EXPECT_EQ(o.code, 130) << read_file(dir / "err");
  EXPECT_NE(read_file(dir / "out").find("INTERRUPTED"), std::string::npos)
      << read_file(dir / "out");
}

TEST(Signals, SigintDuringARebuildExits130) {
  TempDir dir;
  const std::string p = slow_finalize_pipeline(dir, 50);
  ASSERT_EQ(run({halo_bin(), "run", p, "-q", "--plugin-dir", HALO_TEST_PLUGIN_DIR}).exit_code, 0);
  pid_t pid = spawn({halo_bin(), "rebuild", p, "--plugin-dir", HALO_TEST_PLUGIN_DIR}, dir / "out",
                    dir / "err");
  ASSERT_GT(pid, 0);
  Outcome o = signal_after(pid, std::chrono::milliseconds(400));
  EXPECT_TRUE(o.exited) << read_file(dir / "err");
  EXPECT_EQ(o.code, 130) << read_file(dir / "err");
  // The store is sound and a rebuild to the end still works.
  EXPECT_EQ(run({halo_bin(), "store", "check", p}).exit_code, 0);
  EXPECT_EQ(run({halo_bin(), "rebuild", p, "-q", "--plugin-dir", HALO_TEST_PLUGIN_DIR}).exit_code,
            0);
}

// Holds SQLite's exclusive lock on a store, so readers wait in their busy
// handler (up to the store's busy timeout) until it is released.
class ExclusiveSqliteLock {
 public:
  explicit ExclusiveSqliteLock(const std::string &path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE;", nullptr, nullptr,
                           nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db_);
  }
  ~ExclusiveSqliteLock() {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }

 private:
  sqlite3 *db_ = nullptr;
};

TEST(Signals, SigintDuringReadOnlyCommandsExits130) {
  TempDir dir;
  write_file(dir / "in.jsonl", "{\"type\":\"identify\",\"userId\":\"u1\"}\n");
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: db.sqlite }\n"
             "sources:\n  - { name: f, plugin: file-jsonl, config: { path: in.jsonl } }\n");
  const std::string p = dir / "p.yaml";
  ASSERT_EQ(run({halo_bin(), "run", p, "-q"}).exit_code, 0);
  write_file(dir / "slow.yaml",
             "version: 1\nstore: { kind: sqlite, path: slow.sqlite }\n"
             "sources:\n  - name: f\n    plugin: slow-load\n"
             "identity:\n  resolver: faulty-resolver\n");
  const std::vector<std::vector<std::string>> commands = {
      {"validate", dir / "slow.yaml", "--plugin-dir", HALO_TEST_SLOW_PLUGIN_DIR},
      {"profile", "get", p, "--id", "user_id=u1"},
      {"deadletters", p},
      {"store", "check", p},
  };
  ExclusiveSqliteLock held(dir / "db.sqlite");  // the readers wait for it
  for (const auto &args : commands) {
    std::vector<std::string> argv = {halo_bin()};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_t pid = spawn(argv, dir / "out", dir / "err");
    ASSERT_GT(pid, 0);
    Outcome o = signal_after(pid, std::chrono::milliseconds(300));
    EXPECT_TRUE(o.exited) << args[0]
                          << " ended early or died by the signal: " << read_file(dir / "err");
    EXPECT_EQ(o.code, 130) << args[0] << " " << read_file(dir / "err");
  }
}

}  // namespace
}  // namespace halo::e2e::cli_signal_e2e_test
