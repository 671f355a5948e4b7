// timestamp_fuzz.cpp -- libFuzzer target for the ISO-8601 timestamp parser.
// Invariants checked (timestamp.h): any byte string is refused or gives an
// instant whose canonical form (for years 0000-9999) parses back to the
// same instant and formats to itself.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "common/iso_time.h"

namespace {

// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in Unix milliseconds.
constexpr int64_t kYear0 = -62167219200000;
constexpr int64_t kYear9999End = 253402300799999;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char *>(data), size);
  const std::optional<int64_t> ms = halo::parse_iso8601_ms(raw);
  if (!ms || *ms < kYear0 || *ms > kYear9999End) return 0;
  const std::string canonical = halo::format_iso8601_ms(*ms);
  const std::optional<int64_t> again = halo::parse_iso8601_ms(canonical);
  if (!again || *again != *ms) std::abort();
  if (halo::format_iso8601_ms(*again) != canonical) std::abort();
  return 0;
}
