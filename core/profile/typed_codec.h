// typed_codec.h -- the store's binary form of typed traits and features
// (tables profiles.traits and features.features).
//
// Layout (integers are LEB128 varints, signed ones zigzag-encoded first):
//   traits:   0x01 count { name source zz(priority) zz(timestamp_ms) sequence value }
//   features: 0x01 count { name value }
//   name, source, string: len bytes
//   value: kind byte, then null: -; bool: 0|1; integer, timestamp: zz(v);
//          decimal: len text; double: 8 bytes little-endian IEEE 754;
//          string: len bytes; list: count { len bytes }
// The first byte is the format version; a JSON text (0x7B '{') is never a
// valid encoding, so a legacy row is recognised rather than misread.
//
// Invariants the decoder enforces (anything else is Corruption, never a
// partial result): a known version; trait names strictly ascending (sorted,
// unique); every length within the remaining bytes; a known kind; a bool
// byte 0 or 1; a decimal that is a JSON number; a finite double; no trailing
// bytes; at most kMaxTypedEntries entries. Encoding what decode() returned
// and decoding that again gives the same values (checked by the typed_codec
// fuzz target).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "profile/typed_value.h"

namespace halo {

inline constexpr uint8_t kTypedCodecVersion = 1;
inline constexpr uint64_t kMaxTypedEntries = 1u << 20;

// One stored trait with its last-write-wins metadata and provenance.
struct TraitRecord {
  std::string_view name;
  std::string_view source;  // pipeline source that wrote it; "" when unknown
  int32_t priority = 100;
  int64_t timestamp_ms = 0;
  uint64_t sequence = 0;
  const TypedValue *value = nullptr;
};

// Appends records in ascending name order, then take() the bytes.
class TraitEncoder {
 public:
  explicit TraitEncoder(size_t count);
  void add(const TraitRecord &r);
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Calls fn for each record, in stored (ascending name) order. The views in
// the record point into `bytes`; the value is valid during the call.
Status decode_traits(std::string_view bytes, const std::function<void(const TraitRecord &)> &fn);

std::string encode_features(const NamedValues &features);
Status decode_features(std::string_view bytes, NamedValues *out);

}  // namespace halo
