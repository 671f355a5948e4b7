// server_exchange.h -- one request received by the kernel's HTTP server and
// the response a route handler fills in. Plain kernel types (no Beast), so
// the route table and the host API do not depend on the socket layer.
//
// Invariants: `path` is the request target up to '?', `query` what follows
// it (without '?'); header names keep their case and header() compares
// them case-insensitively (RFC 9110 §5.1); the body is at most the server's
// max_body_bytes.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace halo {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct ServerRequest {
  std::string method;
  std::string path;
  std::string query;
  HeaderList headers;
  std::string body;
  // First header with this name (case-insensitive), or nullptr.
  const std::string *header(std::string_view name) const;
};

struct ServerResponse {
  int status = 200;
  HeaderList headers;
  std::string body;
  // Replaces a header of the same name (case-insensitive) or appends it.
  void set_header(std::string_view name, std::string_view value);
};

// Splits "/a/b?x=1" into path and query.
void split_target(std::string_view target, std::string &path, std::string &query);

// A short JSON error body: {"error":"<message>"} (message is ASCII text).
ServerResponse error_response(int status, std::string_view message);

}  // namespace halo
