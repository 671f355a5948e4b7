// retry_budget.cpp -- see retry_budget.h.
#include "http/retry_budget.h"

#include <cstdio>

#include "common/clock.h"

namespace halo {

RetryBudget::RetryBudget(RetryPolicy policy) : policy_(policy) {}

bool RetryBudget::allow_retry_after_failure(std::chrono::milliseconds wait) {
  std::lock_guard<std::mutex> lock(mutex_);
  const double now = steady_seconds();
  if (failures_ == 0) first_failure_ = now;
  last_failure_ = now;
  ++failures_;
  if (failures_ >= policy_.max_attempts) return false;
  using std::chrono::duration;
  return now + duration<double>(wait).count() <=
         first_failure_ + duration<double>(policy_.max_time).count();
}

void RetryBudget::succeeded() {
  std::lock_guard<std::mutex> lock(mutex_);
  failures_ = 0;
}

void RetryBudget::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  failures_ = 0;
}

void RetryBudget::set_policy(RetryPolicy policy) {
  std::lock_guard<std::mutex> lock(mutex_);
  policy_ = policy;
  failures_ = 0;
}

RetryPolicy RetryBudget::policy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return policy_;
}

int RetryBudget::failures() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failures_;
}

std::string RetryBudget::describe() const {
  std::lock_guard<std::mutex> lock(mutex_);
  const double spent = failures_ == 0 ? 0.0 : last_failure_ - first_failure_;
  char text[160];
  std::snprintf(text, sizeof text,
                "%d failed attempt%s in %.1f s (http.retry.max_attempts = %d, "
                "http.retry.max_seconds = %lld)",
                failures_, failures_ == 1 ? "" : "s", spent, policy_.max_attempts,
                static_cast<long long>(
                    std::chrono::duration_cast<std::chrono::seconds>(policy_.max_time).count()));
  return text;
}

}  // namespace halo
