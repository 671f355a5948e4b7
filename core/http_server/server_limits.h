// server_limits.h -- every bound of the kernel's HTTP server in one place:
// sizes, counts, deadlines and threads ("every input has a size cap, every
// wait a timeout, every queue a bound").
//
// Invariant: a value of 0 is never "unlimited"; validate() refuses it.
#pragma once

#include <cstdint>
#include <string>

namespace halo {

struct HttpServerLimits {
  int threads = 2;                        // I/O threads running handlers
  int max_connections = 64;               // open at once; more are refused
  uint32_t max_header_bytes = 16 * 1024;  // request line + headers
  uint64_t max_body_bytes = 1024 * 1024;  // 413 above this
  int64_t read_timeout_ms = 10000;        // whole request, first byte to last
  int64_t idle_timeout_ms = 5000;         // keep-alive wait for the next request
  int64_t write_timeout_ms = 10000;       // sending one response
  int64_t shutdown_grace_ms = 5000;       // stop(): in-flight requests may finish
};

// Empty when every field is in range, else a message naming the field.
std::string validate(const HttpServerLimits &limits);

}  // namespace halo
