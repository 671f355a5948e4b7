// message_cap.h -- a frequency cap, `{ messages: N, within: D }`: at most
// N messages in any D (within left out: ever). Triggers cap their own
// messages per profile (`cap:`, docs/triggers.md); `consent.frequency_caps`
// caps a channel per profile across triggers (docs/consent.md).
#pragma once

#include <cstdint>
#include <string>

#include "config/diagnostics.h"
#include "config/map_reader.h"

namespace halo {

struct MessageCap {
  int64_t messages = 0;   // 1 .. 1,000,000; 0: no cap
  int64_t within_ms = 0;  // 1m .. 3660d; 0: ever

  // The first fire time the cap counts for a message firing at `due_ms`.
  int64_t window_start(int64_t due_ms) const {
    return within_ms == 0 ? INT64_MIN : due_ms - within_ms + 1;
  }
};

// Reads the cap under `key` of `parent` into `out`; false (and errors in
// diags) when it is malformed. Absent: true, `out` unchanged.
bool read_message_cap(MapReader &parent, const std::string &key, Diagnostics &diags,
                      MessageCap &out);

}  // namespace halo
