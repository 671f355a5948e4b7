// message_keys.h -- the set of (source, message_id) keys already accepted,
// used to drop re-sent events (Segment dedupes on messageId per write key;
// Halo does it per source).
//
// Keys are 128-bit XXH3 hashes, so a false duplicate needs a 128-bit
// collision. The set is an open-addressing table (linear probing, load
// factor between 1/2 and 3/4, any table size: a key's home slot is its low
// 64 bits scaled to the size): at most 32 and on average about 26 bytes per
// accepted event, and one or two cache misses per lookup,
// where a node-based std::unordered_set cost an allocation per insert and
// dominated the dedup stage. It is rebuilt at start-up from the event log's
// key column. Not thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace halo {

MessageKey message_key(std::string_view source, std::string_view message_id);

class MessageKeySet {
 public:
  // True when the key was new (and is now remembered).
  bool insert(const MessageKey &k);
  // Inserts n keys (the restore at start-up): the same as n insert() calls,
  // with the slot of a key a few places ahead prefetched, so that the
  // cache misses of a large table overlap instead of queueing.
  void insert_all(const MessageKey *keys, size_t n);
  void erase(const MessageKey &k);
  // Hints that `k` is looked up soon (its home slot's cache line).
  void prefetch(const MessageKey &k) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[slot_of(k)]);
  }
  void reserve(size_t n);
  size_t size() const { return size_ + (has_zero_ ? 1 : 0); }
  size_t memory_bytes() const { return slots_.capacity() * sizeof(MessageKey); }

 private:
  static bool is_zero(const MessageKey &k) { return k.hi == 0 && k.lo == 0; }
  static constexpr size_t kMinSlots = 1024;
  // Lemire's multiply-shift: uniform over any table size, no modulo.
  size_t slot_of(const MessageKey &k) const {
    return static_cast<size_t>((static_cast<unsigned __int128>(k.lo) * slots_.size()) >> 64);
  }
  size_t next(size_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }
  void grow(size_t capacity);

  std::vector<MessageKey> slots_;  // {0,0} marks an empty slot
  size_t size_ = 0;
  bool has_zero_ = false;  // the all-zero key lives outside the table
};

}  // namespace halo
