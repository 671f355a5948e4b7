// contract_process.h -- runs a Python contract server (tests/contract/) as a
// child process for C++ tests, and talks to its control endpoints.
//
// Invariants: start() returns only once the server listens (its port file is
// written) or throws std::runtime_error naming the script and the reason; the
// destructor always stops the child (SIGTERM, then SIGKILL after 5 s); the
// child also gets SIGTERM when the thread that started it exits
// (PR_SET_PDEATHSIG), so a crashed test never leaves servers behind.
// Control calls go over a plain-HTTP control port, so they work for TLS
// servers too, with no TLS stack in the helper. Test helper: throws on error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "child_process.h"

namespace halo::contract {

// Absolute path of tests/contract (holds contract_base.py, make_test_ca.sh).
std::string contract_dir();

// Creates DIR/ca.pem, DIR/server.pem, DIR/server.key (test CA + a server
// certificate for 127.0.0.1/localhost); no-op when they exist. Throws on
// failure.
void make_test_ca(const std::string &dir);

class ContractProcess {
 public:
  ContractProcess() = default;
  ~ContractProcess();
  ContractProcess(const ContractProcess &) = delete;
  ContractProcess &operator=(const ContractProcess &) = delete;

  // Runs `python3 SCRIPT ARGS... --port-file .. --control-port-file ..`
  // (plus `--cert DIR/server.pem --key DIR/server.key` when tls_dir is not
  // empty; call make_test_ca(tls_dir) first). PYTHONPATH includes
  // contract_dir() so scripts can `import contract_base`. Returns the port.
  int start(const std::string &script, const std::vector<std::string> &args = {},
            const std::string &tls_dir = "");
  // Stops the server (idempotent).
  void stop();
  // Stops with SIGKILL at once (no clean shutdown), e.g. to test restarts.
  void kill_now();

  int port() const { return port_; }
  bool tls() const { return tls_; }
  // "https://127.0.0.1:PORT" or "http://127.0.0.1:PORT".
  std::string base_url() const;

  // GET /__control/stats: the JSON text.
  std::string stats() const;
  // A top-level integer counter of stats(): "requests", "records_returned",
  // "faults_applied", "faults_pending", "max_in_flight" (the most requests
  // answered at once).
  int64_t stat(const std::string &name) const;
  // stats().by_path[path] (0 when absent).
  int64_t requests_for(const std::string &path) const;
  // POST /__control/faults with a JSON object (or array of objects), e.g.
  // R"({"kind":"429","count":1,"retry_after":2})".
  void inject(const std::string &fault_json) const;
  // POST /__control/reset-stats.
  void reset_stats() const;
  // GET /__control/requests: JSON array of {method,path,query,status,fault}.
  std::string request_log() const;

  // One control call: returns the response body; throws unless 2xx.
  std::string control(const std::string &method, const std::string &path,
                      const std::string &body = "") const;

 private:
  test::ChildProcess child_;
  int port_ = 0;
  int control_port_ = 0;
  bool tls_ = false;
  std::string script_;
  std::string run_dir_;
};

}  // namespace halo::contract
