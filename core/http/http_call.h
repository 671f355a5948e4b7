// http_call.h -- the value types of the kernel HTTP client: one request
// (HttpCall) and its final outcome (HttpResult).
//
// Invariants: HttpResult.status is 0 exactly when no HTTP response arrived
// (transport failure, cancellation); then `error` says why, naming the method
// and the URL without its query string, never a header value. Header names
// are stored lower-cased so lookups are case-insensitive.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace halo {

struct HttpCall {
  std::string method = "GET";
  std::string url;  // absolute http:// or https:// URL
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int timeout_ms = 30000;          // whole request, per attempt
  int connect_timeout_ms = 10000;  // TCP + TLS handshake, per attempt
  int max_attempts = 5;            // 1 = no retry
  bool insecure = false;           // skip TLS peer/host verification
  std::string ca_file;             // extra trusted CA bundle (PEM), or empty
  // Reuse a kept connection to the same origin and keep this one open
  // (kept_connections.h); only for requests safe to arrive twice.
  bool keep_alive = false;
};

struct HttpResult {
  int status = 0;  // 0 = transport failure
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  int attempts = 0;
  std::string error;          // set when status is 0 or the final status is retryable
  bool permanent = false;     // transport failure retrying cannot fix (TLS trust, bad URL)
  bool budget_spent = false;  // retries stopped by the RetryBudget, not max_attempts

  // Value of the first header named `name` (any case), or nullptr.
  const std::string *header(std::string_view name) const;
};

// The largest response body the client accepts.
inline constexpr size_t kMaxHttpResponseBytes = 64u << 20;

}  // namespace halo
