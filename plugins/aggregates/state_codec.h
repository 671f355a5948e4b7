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

// Appends the blob of `states` (one per spec, same order) to `out`.
void encode_states(const std::vector<AggregateSpec> &specs, const std::vector<FeatureState> &states,
                   std::string &out);

// Decodes a blob into `states` (pre-filled with make_state for each spec);
// returns the number of stored features that match no spec.
size_t decode_states(const std::vector<AggregateSpec> &specs, std::string_view blob,
                     std::vector<FeatureState> &states);

}  // namespace halo::aggregates
