// duration_fuzz.cpp -- libFuzzer target for pipeline durations
// (config/duration_text.h, e.g. `poll_interval: 30s`).
// Invariants checked: an accepted text starts with a digit, its value is
// non-negative, and written back with a unit it parses to the same value
// (no rounding, no overflow wrapped into range).
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "config/duration_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  std::optional<int64_t> ms = halo::parse_duration_ms(text);
  if (!ms) return 0;
  if (*ms < 0) std::abort();
  if (text.empty() || text[0] < '0' || text[0] > '9') std::abort();
  // Written back in the largest unit that divides it (never more digits
  // than the input had), it parses to the same value.
  struct Unit {
    const char *name;
    int64_t ms;
  };
  static constexpr Unit kUnits[] = {
      {"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}};
  for (const Unit &u : kUnits) {
    if (*ms % u.ms != 0) continue;
    std::optional<int64_t> again = halo::parse_duration_ms(std::to_string(*ms / u.ms) + u.name);
    if (!again || *again != *ms) std::abort();
    break;
  }
  return 0;
}
