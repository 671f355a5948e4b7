// normalizer.h -- the kernel's normalize stage (DESIGN §2): one raw JSON
// record shaped like the Segment spec -> one halo::Event appended to an
// EventBatch, or a typed Rejection for the dead-letter store.
//
// Invariants:
//  - On success exactly one Event is appended, with its fields and
//    identifiers in contiguous ranges after everything already in `out`, and
//    every string it references copied into out.arena.
//  - On failure `out` is untouched (not even its arena) and *why names the
//    reason code, the field or byte offset, and what to fix.
//  - A Normalizer belongs to one thread (it owns a simdjson parser and
//    scratch buffers reused across calls, so steady-state normalization does
//    not allocate per event). Create one per worker thread.
//  - Paths, identifier types and source names are interned in the batch
//    arena; the intern table is dropped automatically whenever `out` is a
//    different batch or was changed by anyone else since the last call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "event/event.h"
#include "normalize/identifiers.h"

namespace halo {

struct NormalizeOptions {
  std::vector<IdentifierRule> identifiers = default_identifier_rules();
  size_t max_record_bytes = 1 << 20;
};

// Why a record was not accepted. `reason` is one of the codes below; the
// message is written for the person fixing the data.
struct Rejection {
  std::string reason;
  std::string message;
};

namespace rejection {
inline constexpr std::string_view kMalformedJson = "malformed_json";
inline constexpr std::string_view kInvalidUtf8 = "invalid_utf8";
inline constexpr std::string_view kTooLarge = "too_large";
inline constexpr std::string_view kWrongType = "wrong_type";
inline constexpr std::string_view kMissingField = "missing_field";
inline constexpr std::string_view kInvalidTimestamp = "invalid_timestamp";
inline constexpr std::string_view kNoIdentifier = "no_identifier";
}  // namespace rejection

class NormalizerImpl;

class Normalizer {
 public:
  explicit Normalizer(NormalizeOptions options = {});
  ~Normalizer();
  Normalizer(Normalizer &&) noexcept;
  Normalizer &operator=(Normalizer &&) noexcept;

  // `raw` need not be padded: it is copied into an internal padded buffer.
  bool normalize(std::string_view raw, std::string_view source, int64_t received_at_ms,
                 EventBatch &out, Rejection *why);
  // Zero-copy form: `readable_capacity` bytes starting at raw.data() may be
  // read; when that covers raw.size() + SIMDJSON_PADDING (64) the record is
  // parsed in place.
  bool normalize(std::string_view raw, size_t readable_capacity, std::string_view source,
                 int64_t received_at_ms, EventBatch &out, Rejection *why);

 private:
  std::unique_ptr<NormalizerImpl> impl_;
};

}  // namespace halo
