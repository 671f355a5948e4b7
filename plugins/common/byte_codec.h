// byte_codec.h -- the builders' stored per-profile state and fitted models
// as bytes: fixed little-endian integers, IEEE doubles by their bits,
// LEB128 varints (zigzag for signed) and raw bytes. ByteReader never reads past its input: running
// out throws std::runtime_error naming the offset, so a damaged blob is an error the builder
// reports, never a partial state.
#pragma once

#include <bit>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace halo::plugins {

class ByteWriter {
 public:
  using U128 = unsigned __int128;
  explicit ByteWriter(std::string &out) : out_(out) {}
  void byte(uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void varint(U128 v) {
    do {
      uint8_t b = static_cast<uint8_t>(v & 0x7f);
      v >>= 7;
      byte(v != 0 ? (b | 0x80) : b);
    } while (v != 0);
  }
  void svarint(__int128 v) { varint((U128(v) << 1) ^ U128(v >> 127)); }
  void fixed(uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) byte(static_cast<uint8_t>(v >> (8 * i)));
  }
  void real(double v) { fixed(std::bit_cast<uint64_t>(v), 8); }
  void bytes(std::string_view s) { out_.append(s); }
  size_t size() const { return out_.size(); }
  std::string &out() { return out_; }

 private:
  std::string &out_;
};

class ByteReader {
 public:
  using U128 = unsigned __int128;
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool done() const { return pos_ == in_.size(); }
  size_t left() const { return in_.size() - pos_; }
  uint8_t byte() {
    need(1, "byte");
    return static_cast<uint8_t>(in_[pos_++]);
  }
  U128 varint() {
    U128 v = 0;
    for (int shift = 0; shift < 133; shift += 7) {
      uint8_t b = byte();
      v |= U128(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    throw std::runtime_error("varint longer than 19 bytes");
  }
  __int128 svarint() {
    U128 z = varint();
    return static_cast<__int128>((z >> 1) ^ (U128(0) - (z & 1)));
  }
  int64_t count() {
    U128 v = varint();
    if (v > U128(INT64_MAX)) throw std::runtime_error("count out of range");
    return static_cast<int64_t>(v);
  }
  uint64_t fixed(int bytes) {
    need(static_cast<size_t>(bytes), "fixed-width integer");
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t(static_cast<uint8_t>(in_[pos_++])) << (8 * i);
    return v;
  }
  double real() { return std::bit_cast<double>(fixed(8)); }
  // A count no greater than `max` (what the reader is about to allocate).
  size_t count(size_t max, const char *what) {
    int64_t n = count();
    if (static_cast<uint64_t>(n) > max) {
      throw std::runtime_error(std::string(what) + " count " + std::to_string(n) +
                               " is over the limit of " + std::to_string(max));
    }
    return static_cast<size_t>(n);
  }
  // Throws unless every byte was read.
  void expect_done() const {
    if (!done()) {
      throw std::runtime_error(std::to_string(left()) + " unread bytes at offset " +
                               std::to_string(pos_));
    }
  }
  std::string_view bytes(size_t n) {
    need(n, "bytes");
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }

 private:
  void need(size_t n, const char *what) {
    if (in_.size() - pos_ < n) {
      throw std::runtime_error(std::string("truncated at offset ") + std::to_string(pos_) +
                               " reading " + what);
    }
  }
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace halo::plugins
