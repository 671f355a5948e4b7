// block_buffer.h -- reads a byte stream in large blocks and keeps the unread
// tail contiguous, so record splitters can hand out string_views without
// copying each record.
//
// Invariants:
//  - pending() is the unconsumed bytes; its first byte sits at stream offset
//    offset(). Views into pending() stay valid until the next refill().
//  - At least kBlockPadding readable bytes follow the end of pending(), so a
//    record view may be handed to simdjson as padded input.
//  - A refill() moves the pending bytes to the front before reading; the
//    buffer grows only when a single record is longer than one block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace halo::plugins {

// Readable bytes after every record view (>= SIMDJSON_PADDING).
inline constexpr size_t kBlockPadding = 64;

// An I/O failure on an input file; the message names the file.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where bytes come from: a file in production, memory in tests.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes at the current position; 0 means end of stream.
  virtual size_t read(char *dst, size_t n) = 0;
  virtual void seek(uint64_t offset) = 0;
};

// Whether opening a file may follow a symbolic link in its last component.
enum class FollowLinks { kYes, kNo };

// A file opened read-only; throws IoError naming the path on failure (with
// FollowLinks::kNo also when the path is a symbolic link: O_NOFOLLOW).
class FileByteSource : public ByteSource {
 public:
  explicit FileByteSource(const std::string &path, FollowLinks follow = FollowLinks::kYes);
  ~FileByteSource() override;
  FileByteSource(const FileByteSource &) = delete;
  FileByteSource &operator=(const FileByteSource &) = delete;
  size_t read(char *dst, size_t n) override;
  // Reads until `n` bytes are read or the file ends; returns how many.
  size_t read_up_to(char *dst, size_t n);
  void seek(uint64_t offset) override { offset_ = offset; }
  uint64_t size() const;

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t offset_ = 0;
};

// Bytes held in memory (tests, small inputs).
class MemoryByteSource : public ByteSource {
 public:
  explicit MemoryByteSource(std::string bytes) : bytes_(std::move(bytes)) {}
  size_t read(char *dst, size_t n) override;
  void seek(uint64_t offset) override { offset_ = offset; }

 private:
  std::string bytes_;
  uint64_t offset_ = 0;
};

class BlockBuffer {
 public:
  BlockBuffer(size_t block_size, size_t initial_capacity);

  // Starts reading `source` at `offset`; drops whatever was pending.
  void reset(ByteSource *source, uint64_t offset);
  std::string_view pending() const { return {data_.get() + begin_, end_ - begin_}; }
  void consume(size_t n) { begin_ += n; }
  // Appends one block behind the pending bytes; false at end of stream.
  bool refill();
  bool at_eof() const { return eof_; }
  uint64_t offset() const { return base_offset_ + begin_; }

 private:
  void make_room();

  size_t block_size_;
  size_t capacity_ = 0;  // usable bytes, padding excluded
  std::unique_ptr<char[]> data_;
  size_t begin_ = 0, end_ = 0;
  uint64_t base_offset_ = 0;  // stream offset of data_[0]
  ByteSource *source_ = nullptr;
  bool eof_ = false;
};

}  // namespace halo::plugins
