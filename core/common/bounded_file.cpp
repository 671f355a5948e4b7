// bounded_file.cpp -- read_bounded_file (see the header for the invariants).
#include "common/bounded_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace halo {
namespace {

const char *file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Closes the descriptor on every path out of read_bounded_file.
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

}  // namespace

BoundedFile read_bounded_file(const std::string &path, size_t max_bytes) {
  BoundedFile out;
  auto fail = [&](BoundedFile::Outcome outcome) {
    out.outcome = outcome;
    if (outcome == BoundedFile::kCannotRead) out.system_error = std::strerror(errno);
    out.text.clear();
    return out;
  };
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return fail(BoundedFile::kCannotRead);
  FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail(BoundedFile::kCannotRead);
  if (!S_ISREG(st.st_mode)) {
    out.kind = file_kind(st.st_mode);
    return fail(BoundedFile::kNotRegular);
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) return fail(BoundedFile::kTooLarge);
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(BoundedFile::kCannotRead);
    }
    out.text.append(buffer, static_cast<size_t>(n));
    if (out.text.size() > max_bytes) return fail(BoundedFile::kTooLarge);  // grew since fstat
  }
  return out;
}

}  // namespace halo
