// message_id.h -- deterministic message ids for mapped records that carry
// none: XXH3-128 of the origin file name (not its directory) and the record
// position, as 32 lower-case hex digits. Re-reading the same file yields
// the same ids, so the kernel's de-duplication drops replays.
#pragma once

#include <cstdint>
#include <string_view>

namespace halo::plugins {

class MessageIdBuilder {
 public:
  // Writes the id into an internal buffer; the view is valid until the
  // next call.
  std::string_view make(std::string_view file_name, uint64_t position);

 private:
  char hex_[32];
};

}  // namespace halo::plugins
