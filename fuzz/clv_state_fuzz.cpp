// clv_state_fuzz.cpp -- libFuzzer target for the clv builder's stored
// per-profile state (plugins/clv/purchase_days.h) and the ranked CLVs of its
// stored model (plugins/clv/clv_ranks.h), which it restores from a store
// that may be damaged or edited by hand.
// Invariants checked:
//  - decode either throws std::runtime_error or accepts; nothing else.
//  - An accepted blob encodes back to the same bytes (the format has one
//    encoding per state).
//  - Its summary as of its last day is consistent: x + 1 purchase days,
//    0 <= t_x <= T, a mean repeat value >= 0 that is 0 when x == 0.
//  - Ranked CLVs that decode re-encode to a form that decodes to the same
//    ranks, and every percentile lies in [0, 100] and never falls as the
//    value grows.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "clv_ranks.h"
#include "purchase_days.h"

namespace {

void check_ranks(std::string_view blob) {
  halo::plugins::ByteReader r(blob);
  halo::clv::ClvRanks ranks;
  try {
    ranks = halo::clv::ClvRanks::decode(r);
  } catch (const std::runtime_error &) {
    return;
  }
  std::string again;
  halo::plugins::ByteWriter w(again);
  ranks.encode(w);
  halo::plugins::ByteReader back(again);
  const halo::clv::ClvRanks same = halo::clv::ClvRanks::decode(back);
  if (!back.done() || same.size() != ranks.size()) std::abort();
  double last = 0;
  for (double x : {-1e300, -1.0, 0.0, 0.5, 1.0, 1e6, 1e300}) {
    const std::optional<double> p = ranks.percentile(x);
    if (p != same.percentile(x)) std::abort();
    if (p.has_value() != (ranks.size() > 0)) std::abort();
    if (p && (*p < last || *p > 100)) std::abort();
    if (p) last = *p;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view blob(reinterpret_cast<const char *>(data), size);
  check_ranks(blob);
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
