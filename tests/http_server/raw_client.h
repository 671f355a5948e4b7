// raw_client.h -- a deliberately dumb HTTP client for the server tests:
// plain blocking sockets, so a test controls every byte and every pause
// (slow clients, truncated requests, idle keep-alive connections).
#pragma once

#include <string>

namespace halo::testing {

// A connected loopback socket; closed by the destructor.
class RawClient {
 public:
  explicit RawClient(int port);
  ~RawClient();
  RawClient(const RawClient &) = delete;
  RawClient &operator=(const RawClient &) = delete;

  bool connected() const { return fd_ >= 0; }
  bool send(const std::string &bytes);
  // One response (headers + Content-Length body), or "" when the
  // connection closed or nothing complete arrived within timeout_ms.
  std::string read_response(int timeout_ms = 5000);
  // True when the server closed the connection (EOF or reset) within timeout_ms.
  bool closed_by_server(int timeout_ms);

 private:
  int fd_ = -1;
  std::string pending_;
};

// Status code of a response text ("HTTP/1.1 200 OK..." -> 200), 0 if none.
int status_of(const std::string &response);
// Body of a response text.
std::string body_of(const std::string &response);
// A complete request: POST/GET with Content-Length and optional extra headers.
std::string request(const std::string &method, const std::string &target,
                    const std::string &body = "", const std::string &extra_headers = "");

}  // namespace halo::testing
