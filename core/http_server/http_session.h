// http_session.h -- one accepted connection of the kernel's HTTP server:
// reads requests with Beast's parser under the server's limits, hands each
// to the route table and writes the answer; HTTP/1.1 keep-alive.
//
// Deadlines (a per-connection timer, so a slow client only ever holds its
// own connection): the first byte of a request must arrive within
// read_timeout_ms on a new connection or idle_timeout_ms on a kept-alive
// one (then the connection just closes); from that byte, the whole request
// must arrive within read_timeout_ms (else 408). Each response must be
// written within write_timeout_ms. Errors answered before the
// connection closes: 400 malformed, 408 too slow, 413 body over
// max_body_bytes (checked against Content-Length before the body is read),
// 431 headers over max_header_bytes, 500 handler threw. When the server
// stops, a request in progress is still answered, then the connection
// closes; an idle connection closes at once. After an error answer the connection closes
// "lingering" (RFC 9112 §9.6): it stops sending and discards what the client
// still sends for up to 1 s, so the client reads the answer instead of a
// reset. All its work runs on one strand.
#pragma once

#include "http_server/route_table.h"
#include "http_server/server_limits.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <memory>
#include <optional>

namespace halo {

// What all sessions of one server share.
struct ServerState {
  HttpServerLimits limits;
  std::shared_ptr<RouteTable> routes;
  std::atomic<bool> stopping{false};
  std::atomic<int> connections{0};
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state);
  ~HttpSession();
  void run();
  // Stop-time: closes the connection now when no request is in progress,
  // otherwise after the current response. Thread-safe (posts to the strand).
  void shut_down();

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  void wait_for_request();
  void on_first_bytes(boost::beast::error_code ec, size_t n);
  void read_header();
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_body(boost::beast::error_code ec);
  void answer();
  void send(ServerResponse response, bool keep_alive);
  void on_sent(bool keep_alive, boost::beast::error_code ec);
  void fail(boost::beast::error_code ec);
  void linger();
  void drain();
  void close();
  void arm_deadline(int64_t ms);
  void disarm_deadline();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  boost::asio::steady_timer deadline_;
  uint64_t deadline_generation_ = 0;  // a fired timer of an older deadline is ignored
  bool timed_out_ = false;
  std::shared_ptr<ServerState> state_;
  std::optional<Parser> parser_;
  std::shared_ptr<void> in_flight_;  // keeps the response alive while it is written
  bool kept_alive_ = false;          // a request was answered on this connection
  bool idle_ = true;                 // waiting for the first byte of a request
};

}  // namespace halo
