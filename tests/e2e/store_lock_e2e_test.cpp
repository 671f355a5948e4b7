// store_lock_e2e_test.cpp -- the real `halo` with two writers on one store
// (an overlapping cron job): one runs, the other stops at once with exit 4
// naming the holder's pid and changes nothing; a SIGKILLed run leaves no
// stale lock; read-only commands work during a run and create no file.
//
// Before the store lock, the second writer usually failed with an internal
// sequence error (exit 2), and in some interleavings both exited 0 with the
// profile id counter below the highest stored id.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <set>
#include <thread>

#include "demo_fixture.h"

extern char **environ;

namespace halo::e2e::store_lock_e2e_test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kBusyExit = 4;

// Small batches and frequent commits: the run lasts a while and commits
// many times, so a second writer meets it in every phase.
const char *kSmallBatches =
    "  as_of: \"2026-12-31T00:00:00Z\"\n  batch_size: 128\n  commit_every: 512";

bool has(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

// A `halo` child process running in the background, output in files.
class Spawned {
 public:
  explicit Spawned(std::vector<std::string> args) {
    args.insert(args.begin(), halo_bin());
    std::vector<char *> argv;
    for (std::string &a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, (out_dir_ / "out").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, (out_dir_ / "err").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Spawned() {
    if (!done_ && pid_ > 0) {
      kill(pid_, SIGKILL);
      (void)wait();
    }
  }
  pid_t pid() const { return pid_; }
  bool running() {
    if (done_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return true;
    finish(status);
    return false;
  }
  CommandResult wait() {
    if (!done_) {
      int status = 0;
      waitpid(pid_, &status, 0);
      finish(status);
    }
    return result_;
  }

 private:
  void finish(int status) {
    done_ = true;
    result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result_.out = read_file(out_dir_ / "out");
    result_.err = read_file(out_dir_ / "err");
  }
  TempDir out_dir_;
  pid_t pid_ = -1;
  bool done_ = false;
  CommandResult result_;
};

// Standard error without its log lines ("... WARN triggers: ...": the demo
// says its messages wait in the outbox), which setup writes before the
// store is opened.
std::string errors_of(const std::string &err) {
  static const std::regex kLogLine(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ [A-Z]+ [^\n]*\n)");
  return std::regex_replace(err, kLogLine, "");
}

std::string busy_message(const std::string &store, pid_t holder) {
  return "halo: store " + store + " is in use by pid " + std::to_string(holder) +
         " (another `halo run` or `halo rebuild`); wait for it to finish or stop it\n";
}

// Every file under `dir`, recursively, relative to it.
std::set<std::string> tree(const std::string &dir) {
  std::set<std::string> names;
  for (const auto &e : fs::recursive_directory_iterator(dir)) {
    names.insert(fs::relative(e.path(), dir).string());
  }
  return names;
}

class StoreLockE2E : public DemoTest {
 protected:
  static std::string store_of(const TempDir &dir) { return dir / "var/demo/halo.db"; }
  static std::string lock_of(const TempDir &dir) { return dir / "var/demo/halo.db.lock"; }
  static std::string export_of(const TempDir &dir) { return dir / "var/demo/profiles.jsonl"; }

  // The export of one uninterrupted run, and how long that run took.
  void clean_run() {
    TempDir dir;
    std::string pipeline = make_pipeline(dir, kSmallBatches);
    auto start = Clock::now();
    CommandResult r = run({halo_bin(), "run", pipeline, "-q"});
    run_time_ = Clock::now() - start;
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expected_ = profiles_without_ids(export_of(dir));
    ASSERT_FALSE(expected_.empty());
  }

  // Waits until `run` holds the store lock (its pid is in the lock file).
  static bool wait_for_lock(Spawned &run, const TempDir &dir) {
    std::string text = std::to_string(run.pid()) + "\n";
    for (auto until = Clock::now() + std::chrono::seconds(10); Clock::now() < until;) {
      if (read_file(lock_of(dir)) == text) return true;
      if (!run.running()) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
  }

  void expect_sound_store(const std::string &pipeline) {
    CommandResult check = run({halo_bin(), "store", "check", pipeline});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    EXPECT_TRUE(has(check.out, "every stored profile id is an integer >= 1 below the counter"))
        << check.out;
  }

  std::string expected_;
  Clock::duration run_time_{};
};

// The second writer starts at several moments of the first one's life (from
// "both start together" to its export); it alternates between `run` and
// `rebuild`. Whoever loses the race exits 4 at once, naming the winner.
TEST_F(StoreLockE2E, OverlappingWritersOneRunsTheOtherIsBusy) {
  clean_run();
  if (HasFatalFailure()) return;
  int busy = 0;
  const double fractions[] = {0.0, 0.1, 0.3, 0.55, 0.8};
  for (size_t i = 0; i < std::size(fractions); ++i) {
    SCOPED_TRACE("second writer at " + std::to_string(fractions[i]) + " of a run");
    TempDir dir;
    std::string pipeline = make_pipeline(dir, kSmallBatches);
    const char *second_cmd = i % 2 ? "rebuild" : "run";
    Spawned first({"run", pipeline, "-q"});
    std::this_thread::sleep_for(
        std::chrono::duration_cast<Clock::duration>(run_time_ * fractions[i]));
    Spawned second({second_cmd, pipeline, "-q"});
    CommandResult b = second.wait();
    CommandResult a = first.wait();
    ASSERT_TRUE(a.exit_code == 0 || a.exit_code == kBusyExit) << a.err;
    ASSERT_TRUE(b.exit_code == 0 || b.exit_code == kBusyExit) << b.err;
    ASSERT_FALSE(a.exit_code == kBusyExit && b.exit_code == kBusyExit) << a.err << b.err;
    if (b.exit_code == kBusyExit) {
      ++busy;
      EXPECT_EQ(errors_of(b.err), busy_message(store_of(dir), first.pid()));
      EXPECT_EQ(b.out, "");
      // The loser changed nothing: the winner's export is a clean run's.
      EXPECT_EQ(profiles_without_ids(export_of(dir)), expected_);
    }
    if (a.exit_code == kBusyExit) {
      ++busy;
      EXPECT_EQ(errors_of(a.err), busy_message(store_of(dir), second.pid()));
    }
    expect_sound_store(pipeline);
    CommandResult again = run({halo_bin(), "run", pipeline, "-q"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(profiles_without_ids(export_of(dir)), expected_);
    expect_sound_store(pipeline);
  }
  EXPECT_GT(busy, 0) << "no two writers overlapped: the test did not test anything";
}

TEST_F(StoreLockE2E, SigkilledRunLeavesNoStaleLock) {
  clean_run();
  if (HasFatalFailure()) return;
  TempDir dir;
  std::string pipeline = make_pipeline(dir, kSmallBatches);
  {
    Spawned first({"run", pipeline, "-q"});
    ASSERT_TRUE(wait_for_lock(first, dir)) << first.wait().err;
    CommandResult busy = run({halo_bin(), "run", pipeline, "-q"});
    EXPECT_EQ(busy.exit_code, kBusyExit) << busy.err;
    kill(first.pid(), SIGKILL);
    EXPECT_EQ(first.wait().exit_code, 128 + SIGKILL);
  }
  // The killed run's pid is still in the file; only the kernel lock counts.
  CommandResult next = run({halo_bin(), "run", pipeline, "-q"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(profiles_without_ids(export_of(dir)), expected_);
  expect_sound_store(pipeline);
}

TEST_F(StoreLockE2E, ReadOnlyCommandsWorkDuringARunAndCreateNoFile) {
  clean_run();
  if (HasFatalFailure()) return;
  std::string email;
  for (const Person &p : read_truth(truth_path())) {
    auto it = p.identifiers.find("email");
    if (it != p.identifiers.end() && !it->second.empty()) email = *it->second.begin();
  }
  ASSERT_FALSE(email.empty());
  TempDir dir;
  std::string pipeline = make_pipeline(dir, kSmallBatches);
  const std::vector<std::vector<std::string>> reads = {
      {"store", "check", pipeline},
      {"deadletters", pipeline},
      {"profile", "get", pipeline, "--email", email}};
  // No store yet: "not found", and nothing is created.
  std::set<std::string> before = tree(dir.path());
  for (const auto &cmd : reads) {
    std::vector<std::string> argv = cmd;
    argv.insert(argv.begin(), halo_bin());
    EXPECT_EQ(run(argv).exit_code, 3) << cmd[0];
  }
  EXPECT_EQ(tree(dir.path()), before);
  // During a run: every read works on a consistent snapshot. Until the
  // first commit the store has no tables: "not found" (exit 3), as before
  // the run; never a problem or a failure.
  int sound_during_run = 0;
  {
    Spawned writer({"run", pipeline, "-q"});
    ASSERT_TRUE(wait_for_lock(writer, dir)) << writer.wait().err;
    for (int round = 0; round < 40 && writer.running(); ++round) {
      for (const auto &cmd : reads) {
        std::vector<std::string> argv = cmd;
        argv.insert(argv.begin(), halo_bin());
        CommandResult r = run(argv);
        if (r.exit_code == 3) {  // no data yet, or (profile get) not stored yet
          EXPECT_TRUE(has(r.err, "is empty") || (cmd[0] == "profile" && has(r.err, "no profile")))
              << cmd[0] << ": " << r.err;
          continue;
        }
        EXPECT_EQ(r.exit_code, 0) << cmd[0] << ": " << r.out << r.err;
        if (cmd[0] == "profile") {
          EXPECT_TRUE(has(r.out, email)) << r.out;
        }
        if (cmd[0] == "store") {
          EXPECT_TRUE(has(r.out, "no problems found")) << r.out;
          if (r.exit_code == 0 && writer.running()) ++sound_during_run;
        }
      }
    }
    CommandResult w = writer.wait();
    ASSERT_EQ(w.exit_code, 0) << w.err;  // the readers did not disturb it
  }
  EXPECT_GT(sound_during_run, 0) << "no store check ran during the run";
  EXPECT_EQ(profiles_without_ids(export_of(dir)), expected_);
  // Idle store: the reads leave the directory exactly as it was.
  before = tree(dir.path());
  EXPECT_EQ(before.count("var/demo/halo.db-wal"), 0u);
  for (const auto &cmd : reads) {
    std::vector<std::string> argv = cmd;
    argv.insert(argv.begin(), halo_bin());
    CommandResult r = run(argv);
    EXPECT_EQ(r.exit_code, 0) << cmd[0] << ": " << r.err;
  }
  EXPECT_EQ(tree(dir.path()), before);
  // Without the lock file (a store copied from elsewhere) none appears.
  fs::remove(lock_of(dir));
  before = tree(dir.path());
  for (const auto &cmd : reads) {
    std::vector<std::string> argv = cmd;
    argv.insert(argv.begin(), halo_bin());
    EXPECT_EQ(run(argv).exit_code, 0) << cmd[0];
  }
  EXPECT_EQ(tree(dir.path()), before);
}

TEST(ExitCodes, UsageNamesTheBusyCode) {
  CommandResult help = run({halo_bin(), "--help"});
  EXPECT_TRUE(has(help.out, "4 store busy")) << help.out;
}

}  // namespace
}  // namespace halo::e2e::store_lock_e2e_test
