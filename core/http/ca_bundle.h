// ca_bundle.h -- loading a plugin's extra CA bundle (the `ca_file` option)
// into an OpenSSL trust store without blocking or reading without end.
//
// Invariants: only a regular file is read (a FIFO, device or directory is
// refused, checked with fstat on the opened descriptor, and opening never
// waits for a FIFO writer); at most kMaxCaBundleBytes are read, and a larger
// file is refused; the PEM text is parsed from memory, so the file OpenSSL
// sees is exactly the one that was checked.
#pragma once

#include <openssl/x509.h>

#include <cstddef>
#include <string>

namespace halo {

// Debian's complete ca-certificates bundle is about 220 KiB.
inline constexpr size_t kMaxCaBundleBytes = size_t{4} << 20;

// Adds every certificate and CRL of the PEM file at `path` to `store`.
// Returns "" on success, else why not, naming the file
// ("ca_file '/x' is a FIFO (named pipe), not a regular file").
std::string add_ca_bundle(X509_STORE *store, const std::string &path);

}  // namespace halo
