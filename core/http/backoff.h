// backoff.h -- when to retry an HTTP request and how long to wait first.
//
// Policy: exponential backoff with full jitter -- wait a uniformly random
// time in [0, min(cap, base * 2^(retry-1))] -- unless the server said how long
// with Retry-After (delta-seconds or an HTTP-date), which is honoured exactly.
// Every wait is capped at kMaxWait so a hostile header cannot park a run.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace halo {

struct BackoffPolicy {
  std::chrono::milliseconds base{200};
  std::chrono::milliseconds cap{30000};
  static constexpr std::chrono::milliseconds kMaxWait{60000};

  // Wait before retry number `retry` (1 = the first retry); random01 is a
  // uniform draw in [0, 1).
  std::chrono::milliseconds jittered(int retry, double random01) const;
};

// True for statuses worth retrying: 429 and 500/502/503/504.
bool is_retryable_status(int status);

// Parses a Retry-After value: "120" (seconds) or an IMF-fixdate
// ("Wed, 21 Oct 2015 07:28:00 GMT") relative to now_ms (UTC epoch ms).
// Returns the wait clamped to [0, kMaxWait], or nullopt when unparseable.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, int64_t now_ms);

}  // namespace halo
