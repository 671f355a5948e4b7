// rng.cpp -- portable draws over std::mt19937_64 (see rng.h for why).
#include "rng.h"

namespace halo::datagen {

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

uint64_t derive_seed(uint64_t seed, uint64_t stream) {
  return splitmix64(splitmix64(seed) ^ (stream * 0xD1B54A32D192ED03ULL));
}

uint64_t Rng::below(uint64_t n) {
  // Reject the top partial block so every residue is equally likely.
  const uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
  uint64_t x = next();
  while (x >= limit) x = next();
  return x % n;
}

int64_t Rng::between(int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  return lo + static_cast<int64_t>(below(span));
}

namespace {
void append_hex(std::string &out, uint64_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}
}  // namespace

std::string UuidFactory::make(Rng &rng) {
  const uint64_t high = rng.next();
  const uint64_t mid = rng.next();
  std::string id;
  id.reserve(36);
  append_hex(id, high >> 32, 8);
  id += '-';
  append_hex(id, high >> 16, 4);
  id += '-';
  id += '4';  // version 4 shape
  append_hex(id, high, 3);
  id += '-';
  append_hex(id, 0x8000 | (mid & 0x3FFF), 4);
  id += '-';
  append_hex(id, (mid & 0xFFFF000000000000ULL) >> 8 | (counter_++ & 0xFFFFFFFFFFULL), 12);
  return id;
}

}  // namespace halo::datagen
