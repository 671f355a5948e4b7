// http_client.h -- the kernel's HTTP client: libcurl plus the retry policy
// every connector shares.
//
// perform() retries connection errors, timeouts, resets, 429 and
// 500/502/503/504 up to call.max_attempts, waiting with exponential backoff
// and full jitter (BackoffPolicy) or exactly Retry-After when the server
// sends it (capped at 60 s). It then returns the last response, whatever its
// status, or status 0 with an error such as
//   "GET https://127.0.0.1:4431/wp-json/wc/v3/orders failed after 5 attempts:
//    Failed to connect to 127.0.0.1 port 4431: Connection refused"
// (URL without query string, never a header value). It stops early when
// hooks.cancelled() turns true. With a RetryBudget (retry_budget.h) every
// retryable failure is also charged to it, and no retry is made once it is
// spent, so the request's attempts and those of the plugin call around it
// share one budget. Time, randomness, logging and retry notifications are
// hooks so tests run without real sleeps.
// Thread-safe: perform() keeps no state between calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "common/log.h"
#include "http/backoff.h"
#include "http/http_call.h"
#include "http/retry_budget.h"

namespace halo {

// What perform() tells hooks.on_retry before waiting.
struct RetryNotice {
  std::string method;
  std::string path;    // URL path, no query
  std::string reason;  // "429", "503", or the transport error
  int next_attempt = 0;
  int max_attempts = 0;
  std::chrono::milliseconds wait{0};
};

struct HttpHooks {
  // Waits (default: wait_unless on the installed clock, common/clock.h: 50 ms
  // slices, returning early when cancelled).
  std::function<void(std::chrono::milliseconds)> sleep;
  // Uniform draw in [0, 1) for the jitter (default: thread-local mt19937).
  std::function<double()> random01;
  // Wall clock, UTC epoch ms (default: the installed clock's wall_ms), for
  // HTTP-date Retry-After.
  std::function<int64_t()> now_ms;
  // True when the run is stopping (default: never).
  std::function<bool()> cancelled;
  // Log sink (default: halo::log_message with component "http").
  std::function<void(LogLevel, const std::string &)> log;
  // Called before each retry (default: logs it at INFO).
  std::function<void(const RetryNotice &)> on_retry;
};

// Validates a call: method token, absolute http(s) URL, positive limits.
// Returns "" when valid, else a message naming the field and the fix.
std::string validate_http_call(const HttpCall &call);

class HttpClient {
 public:
  explicit HttpClient(HttpHooks hooks = {}, BackoffPolicy policy = {});
  HttpResult perform(const HttpCall &call, RetryBudget *budget = nullptr) const;

  // The INFO line for a retry, e.g.
  // "retrying GET /path after 429 (attempt 2/5, waiting 1.0 s)".
  static std::string describe(const RetryNotice &notice);

 private:
  std::chrono::milliseconds wait_before_retry(const HttpResult &last, int retry) const;
  HttpHooks hooks_;
  BackoffPolicy policy_;
};

}  // namespace halo
