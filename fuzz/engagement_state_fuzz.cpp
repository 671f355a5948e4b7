// engagement_state_fuzz.cpp -- libFuzzer target for the engagement
// builder's stored per-profile state (plugins/engagement/
// engagement_state.h), which it restores from a store that may be damaged
// or edited by hand.
// Invariants checked:
//  - decode either throws std::runtime_error or accepts; nothing else.
//  - An accepted blob encodes back to the same bytes, and holds no more
//    weekend engagements at an hour than engagements.
//  - Reading it never fails: visit counts within its days, interests
//    ranked (at most the asked number, each a category it holds), and a
//    merge with itself keeps the same days and categories.
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "engagement_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using halo::engagement::EngagementState;
  std::string_view blob(reinterpret_cast<const char *>(data), size);
  EngagementState s;
  try {
    s = EngagementState::decode(blob);
  } catch (const std::runtime_error &) {
    return 0;
  }
  if (s.encode() != blob) std::abort();
  for (int h = 0; h < 24; ++h) {
    if (s.weekend_hours()[h] > s.hours()[h]) std::abort();
  }
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  const int64_t visits = s.visits_between(kMin, kMax);
  if (visits < 0 || s.visits_between(0, -1) != 0) std::abort();
  const auto top = s.top_interests(0, 30, 5);
  if (top.size() > 5) std::abort();
  EngagementState twice = s;
  twice.merge(s, kMax / 2);
  if (twice.visits_between(kMin, kMax) != visits) std::abort();
  return 0;
}
