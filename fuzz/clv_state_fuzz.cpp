// clv_state_fuzz.cpp -- libFuzzer target for the clv builder's stored
// per-profile state (plugins/clv/purchase_days.h), which it restores from a
// store that may be damaged or edited by hand.
// Invariants checked:
//  - decode either throws std::runtime_error or accepts; nothing else.
//  - An accepted blob encodes back to the same bytes (the format has one
//    encoding per state).
//  - Its summary as of its last day is consistent: x + 1 purchase days,
//    0 <= t_x <= T, a mean repeat value >= 0 that is 0 when x == 0.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "purchase_days.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view blob(reinterpret_cast<const char *>(data), size);
  halo::clv::PurchaseDays days;
  try {
    days = halo::clv::PurchaseDays::decode(blob);
  } catch (const std::runtime_error &) {
    return 0;
  }
  if (days.encode() != blob) std::abort();
  if (days.empty()) return 0;
  halo::clv::CustomerSummary s;
  if (!days.summarize(INT32_MAX, 7.0, s)) std::abort();
  if (s.x + 1 != days.size() || s.t_x < 0 || s.t_x > s.T || s.mean_repeat_value < 0) std::abort();
  if (s.x == 0 && s.mean_repeat_value != 0) std::abort();
  return 0;
}
