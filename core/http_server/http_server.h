// http_server.h -- the kernel's HTTP server: one listening socket, a small
// fixed pool of I/O threads (Boost.Asio), one HttpSession per connection,
// requests dispatched to a RouteTable.
//
// Invariants:
//  - start() returns only once the socket listens (or a Status naming the
//    address and the OS error); port() is then the bound port (useful with
//    port 0).
//  - At most limits.max_connections connections are open; a connection over
//    the bound is answered 503 (Retry-After: 1) without reading it and
//    closed at once, never queued.
//  - stop() (and the destructor) closes the listener, closes idle
//    connections, lets requests in progress finish and answer, and after
//    shutdown_grace_ms cuts whatever is left; it returns once every I/O
//    thread has been joined, so no handler runs after it. Idempotent.
#pragma once

#include "common/status.h"
#include "http_server/http_session.h"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace halo {

class HttpServer {
 public:
  HttpServer(HttpServerLimits limits, std::shared_ptr<RouteTable> routes);
  ~HttpServer();
  HttpServer(const HttpServer &) = delete;
  HttpServer &operator=(const HttpServer &) = delete;

  // host is an IP address literal (IPv4 or IPv6).
  Status start(const std::string &host, int port);
  void stop();
  int port() const { return port_; }
  int open_connections() const { return state_->connections.load(); }

 private:
  void accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);
  void refuse(boost::asio::ip::tcp::socket &socket);
  void track(const std::shared_ptr<HttpSession> &session);
  void wait_for_sessions();

  std::shared_ptr<ServerState> state_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  std::mutex sessions_mutex_;
  std::vector<std::weak_ptr<HttpSession>> sessions_;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace halo
