// atomic_file_writer.cpp -- tmp file + fsync + rename (see header).
#include "atomic_file_writer.h"

#include "common/block_buffer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace halo::plugins {

namespace {
constexpr size_t kFlushBytes = 1 << 20;

[[noreturn]] void fail(const std::string &what, const std::string &path) {
  throw IoError(what + " '" + path + "': " + std::strerror(errno));
}
}  // namespace

AtomicFileWriter::~AtomicFileWriter() {
  abort();
}

void AtomicFileWriter::open(const std::string &path) {
  abort();
  path_ = path;
  tmp_ = path + ".tmp";
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) throw IoError("cannot create directory '" + parent.string() + "': " + ec.message());
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("cannot create", tmp_);
  buffer_.reserve(kFlushBytes + 4096);
}

void AtomicFileWriter::append_line(std::string_view line) {
  if (fd_ < 0) throw IoError("write to '" + path_ + "' before open() or after commit()");
  buffer_.append(line);
  buffer_.push_back('\n');
  if (buffer_.size() >= kFlushBytes) flush();
}

void AtomicFileWriter::flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write", tmp_);
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
#ifdef __linux__
  // Starts writing what is written so far to disk without waiting
  // (sync_file_range(2), SYNC_FILE_RANGE_WRITE), so the fsync in commit()
  // waits for the last megabyte, not the whole file. Only a hint: commit()
  // still syncs everything, and a failure here is ignored.
  (void)::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

void AtomicFileWriter::commit() {
  if (fd_ < 0) return;
  flush();
  if (::fsync(fd_) != 0) fail("cannot sync", tmp_);
  if (::close(fd_) != 0) {
    fd_ = -1;
    fail("cannot close", tmp_);
  }
  fd_ = -1;
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) fail("cannot rename to", path_);
}

void AtomicFileWriter::abort() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  buffer_.clear();
  ::unlink(tmp_.c_str());
}

}  // namespace halo::plugins
