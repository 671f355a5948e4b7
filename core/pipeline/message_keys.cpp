// message_keys.cpp -- the open-addressing key set and the key hash.
#include "pipeline/message_keys.h"

#include <xxhash.h>

#include <algorithm>

namespace halo {

MessageKey message_key(std::string_view source, std::string_view message_id) {
  // The source's own hash seeds the id's hash: equal ids from different
  // sources get unrelated keys.
  XXH64_hash_t seed = XXH3_64bits(source.data(), source.size());
  XXH128_hash_t h = XXH3_128bits_withSeed(message_id.data(), message_id.size(), seed);
  return MessageKey{h.high64, h.low64};
}

void MessageKeySet::grow(size_t capacity) {
  std::vector<MessageKey> old;
  old.swap(slots_);
  slots_.assign(capacity, MessageKey{0, 0});
  for (const MessageKey &k : old) {
    if (is_zero(k)) continue;
    size_t i = slot_of(k);
    while (!is_zero(slots_[i])) i = next(i);
    slots_[i] = k;
  }
}

void MessageKeySet::reserve(size_t n) {
  // Room for n keys at a load of 2/3, so a few more fit before a rehash;
  // growing by half at least, so reserving a little more each time (a
  // batch at a time) still rehashes only O(log n) times.
  const size_t capacity = std::max<size_t>(kMinSlots, n + n / 2);
  if (capacity > slots_.size()) grow(std::max(capacity, slots_.size() + slots_.size() / 2));
}

bool MessageKeySet::insert(const MessageKey &k) {
  if (is_zero(k)) {
    bool added = !has_zero_;
    has_zero_ = true;
    return added;
  }
  if (4 * (size_ + 1) > 3 * slots_.size()) {
    grow(std::max<size_t>(kMinSlots, slots_.size() + slots_.size() / 2));
  }
  size_t i = slot_of(k);
  while (!is_zero(slots_[i])) {
    if (slots_[i].hi == k.hi && slots_[i].lo == k.lo) return false;
    i = next(i);
  }
  slots_[i] = k;
  ++size_;
  return true;
}

void MessageKeySet::insert_all(const MessageKey *keys, size_t n) {
  constexpr size_t kAhead = 8;
  reserve(size() + n);  // no growth below: the prefetched slots stay valid
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) __builtin_prefetch(&slots_[slot_of(keys[i + kAhead])]);
    insert(keys[i]);
  }
}

void MessageKeySet::erase(const MessageKey &k) {
  if (is_zero(k)) {
    has_zero_ = false;
    return;
  }
  if (slots_.empty()) return;
  size_t i = slot_of(k);
  while (!is_zero(slots_[i]) && !(slots_[i].hi == k.hi && slots_[i].lo == k.lo)) i = next(i);
  if (is_zero(slots_[i])) return;
  // Backward-shift deletion keeps every probe chain unbroken.
  const size_t n = slots_.size();
  auto distance = [n](size_t from, size_t to) { return to >= from ? to - from : to + n - from; };
  size_t hole = i;
  for (size_t j = next(i); !is_zero(slots_[j]); j = next(j)) {
    // The key at j may fill the hole when the hole lies on its probe path,
    // i.e. it is at least as far from j as the key's home slot is.
    if (distance(slot_of(slots_[j]), j) >= distance(hole, j)) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = MessageKey{0, 0};
  --size_;
}

}  // namespace halo
