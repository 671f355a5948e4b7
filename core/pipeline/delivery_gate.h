// delivery_gate.h -- how fast, and whether, the kernel hands messages to
// one destination (docs/messages.md "Rate limits and the circuit breaker"):
//
//   rate limit       a sliding window: no span of `rate_per_ms` ever sees
//                    more than `rate_messages` messages handed over
//                    (providers count their limits this way, e.g. HubSpot's
//                    "100 per 10 seconds", rolling).
//   circuit breaker  `breaker_failures` messages in a row that end `retry`
//                    open it: nothing is handed over for
//                    `breaker_cooldown_ms`; one that does not end `retry`
//                    resets the count. Until a message got through (at
//                    first, and after the breaker opened), calls hand over
//                    at most `breaker_failures` messages, so a receiver
//                    that is down costs that many attempts, not a page.
//
// One per destination entry for the life of a pipeline (a destination's
// instance is created afresh per delivery; its gate is not). Times are
// wall-clock milliseconds the caller passes in, so the gate is pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

#include "config/pipeline_config.h"

namespace halo {

class DeliveryGate {
 public:
  explicit DeliveryGate(const PluginUse &use);

  // Messages to hand over at most per call: the rate limit, and the
  // breaker's count until a message got through.
  size_t page_limit(size_t max) const;
  // How long until `n` messages may go (0: now); n above the limit waits
  // for an empty window.
  int64_t wait_ms(size_t n, int64_t now_ms);
  // `n` messages were handed over at `now_ms`.
  void take(size_t n, int64_t now_ms);

  // Whether the breaker is open at `now_ms`.
  bool open(int64_t now_ms) const { return now_ms < open_until_ms_; }
  int64_t open_until_ms() const { return open_until_ms_; }
  // One message's outcome; true when this one opened the breaker.
  bool record(bool retry, int64_t now_ms);

 private:
  void forget(int64_t now_ms);

  int64_t rate_messages_, rate_per_ms_;
  int64_t breaker_failures_, breaker_cooldown_ms_;
  std::deque<int64_t> sent_;  // when the messages of the window went, oldest first
  int64_t retries_in_a_row_ = 0;
  bool got_through_ = false;  // since the start, or since the breaker opened
  int64_t open_until_ms_ = INT64_MIN;
};

}  // namespace halo
