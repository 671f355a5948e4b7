// retry_budget.h -- the one retry budget of a failing operation, shared by
// the host HTTP client's retries and the kernel's retries of a plugin call
// that answered HALO_RETRY, so the two never multiply.
//
// Before: 5 HTTP attempts per request x 6 kernel re-calls of next_batch =
// 30 requests (about 15 minutes against a slow server) per batch. Now a
// streak of consecutive failures -- failed HTTP attempts (transport errors,
// 429, 5xx) and HALO_RETRY answers alike -- is bounded by
// RetryPolicy::max_attempts failures and max_time of wall clock, counted
// from the streak's first failure:
//   - a request that keeps failing gets at most max_attempts attempts;
//   - a HALO_RETRY after such a request is not re-called (the budget is
//     spent), so a source batch against a server that always answers 503
//     costs max_attempts requests in total;
//   - a retry whose wait would end past the deadline is not made.
// Any success (an HTTP response that is not retryable, a plugin call that
// did not ask to retry) ends the streak, so a long paginated read with a
// rare 429 between pages is not cut short. The kernel starts a fresh budget
// for every call into a plugin that it may retry (PluginInstance).
//
// Time is the installed clock's steady reading (common/clock.h), so a test
// drives the deadline with a ManualClock.
//
// Thread-safe (a plugin may issue requests from several threads).
#pragma once

#include <chrono>
#include <mutex>
#include <string>

namespace halo {

struct RetryPolicy {
  static constexpr int kDefaultMaxAttempts = 5;
  static constexpr int kMaxMaxAttempts = 20;
  static constexpr std::chrono::seconds kDefaultMaxTime{120};

  int max_attempts = kDefaultMaxAttempts;                // http.retry.max_attempts
  std::chrono::milliseconds max_time = kDefaultMaxTime;  // http.retry.max_seconds
};

class RetryBudget {
 public:
  explicit RetryBudget(RetryPolicy policy = {});

  // Records one failed attempt. True when another attempt may follow after
  // `wait`; false when the budget is spent (max_attempts failures in this
  // streak, or the wait would end past the deadline).
  bool allow_retry_after_failure(std::chrono::milliseconds wait);
  // A success: the streak ends and the next failure starts a new one.
  void succeeded();
  // Starts afresh (a new call into the plugin) and takes a new policy.
  void reset();
  void set_policy(RetryPolicy policy);

  RetryPolicy policy() const;
  int failures() const;
  // "3 failed attempts in 1.2 s (http.retry.max_attempts = 3,
  // http.retry.max_seconds = 120)", for the message of a spent budget.
  std::string describe() const;

 private:
  mutable std::mutex mutex_;
  RetryPolicy policy_;
  int failures_ = 0;
  double first_failure_ = 0;  // steady seconds
  double last_failure_ = 0;
};

}  // namespace halo
