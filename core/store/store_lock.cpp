// store_lock.cpp -- the store's writer lock: flock(2) on `<store>.lock`
// holding the holder's pid (see store_lock.h).
#include "store/store_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <utility>

#include "common/clock.h"

namespace halo {

namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

int lock_now(int fd) {
  int rc;
  do {
    rc = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  return rc == 0 ? 0 : errno;
}

// The pid the holder wrote, or "" when none is readable. The holder writes
// it right after taking the lock, so an empty file is retried briefly.
std::string holder_pid(int fd) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string text(buf, n > 0 ? static_cast<size_t>(n) : 0);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    if (digits) return text;
    real_clock().sleep_for(std::chrono::milliseconds(10));  // another process writes it
  }
  return "";
}

Status busy(const std::string &store_path, int fd) {
  std::string pid = holder_pid(fd);
  return Status::Busy("store " + store_path + " is in use by " +
                      (pid.empty() ? std::string("another process") : "pid " + pid) +
                      " (another `halo run` or `halo rebuild`); wait for it to finish or stop it");
}

Status write_pid(int fd, const std::string &lock) {
  std::string text = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    return Status::Io("cannot write the lock file " + lock + ": " + errno_text(errno));
  }
  return Status::Ok();
}

}  // namespace

std::string StoreLock::lock_path(const std::string &store_path) {
  std::error_code ec;
  std::filesystem::path real = std::filesystem::weakly_canonical(store_path, ec);
  return (ec ? store_path : real.string()) + ".lock";
}

Result<StoreLock> StoreLock::acquire(const std::string &store_path) {
  std::string lock = lock_path(store_path);
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return Status::Io("store " + store_path + ": cannot create the lock file " + lock + ": " +
                      errno_text(errno));
  }
  StoreLock held(fd);  // closes fd on every early return
  if (int err = lock_now(fd); err != 0) {
    Status s =
        err == EWOULDBLOCK
            ? busy(store_path, fd)
            : Status::Io("store " + store_path + ": cannot lock " + lock + ": " + errno_text(err));
    ::close(std::exchange(held.fd_, -1));  // not ours: do not empty it
    return s;
  }
  if (Status s = write_pid(fd, lock); !s.ok()) return s;
  return held;
}

StoreLock::StoreLock(StoreLock &&other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

StoreLock &StoreLock::operator=(StoreLock &&other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

StoreLock::~StoreLock() {
  release();
}

void StoreLock::release() {
  if (fd_ < 0) return;
  // Still locked here, so the next holder's pid cannot be erased.
  (void)::ftruncate(fd_, 0);
  ::close(std::exchange(fd_, -1));
}

}  // namespace halo
