// event_codec.h -- the binary layout of one event-log batch (before zstd) and
// of its message-key column.
//
// Batch payload, all integers little-endian:
//   u32 count
//   count x { u64 sequence, i64 received_at_ms, u16 source_len, source bytes,
//             u32 raw_len, raw bytes }
// Keys column: count x { u64 hi, u64 lo }, little-endian, uncompressed so a
// de-duplication index can be rebuilt without decompressing any event.
//
// Invariants: decode never reads past the payload, rejects trailing bytes and
// returns a message (without row context; the caller adds it) instead of
// crashing on damaged input. Decoded views point into the payload.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/logged_event.h"

namespace halo::store {

inline constexpr size_t kMaxSourceLen = 0xFFFF;
inline constexpr size_t kMaxRawLen = 0xFFFFFFFFu;
inline constexpr size_t kKeyBytes = 16;

// Bytes encode_batch will write; lets the caller reserve once.
size_t encoded_batch_size(const std::vector<LoggedEvent> &events);

// Replaces `out` with the payload. Invalid when a source or raw is too long.
Status encode_batch(const std::vector<LoggedEvent> &events, std::string &out);

// Replaces `out` with views into `payload`. On failure returns a description
// of the damage (e.g. "event 3: raw length 900 exceeds the 12 bytes left").
Status decode_batch(std::string_view payload, std::vector<LoggedEvent> &out);

void encode_keys(const std::vector<MessageKey> &keys, std::string &out);
Status decode_keys(std::string_view bytes, std::vector<MessageKey> &out);

}  // namespace halo::store
