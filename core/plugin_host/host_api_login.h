// host_api_login.h -- the server and login fields halo_smtp_request and
// halo_mailbox_request share (url, username, password, ca_file, insecure,
// plaintext, timeout_ms), copied into the kernel's call the same way for
// both: NULL strings read as empty, the password registered once in the
// secret registry so it is masked in every log, timeout 0 meaning 30 s.
// The caller has checked url and timeout_ms.
#pragma once

#include <string>

#include "common/secrets.h"

namespace halo {

inline constexpr int kDefaultMailTimeoutMs = 30000;

template <class Request, class Call>
void copy_login(const Request &r, Call &call) {
  auto text = [](const char *s) { return s ? std::string(s) : std::string(); };
  call.url = text(r.url);
  call.username = text(r.username);
  call.password = text(r.password);
  // Registered once, not per request: adding rebuilds the registry under
  // its exclusive lock.
  if (!call.password.empty() && !secrets().contains_secret(call.password)) {
    secrets().add(call.password);
  }
  call.ca_file = text(r.ca_file);
  call.insecure = r.insecure != 0;
  call.plaintext = r.plaintext != 0;
  call.timeout_ms = r.timeout_ms > 0 ? r.timeout_ms : kDefaultMailTimeoutMs;
}

}  // namespace halo
