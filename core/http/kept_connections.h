// kept_connections.h -- libcurl handles lent out with their open
// connections, for requests that opt in to keep-alive (HttpCall::keep_alive).
//
// libcurl keeps the connection cache in the easy handle, and sharing one
// cache between threads is not supported (CURLSHOPT_SHARE(3)), so the pool
// lends whole handles: a handle is used by one attempt at a time, and
// curl_easy_reset clears every option it carried before it is lent again
// (live connections survive a reset; no cookie engine is ever started, so
// nothing else does). Handles are keyed by origin and TLS trust settings:
// a connection verified under one trust store is never reused under
// another (libcurl's own reuse check does not see the extra CA the kernel
// adds through the SSL_CTX callback).
//
// Invariants: at most kMaxKeptHandles handles wait in the pool (returning
// one more closes the one idle longest), none idle for more than a minute;
// a handle whose transfer failed is closed, never returned; thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "http/http_call.h"
#include "http/libcurl.h"

namespace halo {

inline constexpr size_t kMaxKeptHandles = 32;

// "https://h:8443" + TLS settings: calls with equal keys may share a
// connection.
std::string kept_connection_key(const HttpCall &call);

// An idle handle kept for `key` (options reset), or a new one (null when
// libcurl cannot make one).
EasyHandle take_kept_handle(const std::string &key);

// Puts `handle` (after a completed transfer) back for `key`.
void keep_handle(const std::string &key, EasyHandle handle);

// Handles waiting in the pool, for tests.
size_t kept_handle_count();

}  // namespace halo
