// limits.h -- the explicit limits on one incoming record (EventLimits), their
// defaults and the ranges the pipeline file may set them to. Each member is
// the key of the same name under `limits:` in the pipeline file
// (docs/pipeline.md, docs/security.md "Event limits").
//
// Invariants:
//  - Every limit is checked before the normalizer recurses into or
//    accumulates what it bounds, so memory and stack per record stay
//    proportional to the limits, whatever the input.
//  - A record over a limit is a typed dead letter whose message names the
//    limit's pipeline key (limit_key()), never a crash or a silent change.
//  - kMaxDepthCap bounds the normalizer's recursion: one level costs well
//    under 1 KiB of stack, so the cap fits any thread's default stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace halo {

struct EventLimits {
  size_t max_record_bytes = 1 << 20;    // bytes of one raw record
  uint32_t max_depth = 128;             // nesting of objects/arrays; the root is 1
  size_t max_string_bytes = 256 << 10;  // one string value or key, after unescaping
  uint32_t max_fields = 10000;          // values (scalars, objects, arrays) of one record
  uint32_t max_identifiers = 32;        // identifiers one event may carry
  uint32_t max_number_digits = 20;      // significant digits of one number literal
};

// Ranges accepted in the pipeline file (inclusive).
inline constexpr int64_t kMinRecordBytes = 1024, kMaxRecordBytes = int64_t{1} << 30;
inline constexpr int64_t kMaxDepthCap = 1000;
inline constexpr int64_t kMaxStringBytesCap = int64_t{1} << 30;
inline constexpr int64_t kMaxFieldsCap = int64_t{1} << 20;  // ~300 bytes each while parsing
inline constexpr int64_t kMaxIdentifiersCap = 1000;
inline constexpr int64_t kMaxNumberDigitsCap = 1000;

// "limits.max_depth": how a user raises a limit, for dead-letter messages.
inline std::string limit_key(const char *name) {
  return std::string("limits.") + name;
}

}  // namespace halo
