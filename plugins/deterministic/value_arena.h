// value_arena.h -- append-only storage of identifier records (type id and
// value bytes) in a few large blocks, addressed by a compact 8-byte Ref.
//
// Invariants:
//  - A record, once appended, never moves or changes: every string_view read
//    from it stays valid for the arena's lifetime.
//  - A record is varint(type), varint(length), then the value bytes (varints
//    as in Protocol Buffers, 7 bits per byte, low bits first:
//    https://protobuf.dev/programming-guides/encoding/#varints), so a short
//    value costs two bytes of header and no alignment padding.
//  - Offsets are per block (block index + offset, 32 bits each), so the arena
//    as a whole may grow far beyond 2^32 bytes; one value is at most
//    kMaxValueBytes (above the normalizer's own cap of 2^30 bytes per string,
//    core/normalize/limits.h), and a longer one is refused with
//    std::length_error before anything is stored.
//  - Not thread-safe; owned by one IdentifierTable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace halo::deterministic {

class ValueArena {
 public:
  static constexpr size_t kMaxValueBytes = size_t{1} << 31;

  struct Ref {
    uint32_t block;
    uint32_t offset;
  };
  struct Record {
    uint32_t type;
    std::string_view value;
  };

  Ref append(uint32_t type, std::string_view value);
  Record read(Ref ref) const;
  // Bytes of the blocks, including the unused tail of the current one.
  size_t memory_bytes() const { return reserved_bytes_ + blocks_.capacity() * sizeof(blocks_[0]); }

 private:
  static constexpr size_t kBlockSize = 1 << 20;
  static constexpr size_t kMaxHeader = 10;  // two varints of up to 5 bytes
  char *new_block(size_t size);

  std::vector<std::unique_ptr<char[]>> blocks_;
  uint32_t current_ = 0;      // block being filled (huge records get their own)
  size_t used_ = kBlockSize;  // forces a first block on the first append
  size_t reserved_bytes_ = 0;
};

}  // namespace halo::deterministic
