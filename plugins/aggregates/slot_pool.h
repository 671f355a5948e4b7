// slot_pool.h -- owner of the variable-size parts of per-profile states
// (first/last texts, window buckets, distinct hashes), which live out of the
// fixed-size profile records and are referred to by a 32-bit handle.
//
// Invariants:
//  - Handle 0 means "none" and owns nothing; a live handle h refers to
//    items_[h - 1] until release(h).
//  - References to items stay valid while other items are added or
//    released (std::deque never moves its elements on push_back).
//  - A released item is reset to T{} (its memory freed) and its handle is
//    reused by the next add().
#pragma once

#include <halo/sdk.hpp>

#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

namespace halo::aggregates {

template <class T>
class SlotPool {
 public:
  uint32_t add(T value) {
    if (!free_.empty()) {
      uint32_t handle = free_.back();
      free_.pop_back();
      items_[handle - 1] = std::move(value);
      return handle;
    }
    if (items_.size() >= UINT32_MAX) {
      throw Error("aggregates: more than 4294967295 stored values in one instance");
    }
    items_.push_back(std::move(value));
    return static_cast<uint32_t>(items_.size());
  }

  T &at(uint32_t handle) { return items_[handle - 1]; }
  const T &at(uint32_t handle) const { return items_[handle - 1]; }

  void release(uint32_t handle) {
    if (handle == 0) return;
    T empty;  // swapped out rather than cleared: clear() keeps capacity
    std::swap(items_[handle - 1], empty);
    free_.push_back(handle);
  }

  size_t live() const { return items_.size() - free_.size(); }
  // The pool's own storage (items and free list), without what items own.
  size_t own_bytes() const { return items_.size() * sizeof(T) + free_.capacity() * 4; }

  template <class Fn>
  void for_each_live(Fn &&fn) const {
    for (const T &item : items_) fn(item);  // released items are empty
  }

 private:
  std::deque<T> items_;
  std::vector<uint32_t> free_;
};

}  // namespace halo::aggregates
