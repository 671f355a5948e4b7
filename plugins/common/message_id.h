// message_id.h -- content-derived message ids for mapped records that carry
// none. The id is the XXH3-128 hash of the record's canonical content as 32
// lower-case hex digits, where the content is a sequence of parts, each
// written as its length (8 bytes, little-endian) and its bytes, so no two
// different part sequences share an encoding.
//
// Why content and not (file, line): a refreshed export (rows inserted on
// top, a row edited, the file renamed) must yield exactly its new and
// changed rows. Same content -> same id -> the kernel drops it as a
// duplicate (its key is (source name, messageId), so ids of different
// sources never collide); changed content -> new id -> a new event.
// XXH3-128 is not a cryptographic hash: someone who can write the input
// file can craft collisions, but could also just edit the rows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace halo::plugins {

class ContentIdBuilder {
 public:
  void begin() { key_.clear(); }
  void add(std::string_view part);
  // The id of the parts added since begin(); valid until the next call.
  std::string_view finish();

 private:
  std::string key_;
  char hex_[32];
};

}  // namespace halo::plugins
