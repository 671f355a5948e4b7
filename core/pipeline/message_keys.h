// message_keys.h -- the set of (source, message_id) keys already accepted,
// used to drop re-sent events (Segment dedupes on messageId per write key;
// Halo does it per source).
//
// Keys are 128-bit XXH3 hashes, so a false duplicate needs a 128-bit
// collision. The set is 64 open-addressing tables (shards, picked by the
// key's top 6 bits; in each, linear probing at a load factor between 1/2
// and 3/4, any table size: a key's home slot is its low 64 bits scaled to
// the size): about 26 bytes per accepted event, and one or two cache misses
// per lookup, where a node-based std::unordered_set cost an allocation per
// insert and dominated the dedup stage. The shards grow by half at
// staggered moments, so a rehash copies 1/64 of the keys and the set never
// jumps in size (one table growing past a million keys briefly needed 2.5
// times its size). It is rebuilt at start-up from the event log's key
// column. Not thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace halo {

MessageKey message_key(std::string_view source, std::string_view message_id);

class MessageKeySet {
 public:
  MessageKeySet();
  // True when the key was new (and is now remembered).
  bool insert(const MessageKey &k);
  bool contains(const MessageKey &k) const;
  // Inserts n keys (the restore at start-up): the same as n insert() calls,
  // with the slot of a key a few places ahead prefetched, so that the
  // cache misses of a large table overlap instead of queueing.
  void insert_all(const MessageKey *keys, size_t n);
  void erase(const MessageKey &k);
  // Hints that `k` is looked up soon (its home slot's cache line). Always
  // inlined: GCC judges a function whose only effect is a prefetch to have
  // no effect at all and drops calls to it (none was left in the binary).
  [[gnu::always_inline]] void prefetch(const MessageKey &k) const {
    const Shard &s = shard_of(k);
    if (!s.slots.empty()) __builtin_prefetch(&s.slots[s.slot_of(k)]);
  }
  // Room for n keys in all, spread evenly, so that inserting them rehashes
  // (almost) nothing.
  void reserve(size_t n);
  size_t size() const { return size_ + (has_zero_ ? 1 : 0); }
  size_t memory_bytes() const;

 private:
  static bool is_zero(const MessageKey &k) { return k == MessageKey{}; }
  static constexpr unsigned kShardBits = 6;

  struct Shard {
    std::vector<MessageKey> slots;  // {0,0} marks an empty slot
    size_t size = 0;
    // Lemire's multiply-shift: uniform over any table size, no modulo.
    size_t slot_of(const MessageKey &k) const {
      return static_cast<size_t>((static_cast<unsigned __int128>(k.lo) * slots.size()) >> 64);
    }
    size_t next(size_t i) const { return i + 1 == slots.size() ? 0 : i + 1; }
    size_t first_capacity = 64;
    void grow(size_t capacity);
    void make_room(size_t keys);
    bool insert(const MessageKey &k);
    bool contains(const MessageKey &k) const;
    bool erase(const MessageKey &k);
  };

  Shard &shard_of(const MessageKey &k) { return shards_[k.hi >> (64 - kShardBits)]; }
  const Shard &shard_of(const MessageKey &k) const { return shards_[k.hi >> (64 - kShardBits)]; }

  std::vector<Shard> shards_;
  size_t size_ = 0;        // keys in the shards
  bool has_zero_ = false;  // the all-zero key lives outside the tables
};

// A one-hash Bloom filter over a few keys (a run's first batches), to
// match a whole stored log against them: most stored keys are not among
// them, and a bit test settles those in one L1/L2 access, where a probe of
// the set's linear-probing table walks several slots per miss. At 16 bits
// per key about 6% of the other keys pass to the exact test.
// contains() is never false for an added key.
class MessageKeyFilter {
 public:
  explicit MessageKeyFilter(size_t keys);
  void add(const MessageKey &k) { bits_[bit_of(k) >> 6] |= uint64_t{1} << (bit_of(k) & 63); }
  bool may_contain(const MessageKey &k) const {
    return (bits_[bit_of(k) >> 6] >> (bit_of(k) & 63)) & 1;
  }

 private:
  // The key is a 128-bit hash: its high word's low bits are as uniform as
  // any (the set uses the top bits of `hi` and all of `lo`).
  size_t bit_of(const MessageKey &k) const { return static_cast<size_t>(k.hi) & mask_; }
  std::vector<uint64_t> bits_;
  size_t mask_;
};

}  // namespace halo
