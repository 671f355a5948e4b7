// server_limits.cpp -- range checks of HttpServerLimits (see server_limits.h).
#include "http_server/server_limits.h"

namespace halo {

std::string validate(const HttpServerLimits &l) {
  if (l.threads < 1 || l.threads > 16) return "threads must be between 1 and 16";
  if (l.max_connections < 1) return "max_connections must be >= 1";
  if (l.max_header_bytes < 1024) return "max_header_bytes must be >= 1024";
  if (l.max_body_bytes < 1) return "max_body_bytes must be >= 1";
  if (l.read_timeout_ms < 1) return "read_timeout_ms must be >= 1";
  if (l.idle_timeout_ms < 1) return "idle_timeout_ms must be >= 1";
  if (l.write_timeout_ms < 1) return "write_timeout_ms must be >= 1";
  if (l.shutdown_grace_ms < 0) return "shutdown_grace_ms must be >= 0";
  return {};
}

}  // namespace halo
