// units_fuzz.cpp -- libFuzzer target for halo/units.hpp, the one parser of
// durations ("90s") and sizes ("64KiB") behind plugin options, `halo serve
// --interval` and `halo deadletters --since`.
// Invariants checked against an independent reference (128-bit arithmetic,
// a plain unit table): a text is accepted exactly when it is DIGITS (at most
// 18) plus a known unit (sizes: or none; durations: none only for zero),
// and then the value is digits x factor, non-negative and not wrapped.
#include <halo/units.hpp>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace {

struct Ref {
  std::string_view unit;
  int64_t factor;
};

constexpr Ref kDurations[] = {{"ms", 1},      {"s", 1000},     {"m", 60000},
                              {"h", 3600000}, {"d", 86400000}, {"w", 604800000}};
constexpr Ref kSizes[] = {{"B", 1},
                          {"kB", 1000},
                          {"KB", 1000},
                          {"MB", 1000000},
                          {"GB", 1000000000},
                          {"TB", 1000000000000},
                          {"KiB", 1024},
                          {"MiB", 1048576},
                          {"GiB", 1073741824},
                          {"TiB", 1099511627776}};

template <size_t N>
std::optional<int64_t> reference(std::string_view text, const Ref (&units)[N], bool bare_ok) {
  size_t digits = 0;
  __int128 n = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    if (digits < 19) n = n * 10 + (text[digits] - '0');  // more is refused below
    ++digits;
  }
  if (digits == 0 || digits > 18) return std::nullopt;
  const std::string_view unit = text.substr(digits);
  if (unit.empty()) {
    if (bare_ok || n == 0) return static_cast<int64_t>(n);
    return std::nullopt;
  }
  for (const Ref &r : units) {
    if (unit != r.unit) continue;
    const __int128 v = n * r.factor;
    if (v > INT64_MAX) return std::nullopt;
    return static_cast<int64_t>(v);
  }
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  const std::optional<int64_t> d = halo::parse_duration_ms(text);
  if (d != reference(text, kDurations, false)) std::abort();
  if (d && *d < 0) std::abort();
  const std::optional<int64_t> s = halo::parse_size_bytes(text);
  if (s != reference(text, kSizes, true)) std::abort();
  if (s && *s < 0) std::abort();
  return 0;
}
