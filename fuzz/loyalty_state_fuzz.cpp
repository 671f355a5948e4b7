// loyalty_state_fuzz.cpp -- libFuzzer target for the loyalty builder's
// stored per-profile state (plugins/loyalty/activity.h), which it restores
// from a store that may be damaged or edited by hand, and for the program
// rules evaluated on it.
// Invariants checked:
//  - decode either throws std::runtime_error or accepts; nothing else.
//  - An accepted blob encodes back to the same bytes.
//  - Totals over a window never exceed those over all time, and are
//    never negative; an activity merged with itself doubles them.
//  - Every profile gets a stage; the next change comes after the
//    reference time.
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "activity.h"
#include "program_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace halo::loyalty;
  constexpr int64_t kEnd = std::numeric_limits<int64_t>::max();
  constexpr int64_t kYear = 365LL * 86'400'000;
  std::string_view blob(reinterpret_cast<const char *>(data), size);
  Activity a;
  try {
    a = Activity::decode(blob);
  } catch (const std::runtime_error &) {
    return 0;
  }
  if (a.encode() != blob) std::abort();
  const Totals all = a.totals(kEnd, kEnd);
  const Totals year = a.totals(kEnd, kYear);
  if (year.orders > all.orders || year.points > all.points || all.spend < year.spend ||
      year.positive_feedback > all.positive_feedback || year.referrals > all.referrals ||
      year.engagements > all.engagements || year.orders < 0 || year.spend.raw() < 0 ||
      year.points < 0) {
    std::abort();
  }
  Activity twice = a;
  twice.merge(a);
  const Totals doubled = twice.totals(kEnd, kEnd);
  if (doubled.orders != 2 * all.orders || doubled.points != 2 * all.points) std::abort();

  Minimums vip;
  vip.spend_percentile = 50;
  Minimums some;
  some.orders = 1;
  some.within_ms = kYear;
  ProgramRules rules({{"Bronze", some}}, {{"vip", vip}}, {{"customer", some}, {"prospect", {}}});
  rules.add_customer(a, 0);
  rules.add_customer(twice, 0);
  rules.finish();
  const Standing s = rules.standing(&a, 0);
  if (s.stage.empty()) std::abort();
  if (a.next_change(0, rules.windows()) <= 0) std::abort();
  return 0;
}
