// child_process.cpp -- see child_process.h.
#include "child_process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace halo::test {

namespace {

using Clock = std::chrono::steady_clock;

// In the child: never returns.
[[noreturn]] void exec_child(const std::vector<std::string> &argv,
                             const std::vector<std::pair<std::string, std::string>> &env) {
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  for (const auto &[name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
  std::vector<char *> args;
  for (const std::string &a : argv) args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
  ::_exit(127);
}

}  // namespace

void ChildProcess::spawn(const std::vector<std::string> &argv,
                         const std::vector<std::pair<std::string, std::string>> &env) {
  if (pid_ > 0) throw std::runtime_error(argv.at(0) + ": already running");
  pid_ = ::fork();
  if (pid_ < 0) {
    pid_ = -1;
    throw std::runtime_error("fork failed: " + std::string(std::strerror(errno)));
  }
  if (pid_ == 0) exec_child(argv, env);
}

void ChildProcess::wait_until_ready(const std::function<bool()> &ready, const std::string &what,
                                    std::chrono::milliseconds timeout,
                                    const std::function<std::string()> &detail) {
  const auto deadline = Clock::now() + timeout;
  auto failure = [&](const std::string &why) {
    return std::runtime_error(what + " " + why + (detail ? "; its log:\n" + detail() : ""));
  };
  while (!ready()) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw failure("exited before it was ready (wait status " + std::to_string(status) + ")");
    }
    if (Clock::now() > deadline) {
      stop();
      throw failure("was not ready within " + std::to_string(timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void ChildProcess::stop(const std::function<void()> &ask) {
  if (pid_ <= 0) return;
  if (ask) {
    ask();
  } else {
    ::kill(pid_, SIGTERM);
  }
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (::waitpid(pid_, nullptr, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
}

void ChildProcess::kill_now() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace halo::test
