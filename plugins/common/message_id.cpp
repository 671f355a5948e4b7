// message_id.cpp -- XXH3-128 based deterministic message ids.
#include "common/message_id.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace halo::plugins {

std::string_view MessageIdBuilder::make(std::string_view file_name, uint64_t position) {
  // name, a NUL separator (never inside a file name), then the position as
  // fixed 8 little-endian-independent bytes.
  char key[512];
  size_t name_len = std::min(file_name.size(), sizeof(key) - 9);
  std::memcpy(key, file_name.data(), name_len);
  key[name_len] = '\0';
  for (int i = 0; i < 8; ++i) key[name_len + 1 + i] = static_cast<char>(position >> (8 * i));
  XXH128_hash_t h = XXH3_128bits(key, name_len + 9);
  static const char kHex[] = "0123456789abcdef";
  uint64_t parts[2] = {h.high64, h.low64};
  for (int p = 0; p < 2; ++p) {
    for (int i = 0; i < 16; ++i) hex_[p * 16 + i] = kHex[(parts[p] >> (60 - 4 * i)) & 0xF];
  }
  return std::string_view(hex_, 32);
}

}  // namespace halo::plugins
