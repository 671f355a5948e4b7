// logged_event.h -- the records of the stored event log: one accepted event
// as written to the log, and the 128-bit key that de-duplicates message ids.
//
// Invariant: the string_views point into memory owned by whoever hands the
// LoggedEvent out (the caller on append, the store during a scan callback).
#pragma once

#include <cstdint>
#include <string_view>

namespace halo {

struct LoggedEvent {
  uint64_t sequence = 0;       // position in the log: 1, 2, 3, ...
  int64_t received_at_ms = 0;  // when Halo received the event (UTC)
  std::string_view source;     // pipeline source name
  std::string_view raw;        // the record exactly as accepted
};

// 128-bit hash of (source, message_id); compared whole, never truncated.
struct MessageKey {
  uint64_t hi = 0, lo = 0;
  friend bool operator==(const MessageKey &, const MessageKey &) = default;
};

}  // namespace halo
