// rng.h -- the generator's only source of randomness.
//
// Invariant: output depends only on the seed, never on the standard library.
// std::mt19937_64 is specified bit-exactly by the standard, but the std::
// distributions are not, so every draw (ranges, probabilities, picks) is
// computed here with our own integer arithmetic.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string>

namespace halo::datagen {

// SplitMix64 finalizer: a bijection on 64-bit values, used to derive
// independent stream seeds and collision-free ids from small integers.
uint64_t splitmix64(uint64_t x);

// A seed for sub-stream `stream` of the run seeded with `seed`.
uint64_t derive_seed(uint64_t seed, uint64_t stream);

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  uint64_t next() { return engine_(); }
  // Uniform in [0, n); n must be > 0. Unbiased (rejection sampling).
  uint64_t below(uint64_t n);
  // Uniform in [lo, hi], inclusive.
  int64_t between(int64_t lo, int64_t hi);
  // Uniform in [0, 1) with 53 bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }

  template <class T>
  const T &pick(std::span<const T> items) {
    return items[below(items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

// Makes UUID-shaped ids (8-4-4-4-12 hex). Invariant: never returns the same
// id twice within one factory, because the last group is a counter.
class UuidFactory {
 public:
  std::string make(Rng &rng);

 private:
  uint64_t counter_ = 0;
};

}  // namespace halo::datagen
