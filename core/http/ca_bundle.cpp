// ca_bundle.cpp -- bounded read and in-memory PEM parse of a CA bundle.
#include "http/ca_bundle.h"

#include "common/bounded_file.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace halo {
namespace {

// The file's text, or "" with `error` set.
std::string read_bounded(const std::string &path, std::string &error) {
  const std::string name = "ca_file '" + path + "'";
  BoundedFile file = read_bounded_file(path, kMaxCaBundleBytes);
  switch (file.outcome) {
    case BoundedFile::kOk:
      return std::move(file.text);
    case BoundedFile::kCannotRead:
      error = "cannot read " + name + ": " + file.system_error;
      break;
    case BoundedFile::kNotRegular:
      error = name + " is " + std::string(file.kind) + ", not a regular PEM file";
      break;
    case BoundedFile::kTooLarge:
      error = name + " is larger than " + std::to_string(kMaxCaBundleBytes >> 20) +
              " MiB, the limit for a CA bundle";
      break;
  }
  return {};
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
