// delivery_gate.cpp -- see delivery_gate.h.
#include "pipeline/delivery_gate.h"

#include <algorithm>

namespace halo {

DeliveryGate::DeliveryGate(const PluginUse &use)
    : rate_messages_(use.rate_messages),
      rate_per_ms_(std::max<int64_t>(use.rate_per_ms, 1)),
      breaker_failures_(use.breaker_failures),
      breaker_cooldown_ms_(use.breaker_cooldown_ms) {}

size_t DeliveryGate::page_limit(size_t max) const {
  if (rate_messages_ > 0) max = std::min(max, static_cast<size_t>(rate_messages_));
  if (breaker_failures_ > 0 && !got_through_) {
    max = std::min(max, static_cast<size_t>(breaker_failures_));
  }
  return max;
}

// A message handed over at t counts in the window until t + rate_per_ms.
void DeliveryGate::forget(int64_t now_ms) {
  while (!sent_.empty() && sent_.front() <= now_ms - rate_per_ms_) sent_.pop_front();
}

int64_t DeliveryGate::wait_ms(size_t n, int64_t now_ms) {
  if (rate_messages_ <= 0) return 0;
  forget(now_ms);
  const size_t limit = static_cast<size_t>(rate_messages_);
  n = std::min(n, limit);
  if (sent_.size() + n <= limit) return 0;
  // The oldest sent_.size() + n - limit must leave the window first.
  return sent_[sent_.size() + n - limit - 1] + rate_per_ms_ - now_ms;
}

void DeliveryGate::take(size_t n, int64_t now_ms) {
  if (rate_messages_ <= 0) return;
  forget(now_ms);
  sent_.insert(sent_.end(), n, now_ms);
}

bool DeliveryGate::record(bool retry, int64_t now_ms) {
  if (!retry) {
    retries_in_a_row_ = 0;
    got_through_ = true;
    return false;
  }
  if (breaker_failures_ <= 0 || ++retries_in_a_row_ < breaker_failures_) return false;
  retries_in_a_row_ = 0;
  got_through_ = false;  // probe with small calls again after the cooldown
  open_until_ms_ = now_ms + breaker_cooldown_ms_;
  return true;
}

}  // namespace halo
