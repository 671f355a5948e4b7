// state_codec.h -- the persisted form of one profile's aggregate states: one
// compact binary blob for all features of a plugin instance.
//
// Layout (little-endian, varints are LEB128, signed ones zigzag):
//   u8 version (= 1) | varint feature_count |
//   feature_count x { u32 spec fingerprint | varint payload_len | payload }
// Payloads per state kind are documented in state_codec.cpp.
//
// Invariants:
//  - decode(encode(s)) == s for every state.
//  - Every blob version 1 ever written is read; a value an op does not
//    keep (the sum of a min feature, min/max of a sum) is read and dropped,
//    and written as 0, which every reader of version 1 accepts.
//  - A feature whose fingerprint matches no configured spec is skipped (the
//    config changed; a rebuild recomputes it) and counted, never misread.
//  - Malformed input throws std::runtime_error describing the defect; it
//    never reads out of bounds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aggregate_spec.h"
#include "feature_state.h"

namespace halo::aggregates {

constexpr uint8_t kStateVersion = 1;

// Appends the blob of a profile's `record` (laid out by `layout` for
// `specs`) to `out`.
void encode_states(const std::vector<AggregateSpec> &specs, const RecordLayout &layout,
                   const std::byte *record, const StatePools &pools, std::string &out);

// Decodes a blob into `record`: each stored feature replaces its slot, the
// others are left as they are. Returns the number of stored features that
// match no spec. On a throw, slots may be partly filled but own only what
// `pools` can release (release() in feature_state.h).
size_t decode_states(const std::vector<AggregateSpec> &specs, const RecordLayout &layout,
                     std::string_view blob, std::byte *record, StatePools &pools);

}  // namespace halo::aggregates
