// serve_e2e_test.cpp -- `halo serve`: one long-running pipeline that polls
// its sources and keeps the change-log consumers caught up until a signal.
// A record appended to the input reaches the export without a restart;
// SIGTERM, while reading or while waiting, ends serve with exit 0 and the
// work committed; a bad --interval is a usage error.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "e2e_support.h"

namespace halo::e2e::serve_e2e_test {
namespace {

using namespace std::chrono_literals;

pid_t spawn_serve(const std::string &pipeline, const std::string &interval,
                  const std::string &err) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE *e = std::freopen(err.c_str(), "w", stderr);
    FILE *o = std::freopen("/dev/null", "w", stdout);
    (void)e;
    (void)o;
    execl(halo_bin().c_str(), "halo", "serve", pipeline.c_str(), "--interval", interval.c_str(),
          "-q", static_cast<char *>(nullptr));
    _exit(127);
  }
  return pid;
}

// Exit code of `pid` once it ends within `limit`, else -1 (and kills it).
int exit_code_within(pid_t pid, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < end) {
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(20ms);
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

// Waits until `path` has `lines` lines (up to `limit`); returns the count.
size_t wait_for_lines(const std::string &path, size_t lines, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  size_t n = 0;
  while (std::chrono::steady_clock::now() < end) {
    n = read_lines(path).size();
    if (n >= lines) return n;
    std::this_thread::sleep_for(50ms);
  }
  return n;
}

std::string pipeline_in(const TempDir &dir) {
  write_file(dir / "p.yaml",
             "version: 1\nstore: { kind: sqlite, path: var/halo.db }\n"
             "sources:\n  - { name: f, plugin: file-jsonl, config: { path: in.jsonl } }\n"
             "destinations:\n"
             "  - { name: out, plugin: file-jsonl, config: { path: var/profiles.jsonl } }\n");
  return dir / "p.yaml";
}

TEST(Serve, NewInputReachesTheExportAndSigtermEndsWithZero) {
  TempDir dir;
  write_file(dir / "in.jsonl", "{\"type\":\"identify\",\"userId\":\"u1\"}\n");
  pid_t pid = spawn_serve(pipeline_in(dir), "1s", dir / "err");
  ASSERT_GT(pid, 0);
  EXPECT_EQ(wait_for_lines(dir / "var/profiles.jsonl", 1, 15s), 1u) << read_file(dir / "err");
  {
    std::ofstream in(dir / "in.jsonl", std::ios::app);
    in << "{\"type\":\"identify\",\"userId\":\"u2\"}\n";
  }
  EXPECT_EQ(wait_for_lines(dir / "var/profiles.jsonl", 2, 15s), 2u) << read_file(dir / "err");
  kill(pid, SIGTERM);
  EXPECT_EQ(exit_code_within(pid, 10s), 0) << read_file(dir / "err");
  // Committed: a plain run afterwards reads nothing new.
  CommandResult r = run({halo_bin(), "run", dir / "p.yaml", "--summary-json", "-", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"accepted\":0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"profiles\":2"), std::string::npos) << r.out;
}

TEST(Serve, SigtermWhileWaitingEndsAtOnce) {
  TempDir dir;
  write_file(dir / "in.jsonl", "{\"type\":\"identify\",\"userId\":\"u1\"}\n");
  pid_t pid = spawn_serve(pipeline_in(dir), "1h", dir / "err");
  ASSERT_GT(pid, 0);
  ASSERT_EQ(wait_for_lines(dir / "var/profiles.jsonl", 1, 15s), 1u) << read_file(dir / "err");
  kill(pid, SIGTERM);
  EXPECT_EQ(exit_code_within(pid, 5s), 0) << read_file(dir / "err");
}

TEST(Serve, BadIntervalOrPipelineIsAUsageError) {
  TempDir dir;
  std::string p = pipeline_in(dir);
  for (const char *bad : {"0s", "5", "-1m", "soon"}) {
    CommandResult r = run({halo_bin(), "serve", p, "--interval", bad});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("--interval"), std::string::npos) << r.err;
  }
  write_file(dir / "bad.yaml", "version: 1\nstore: { kind: sqlite, path: x.db }\nsorces: []\n");
  EXPECT_EQ(run({halo_bin(), "serve", dir / "bad.yaml", "--interval", "1s"}).exit_code, 2);
  EXPECT_FALSE(std::ifstream(dir / "x.db").good()) << "a configuration error creates no store";
}

}  // namespace
}  // namespace halo::e2e::serve_e2e_test
