// typed_codec.h -- the store's binary form of typed traits and features
// (tables profiles.traits and features.features).
//
// Layout (integers are LEB128 varints, signed ones zigzag-encoded first):
//   traits:   0x01 count { name source zz(priority) zz(timestamp_ms) sequence value }
//   traits:   0x02 count { name source zz(priority) zz(timestamp_ms) sequence value
//                          tally_count { value times source zz(timestamp_ms) sequence } }
//   features: 0x01 count { name value }
//   name, source, string: len bytes
//   value: kind byte, then null: -; bool: 0|1; integer, timestamp: zz(v);
//          decimal: len text; double: 8 bytes little-endian IEEE 754;
//          string: len bytes; list: count { len bytes }
// The first byte is the format version; a JSON text (0x7B '{') is never a
// valid encoding, so a legacy row is recognised rather than misread.
// Traits are written in format 1 unless a trait carries a tally (the
// values a `most_frequent` trait was offered, survivorship.h), so stores
// without one keep the bytes older versions read.
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
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "profile/typed_value.h"

namespace halo {

inline constexpr uint8_t kTypedCodecVersion = 1;
inline constexpr uint8_t kTraitsWithTalliesVersion = 2;
inline constexpr uint64_t kMaxTypedEntries = 1u << 20;

// One value a trait was offered: how many events offered it, and the
// latest of them (its source and order keys).
struct TallyRecord {
  const TypedValue *value = nullptr;
  uint64_t times = 0;
  std::string_view source;
  int64_t timestamp_ms = 0;
  uint64_t sequence = 0;
};

// One stored trait with its last-write-wins metadata and provenance.
struct TraitRecord {
  std::string_view name;
  std::string_view source;  // pipeline source that wrote it; "" when unknown
  int32_t priority = 100;
  int64_t timestamp_ms = 0;
  uint64_t sequence = 0;
  const TypedValue *value = nullptr;
  // The trait's tally, empty for every rule but most_frequent.
  std::span<const TallyRecord> tally;
};

// Appends records in ascending name order, then take() the bytes.
// `with_tallies`: format 2, the only one that stores records' tallies.
class TraitEncoder {
 public:
  explicit TraitEncoder(size_t count, bool with_tallies = false);
  void add(const TraitRecord &r);
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  bool with_tallies_;
};

// Calls fn for each record, in stored (ascending name) order. The views in
// the record point into `bytes`; the value and the tally are valid during
// the call.
Status decode_traits(std::string_view bytes, const std::function<void(const TraitRecord &)> &fn);

std::string encode_features(const NamedValues &features);
Status decode_features(std::string_view bytes, NamedValues *out);

}  // namespace halo
