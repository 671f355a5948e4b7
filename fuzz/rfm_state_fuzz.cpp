// rfm_state_fuzz.cpp -- libFuzzer target for the rfm builder's stored
// per-profile state (plugins/rfm/order_history.h), which it restores from a
// store that may be damaged or edited by hand.
// Invariants checked:
//  - decode either throws std::runtime_error or accepts; nothing else.
//  - An accepted blob encodes back to the same bytes (the format has one
//    encoding per state).
//  - As of the end of time a customer has values: at most every order in
//    the window, recency and the total >= 0; as of the last order's time
//    recency is 0, that order counts, and the next change comes later.
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "order_history.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using halo::rfm::OrderHistory;
  constexpr int64_t kEnd = std::numeric_limits<int64_t>::max();
  std::string_view blob(reinterpret_cast<const char *>(data), size);
  OrderHistory history;
  try {
    history = OrderHistory::decode(blob);
  } catch (const std::runtime_error &) {
    return 0;
  }
  if (history.encode() != blob) std::abort();
  auto all = history.values(kEnd, kEnd);
  if (history.size() == 0) {
    if (all) std::abort();
    return 0;
  }
  if (!all || all->frequency > static_cast<int64_t>(history.size()) || all->recency_days < 0 ||
      all->monetary.raw() < 0) {
    std::abort();
  }
  // The last order's time: read from the blob's last entry.
  int64_t last = 0;
  __builtin_memcpy(&last, blob.data() + blob.size() - 24, sizeof last);
  // (Times within a day of the int64 ends saturate the window's start.)
  if (last < std::numeric_limits<int64_t>::min() + 86'400'000) return 0;
  auto at_last = history.values(last, 86'400'000);
  if (!at_last || at_last->recency_days != 0 || at_last->frequency < 1) std::abort();
  if (last != kEnd && history.next_change(last, 86'400'000) <= last) std::abort();
  return 0;
}
