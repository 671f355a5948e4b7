// http_test_support.h -- shared fixtures of the HTTP client tests: one demo
// contract server over plain HTTP and one over TLS (test CA) per test binary,
// and HttpHooks that record waits and log lines instead of sleeping.
//
// Tests share the servers, so each test injects faults only for its own
// path (e.g. "/echo/retry-429") and never resets global counters.
#pragma once

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "contract_process.h"
#include "http/http_client.h"

namespace halo::http_test {

struct DemoServers {
  std::string tls_dir;
  contract::ContractProcess plain;
  contract::ContractProcess tls;
};

// Started on first use, stopped at exit. The CA directory is per process:
// ctest runs test processes in parallel, each with its own CA.
struct DemoServersOwner {
  std::unique_ptr<DemoServers> servers;
  ~DemoServersOwner() {
    if (!servers) return;
    std::string dir = servers->tls_dir;
    servers.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

inline DemoServers &servers() {
  static DemoServersOwner owner{[] {
    auto d = std::make_unique<DemoServers>();
    d->tls_dir = "/tmp/halo-http-test-tls-" + std::to_string(getpid());
    contract::make_test_ca(d->tls_dir);
    std::string script = contract::contract_dir() + "/demo_server.py";
    d->plain.start(script);
    d->tls.start(script, {}, d->tls_dir);
    return d;
  }()};
  return *owner.servers;
}

// Hooks that never sleep: they record what the client asked for.
struct Recorder {
  std::vector<std::chrono::milliseconds> waits;
  std::vector<std::string> logs;  // "WARN message" / "INFO message"
  std::vector<RetryNotice> retries;
  double random = 0.5;

  HttpHooks hooks() {
    HttpHooks h;
    h.sleep = [this](std::chrono::milliseconds w) { waits.push_back(w); };
    h.random01 = [this] { return random; };
    h.log = [this](LogLevel l, const std::string &m) {
      logs.push_back((l == LogLevel::kWarn ? "WARN " : "INFO ") + m);
    };
    h.on_retry = [this](const RetryNotice &n) {
      retries.push_back(n);
      logs.push_back("INFO " + HttpClient::describe(n));
    };
    return h;
  }
  std::string all_logs() const {
    std::string s;
    for (const auto &l : logs) s += l + "\n";
    return s;
  }
};

inline HttpCall get(const std::string &url) {
  HttpCall c;
  c.url = url;
  return c;
}

}  // namespace halo::http_test
