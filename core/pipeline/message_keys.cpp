// message_keys.cpp -- the open-addressing key set and the key hash.
#include "pipeline/message_keys.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>

namespace halo {

MessageKey message_key(std::string_view source, std::string_view message_id) {
  // The source's own hash seeds the id's hash: equal ids from different
  // sources get unrelated keys.
  XXH64_hash_t seed = XXH3_64bits(source.data(), source.size());
  XXH128_hash_t h = XXH3_128bits_withSeed(message_id.data(), message_id.size(), seed);
  return MessageKey{h.high64, h.low64};
}

MessageKeySet::MessageKeySet() : shards_(size_t{1} << kShardBits) {
  // Staggered first sizes (64 to 96 slots, geometrically): every shard
  // grows by half, so the shards' loads stay spread over [1/2, 3/4] instead
  // of all growing at the same moment, and the whole set holds about 26
  // bytes a key at any size rather than swinging between 21 and 32.
  for (size_t i = 0; i < shards_.size(); ++i) {
    const double step = static_cast<double>(i) / static_cast<double>(shards_.size());
    shards_[i].first_capacity = static_cast<size_t>(64 * std::pow(1.5, step));
  }
}

void MessageKeySet::Shard::grow(size_t capacity) {
  std::vector<MessageKey> old;
  old.swap(slots);
  slots.assign(capacity, MessageKey{0, 0});
  for (const MessageKey &k : old) {
    if (is_zero(k)) continue;
    size_t i = slot_of(k);
    while (!is_zero(slots[i])) i = next(i);
    slots[i] = k;
  }
}

void MessageKeySet::Shard::make_room(size_t keys) {
  // Load <= 3/4 with `keys` keys, reached by growing by half (from the
  // first capacity) so that the stagger between shards is kept.
  const size_t needed = keys + keys / 3 + 1;
  if (slots.size() >= needed) return;
  size_t capacity = slots.empty() ? first_capacity : slots.size();
  while (capacity < needed) capacity += capacity / 2;
  grow(capacity);
}

bool MessageKeySet::Shard::insert(const MessageKey &k) {
  make_room(size + 1);
  size_t i = slot_of(k);
  while (!is_zero(slots[i])) {
    if (slots[i] == k) return false;
    i = next(i);
  }
  slots[i] = k;
  ++size;
  return true;
}

bool MessageKeySet::Shard::contains(const MessageKey &k) const {
  if (slots.empty()) return false;
  for (size_t i = slot_of(k); !is_zero(slots[i]); i = next(i)) {
    if (slots[i] == k) return true;
  }
  return false;
}

bool MessageKeySet::Shard::erase(const MessageKey &k) {
  if (slots.empty()) return false;
  size_t i = slot_of(k);
  while (!is_zero(slots[i]) && !(slots[i] == k)) i = next(i);
  if (is_zero(slots[i])) return false;
  // Backward-shift deletion keeps every probe chain unbroken.
  const size_t n = slots.size();
  auto distance = [n](size_t from, size_t to) { return to >= from ? to - from : to + n - from; };
  size_t hole = i;
  for (size_t j = next(i); !is_zero(slots[j]); j = next(j)) {
    // The key at j may fill the hole when the hole lies on its probe path,
    // i.e. it is at least as far from j as the key's home slot is.
    if (distance(slot_of(slots[j]), j) >= distance(hole, j)) {
      slots[hole] = slots[j];
      hole = j;
    }
  }
  slots[hole] = MessageKey{0, 0};
  --size;
  return true;
}

void MessageKeySet::reserve(size_t n) {
  // Keys spread binomially over the shards: the expected share plus four
  // standard deviations (and a little) fits every shard but rarely.
  const double share = static_cast<double>(n) / static_cast<double>(shards_.size());
  const size_t each = static_cast<size_t>(share + 4 * std::sqrt(share) + 16);
  for (Shard &s : shards_) s.make_room(each);
}

bool MessageKeySet::insert(const MessageKey &k) {
  if (is_zero(k)) {
    bool added = !has_zero_;
    has_zero_ = true;
    return added;
  }
  if (!shard_of(k).insert(k)) return false;
  ++size_;
  return true;
}

bool MessageKeySet::contains(const MessageKey &k) const {
  return is_zero(k) ? has_zero_ : shard_of(k).contains(k);
}

void MessageKeySet::insert_all(const MessageKey *keys, size_t n) {
  constexpr size_t kAhead = 8;
  reserve(size() + n);  // (almost) no growth below: the prefetched slots stay valid
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) prefetch(keys[i + kAhead]);
    insert(keys[i]);
  }
}

void MessageKeySet::erase(const MessageKey &k) {
  if (is_zero(k)) {
    has_zero_ = false;
    return;
  }
  if (shard_of(k).erase(k)) --size_;
}

size_t MessageKeySet::memory_bytes() const {
  size_t bytes = shards_.capacity() * sizeof(Shard);
  for (const Shard &s : shards_) bytes += s.slots.capacity() * sizeof(MessageKey);
  return bytes;
}

MessageKeyFilter::MessageKeyFilter(size_t keys) {
  size_t bits = 1024;
  while (bits < keys * 16) bits *= 2;
  bits_.assign(bits / 64, 0);
  mask_ = bits - 1;
}

}  // namespace halo
