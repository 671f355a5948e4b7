// curl_tls.cpp -- see curl_tls.h.
#include "http/curl_tls.h"

#include <openssl/ssl.h>

#include <algorithm>

#include "http/ca_bundle.h"
#include "http/libcurl.h"

namespace halo {
namespace {

CURLcode add_extra_ca(CURL *, void *ssl_ctx, void *user) {
  auto *ca = static_cast<ExtraCa *>(user);
  ca->error = add_ca_bundle(SSL_CTX_get_cert_store(static_cast<SSL_CTX *>(ssl_ctx)), *ca->file);
  return ca->error.empty() ? CURLE_OK : CURLE_SSL_CACERT_BADFILE;
}

int on_progress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto *cancelled = static_cast<const std::function<bool()> *>(user);
  return (*cancelled && (*cancelled)()) ? 1 : 0;  // non-zero aborts
}

}  // namespace

void set_tls(CURL *h, bool insecure, const std::string &ca_file, ExtraCa &ca) {
  ca.file = &ca_file;
  libcurl().easy_setopt(h, CURLOPT_SSL_VERIFYPEER, insecure ? 0L : 1L);
  libcurl().easy_setopt(h, CURLOPT_SSL_VERIFYHOST, insecure ? 0L : 2L);
  if (ca_file.empty() || insecure) return;
  libcurl().easy_setopt(h, CURLOPT_SSL_CTX_DATA, &ca);
  if (libcurl().easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, add_extra_ca) != CURLE_OK) {
    libcurl().easy_setopt(h, CURLOPT_CAINFO, ca_file.c_str());  // non-OpenSSL libcurl
  }
}

std::string ca_file_error(const ExtraCa &ca) {
  if (!ca.error.empty()) return ca.error;
  return "cannot read ca_file '" + (ca.file ? *ca.file : std::string()) + "' as a PEM CA bundle";
}

bool is_setup_failure(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_LOGIN_DENIED:
    case CURLE_USE_SSL_FAILED:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_REMOTE_ACCESS_DENIED:
      return true;
    default:
      return false;
  }
}

void set_mail_session(CURL *h, const std::string &url, const char *protocols, int timeout_ms,
                      bool plaintext, const std::string &username, const std::string &password) {
  constexpr int kConnectTimeoutMs = 10000;
  libcurl().easy_setopt(h, CURLOPT_URL, url.c_str());
  libcurl().easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
  libcurl().easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  libcurl().easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  libcurl().easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                        static_cast<long>(std::min(kConnectTimeoutMs, timeout_ms)));
  const size_t scheme_end = url.find("://");
  const bool implicit_tls = scheme_end != std::string::npos && scheme_end > 0 &&
                            url[scheme_end - 1] == 's';  // smtps, imaps, pop3s
  const bool starttls = !implicit_tls && !plaintext;
  // A long, as libcurl reads it (an enum passes as an int through `...`).
  libcurl().easy_setopt(h, CURLOPT_USE_SSL,
                        static_cast<long>(starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  if (!username.empty()) {
    libcurl().easy_setopt(h, CURLOPT_USERNAME, username.c_str());
    libcurl().easy_setopt(h, CURLOPT_PASSWORD, password.c_str());
  }
}

void set_cancel_check(CURL *h, const std::function<bool()> *cancelled) {
  libcurl().easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  libcurl().easy_setopt(h, CURLOPT_XFERINFODATA, cancelled);
  libcurl().easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
}

}  // namespace halo
