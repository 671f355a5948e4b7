// child_process.h -- a server a test runs as a child process (a contract
// server, Postfix, Dovecot): started by exec, waited for until it is ready,
// and always stopped.
//
// Invariants: the child gets SIGTERM when the thread that spawned it exits
// (PR_SET_PDEATHSIG), so a crashed test leaves no server behind; stop() is
// idempotent and returns only once the child is reaped (SIGKILL after 5 s);
// the destructor stops. Test helper: throws std::runtime_error on error.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace halo::test {

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess() { stop(); }
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;

  // Forks and runs `argv` (argv[0] looked up in PATH unless it has a '/')
  // with `env` ("NAME", "VALUE") set on top of this process's environment.
  // Throws when one is running already.
  void spawn(const std::vector<std::string> &argv,
             const std::vector<std::pair<std::string, std::string>> &env = {});
  // Polls `ready` every 20 ms until it holds. Throws, naming `what` and
  // ending with `detail()` (a log, say), when the child exits first or
  // `timeout` passes (then it is stopped).
  void wait_until_ready(const std::function<bool()> &ready, const std::string &what,
                        std::chrono::milliseconds timeout,
                        const std::function<std::string()> &detail = {});
  // Stops the child: `ask` asks it to (default: SIGTERM); after 5 s without
  // an exit, SIGKILL.
  void stop(const std::function<void()> &ask = {});
  // SIGKILL at once (no clean shutdown), e.g. to test restarts.
  void kill_now();

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

}  // namespace halo::test
