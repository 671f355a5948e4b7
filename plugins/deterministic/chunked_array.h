// chunked_array.h -- a growable array of trivially copyable T stored in
// fixed-size chunks, for the resolver's per-profile state.
//
// Invariants:
//  - Growing never moves or copies existing elements and holds at most one
//    partly used chunk: no doubling slack and no moment where an old and a
//    new copy of the array both exist (std::vector has both).
//  - New elements are value-initialised (zero for numbers).
//  - Element access is one shift, one mask and one extra load (the chunk
//    pointer, hot in cache: ~30 pointers per million elements).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

namespace halo::deterministic {

template <class T, unsigned kChunkBits = 14>
class ChunkedArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  static constexpr size_t kChunkSize = size_t{1} << kChunkBits;

  T &operator[](size_t i) { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }
  const T &operator[](size_t i) const { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }
  size_t size() const { return size_; }

  // Grows to n elements (never shrinks); the new ones are T{}.
  void grow_to(size_t n) {
    while (chunks_.size() * kChunkSize < n) {
      chunks_.push_back(std::make_unique<T[]>(kChunkSize));  // value-initialised
    }
    if (n > size_) size_ = n;
  }
  void push_back(const T &v) {
    grow_to(size_ + 1);
    (*this)[size_ - 1] = v;
  }
  size_t memory_bytes() const {
    return chunks_.size() * kChunkSize * sizeof(T) + chunks_.capacity() * sizeof(chunks_[0]);
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  size_t size_ = 0;
};

}  // namespace halo::deterministic
