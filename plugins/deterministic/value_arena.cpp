// value_arena.cpp -- record layout and block management of value_arena.h.
#include "value_arena.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace halo::deterministic {

namespace {

char *put_varint(char *out, uint32_t v) {
  while (v >= 0x80) {
    *out++ = static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  *out++ = static_cast<char>(v);
  return out;
}

const char *get_varint(const char *in, uint32_t &v) {
  v = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<uint8_t>(*in++);
    v |= static_cast<uint32_t>(byte & 0x7F) << shift;
    if (byte < 0x80) return in;
  }
}

}  // namespace

char *ValueArena::new_block(size_t size) {
  if (blocks_.size() >= UINT32_MAX) throw std::length_error("identifier arena: too many blocks");
  // Not zeroed: a block is written before it is read, and clearing a
  // megabyte faulted in every page of it at once, even in a run that uses
  // a few kilobytes of it.
  blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
  reserved_bytes_ += size;
  return blocks_.back().get();
}

ValueArena::Ref ValueArena::append(uint32_t type, std::string_view value) {
  if (value.size() > kMaxValueBytes) {
    throw std::length_error("identifier value of " + std::to_string(value.size()) +
                            " bytes exceeds the resolver's limit of " +
                            std::to_string(kMaxValueBytes) + " bytes");
  }
  const size_t need = kMaxHeader + value.size();
  char *dst;
  Ref ref;
  const bool own_block = need > kBlockSize / 4;
  if (own_block) {
    // Rare huge value: its own block, so the current block keeps filling.
    dst = new_block(need);
    ref = {static_cast<uint32_t>(blocks_.size() - 1), 0};
  } else {
    if (used_ + need > kBlockSize) {
      new_block(kBlockSize);
      current_ = static_cast<uint32_t>(blocks_.size() - 1);
      used_ = 0;
    }
    dst = blocks_[current_].get() + used_;
    ref = {current_, static_cast<uint32_t>(used_)};
  }
  char *p = put_varint(put_varint(dst, type), static_cast<uint32_t>(value.size()));
  if (!value.empty()) std::memcpy(p, value.data(), value.size());
  if (!own_block) used_ += static_cast<size_t>(p - dst) + value.size();
  return ref;
}

ValueArena::Record ValueArena::read(Ref ref) const {
  const char *p = blocks_[ref.block].get() + ref.offset;
  uint32_t type, length;
  p = get_varint(get_varint(p, type), length);
  return {type, std::string_view(p, length)};
}

}  // namespace halo::deterministic
