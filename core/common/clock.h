// clock.h -- the kernel's two clocks, declared once: wall time (UTC, for
// timestamps that are stored or shown) and a steady clock (for durations and
// deadlines, immune to wall-clock jumps).
#pragma once

#include <cstdint>

namespace halo {

// UTC milliseconds since the Unix epoch.
int64_t wall_ms();
// Seconds on a monotonic clock with an arbitrary origin: only differences
// mean anything.
double steady_seconds();

}  // namespace halo
