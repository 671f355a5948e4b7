// pipeline_file.cpp -- bounded, non-blocking read of a pipeline file.
#include "config/pipeline_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "config/yaml_limits.h"

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

// Closes the descriptor on every path out of read_pipeline_file.
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

std::string too_large(const std::string &path) {
  return path + ": the pipeline file is larger than " + std::to_string(kMaxYamlBytes >> 20) +
         " MiB (" + std::to_string(kMaxYamlBytes) + " bytes), the limit for pipeline files";
}

}  // namespace

Result<std::string> read_pipeline_file(const std::string &path) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return Status::Io("cannot read pipeline file " + path + ": " + std::strerror(errno));
  FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return Status::Io("cannot read pipeline file " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::Invalid(path + ": " + file_kind(st.st_mode) +
                           ", not a regular file; a pipeline file must be a regular file");
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxYamlBytes) return Status::Invalid(too_large(path));
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Io("cannot read pipeline file " + path + ": " + std::strerror(errno));
    }
    text.append(buffer, static_cast<size_t>(n));
    // The file may have grown since fstat.
    if (text.size() > kMaxYamlBytes) return Status::Invalid(too_large(path));
  }
  return text;
}

}  // namespace halo
