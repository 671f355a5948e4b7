// ca_bundle.cpp -- bounded read and in-memory PEM parse of a CA bundle.
#include "http/ca_bundle.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace halo {
namespace {

const char *kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Closes the descriptor on every path out of read_bounded.
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

// The file's text, or "" with `error` set.
std::string read_bounded(const std::string &path, std::string &error) {
  const std::string name = "ca_file '" + path + "'";
  // O_NONBLOCK: opening a FIFO would otherwise wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    error = "cannot read " + name + ": " + std::strerror(errno);
    return {};
  }
  FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = name + " is " + std::string(kind_of(st.st_mode)) + ", not a regular PEM file";
    return {};
  }
  const std::string too_large = name + " is larger than " +
                                std::to_string(kMaxCaBundleBytes >> 20) +
                                " MiB, the limit for "
                                "a CA bundle";
  if (static_cast<size_t>(st.st_size) > kMaxCaBundleBytes) {
    error = too_large;
    return {};
  }
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = "cannot read " + name + ": " + std::strerror(errno);
      return {};
    }
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > kMaxCaBundleBytes) {  // it grew since fstat
      error = too_large;
      return {};
    }
  }
  return text;
}

}  // namespace

std::string add_ca_bundle(X509_STORE *store, const std::string &path) {
  std::string error;
  const std::string text = read_bounded(path, error);
  if (!error.empty()) return error;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
  STACK_OF(X509_INFO) *infos =
      bio ? PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  int added = 0;
  for (int i = 0; infos != nullptr && i < sk_X509_INFO_num(infos); ++i) {
    const X509_INFO *info = sk_X509_INFO_value(infos, i);
    if (info->x509 != nullptr && X509_STORE_add_cert(store, info->x509) == 1) ++added;
    if (info->crl != nullptr) X509_STORE_add_crl(store, info->crl);
  }
  if (infos != nullptr) sk_X509_INFO_pop_free(infos, X509_INFO_free);
  ERR_clear_error();
  if (added == 0) return "cannot read ca_file '" + path + "' as a PEM CA bundle";
  return "";
}

}  // namespace halo
