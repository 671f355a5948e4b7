// block_buffer.cpp -- block reads with a contiguous unread tail (see header).
#include "common/block_buffer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace halo::plugins {

namespace {
std::string errno_text(const std::string &what, const std::string &path) {
  return what + " '" + path + "': " + std::strerror(errno);
}
}  // namespace

FileByteSource::FileByteSource(const std::string &path, FollowLinks follow) : path_(path) {
  const int no_follow = follow == FollowLinks::kNo ? O_NOFOLLOW : 0;
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | no_follow);
  if (fd_ < 0 && errno == ELOOP && no_follow != 0) {
    throw IoError("refusing '" + path + "': it is a symbolic link");
  }
  if (fd_ < 0) throw IoError(errno_text("cannot open", path));
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw IoError("cannot read '" + path + "': it is a directory");
  }
  if (no_follow != 0 && !S_ISREG(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw IoError("refusing '" + path + "': not a regular file");
  }
}

FileByteSource::~FileByteSource() {
  if (fd_ >= 0) ::close(fd_);
}

size_t FileByteSource::read(char *dst, size_t n) {
  for (;;) {
    ssize_t got = ::pread(fd_, dst, n, static_cast<off_t>(offset_));
    if (got >= 0) {
      offset_ += static_cast<uint64_t>(got);
      return static_cast<size_t>(got);
    }
    if (errno != EINTR) throw IoError(errno_text("cannot read", path_));
  }
}

size_t FileByteSource::read_up_to(char *dst, size_t n) {
  size_t got = 0;
  while (got < n) {
    const size_t more = read(dst + got, n - got);
    if (more == 0) break;
    got += more;
  }
  return got;
}

uint64_t FileByteSource::size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) throw IoError(errno_text("cannot stat", path_));
  return static_cast<uint64_t>(st.st_size);
}

size_t MemoryByteSource::read(char *dst, size_t n) {
  if (offset_ >= bytes_.size()) return 0;
  size_t take = std::min<size_t>(n, bytes_.size() - offset_);
  std::memcpy(dst, bytes_.data() + offset_, take);
  offset_ += take;
  return take;
}

BlockBuffer::BlockBuffer(size_t block_size, size_t initial_capacity)
    : block_size_(block_size == 0 ? 1 : block_size) {
  capacity_ = std::max(initial_capacity, block_size_);
}

void BlockBuffer::reset(ByteSource *source, uint64_t offset) {
  // Allocated at first use and left uninitialised (only the padding is
  // written): a reader holds a splitter per framing and uses one, and the
  // pages of a block nobody reads into never become resident.
  if (!data_) data_.reset(new char[capacity_ + kBlockPadding]);
  std::memset(data_.get(), 0, kBlockPadding);
  source_ = source;
  source_->seek(offset);
  begin_ = end_ = 0;
  base_offset_ = offset;
  eof_ = false;
}

// Moves the pending bytes to the front and grows the buffer if one more
// block would not fit behind them.
void BlockBuffer::make_room() {
  size_t pending_bytes = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(data_.get(), data_.get() + begin_, pending_bytes);
    base_offset_ += begin_;
    begin_ = 0;
    end_ = pending_bytes;
  }
  if (end_ + block_size_ > capacity_) {
    size_t grown = std::max(capacity_ * 2, end_ + block_size_);
    std::unique_ptr<char[]> bigger(new char[grown + kBlockPadding]);
    std::memcpy(bigger.get(), data_.get(), end_);
    data_ = std::move(bigger);
    capacity_ = grown;
  }
}

bool BlockBuffer::refill() {
  if (eof_ || source_ == nullptr) return false;
  make_room();
  size_t got = source_->read(data_.get() + end_, block_size_);
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  std::memset(data_.get() + end_, 0, kBlockPadding);
  return true;
}

}  // namespace halo::plugins
