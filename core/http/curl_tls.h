// curl_tls.h -- the TLS policy every libcurl transfer of the kernel applies
// (HTTP and SMTP): peer and host verification on unless `insecure`, and a
// ca_file trusted in addition to the system CAs (an OpenSSL SSL_CTX
// callback; CURLOPT_CAINFO would replace them).
#pragma once

#include <curl/curl.h>

#include <functional>
#include <string>

namespace halo {

// Where the SSL_CTX callback finds the ca_file and reports why it could
// not load it. Must outlive the transfer.
struct ExtraCa {
  const std::string *file = nullptr;
  std::string error;
};

void set_tls(CURL *handle, bool insecure, const std::string &ca_file, ExtraCa &ca);

// The message for CURLE_SSL_CACERT_BADFILE.
std::string ca_file_error(const ExtraCa &ca);

// True for the failures no request to the server can get past (SMTP,
// IMAP, POP3): an unsupported scheme or malformed URL, a login refused,
// TLS refused or not trusted. Fix the set-up, not the request.
bool is_setup_failure(CURLcode code);

// The options an SMTP, IMAP or POP3 session shares: its URL and the
// schemes allowed (`protocols`, e.g. "smtp,smtps"), no signals, the whole
// transfer within timeout_ms and the connection within 10 s of it, TLS
// from the first byte for a `...s://` scheme, else STARTTLS required
// unless `plaintext`, and the login when there is a username. The strings
// must outlive the transfer.
void set_mail_session(CURL *handle, const std::string &url, const char *protocols, int timeout_ms,
                      bool plaintext, const std::string &username, const std::string &password);

// Aborts the transfer (CURLE_ABORTED_BY_CALLBACK) as soon as *cancelled
// returns true; an empty function never cancels. `cancelled` must outlive
// the transfer.
void set_cancel_check(CURL *handle, const std::function<bool()> *cancelled);

}  // namespace halo
