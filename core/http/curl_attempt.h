// curl_attempt.h -- one HTTP attempt with libcurl (no retries here).
//
// By default a fresh easy handle per attempt: no connection reuse, so a
// dropped connection is always seen by the caller (libcurl silently re-sends
// on a reused connection that died) and no state leaks between plugins. A
// call with keep_alive borrows a handle with its open connection from the
// pool (kept_connections.h) and puts it back after a complete response. A
// ca_file is added to the system trust store (OpenSSL SSL_CTX callback).
// Invariants: never throws; `error` is libcurl's text with the call's query
// string and header values scrubbed out.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "http/http_call.h"

namespace halo {

struct AttemptOutcome {
  int status = 0;  // 0 = no HTTP response
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-cased names
  std::string error;                                         // why status is 0
  bool retryable = false;  // transport failure worth another attempt
  bool cancelled = false;  // aborted because the run is stopping
};

// Performs one attempt. `cancelled` is polled during the transfer.
AttemptOutcome perform_attempt(const HttpCall &call, const std::function<bool()> &cancelled);

}  // namespace halo
