// message_id.cpp -- XXH3-128 content ids (see header for the encoding).
#include "common/message_id.h"

#include <xxhash.h>

namespace halo::plugins {

void ContentIdBuilder::add(std::string_view part) {
  uint64_t n = part.size();
  for (int i = 0; i < 8; ++i) key_.push_back(static_cast<char>(n >> (8 * i)));
  key_.append(part);
}

std::string_view ContentIdBuilder::finish() {
  XXH128_hash_t h = XXH3_128bits(key_.data(), key_.size());
  static const char kHex[] = "0123456789abcdef";
  const uint64_t parts[2] = {h.high64, h.low64};
  for (int p = 0; p < 2; ++p) {
    for (int i = 0; i < 16; ++i) hex_[p * 16 + i] = kHex[(parts[p] >> (60 - 4 * i)) & 0xF];
  }
  return std::string_view(hex_, 32);
}

}  // namespace halo::plugins
