// http_server.cpp -- listener, connection bound and graceful stop of the
// kernel's HTTP server (see http_server.h).
#include "http_server/http_server.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include <chrono>

#include "common/clock.h"

namespace halo {
namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr char kBusyAnswer[] =
    "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n"
    "Content-Type: application/json\r\nContent-Length: 32\r\n\r\n"
    "{\"error\":\"too many connections\"}";

}  // namespace

HttpServer::HttpServer(HttpServerLimits limits, std::shared_ptr<RouteTable> routes)
    : state_(std::make_shared<ServerState>()),
      io_(limits.threads),
      acceptor_(net::make_strand(io_)) {
  state_->limits = limits;
  state_->routes = std::move(routes);
}

HttpServer::~HttpServer() {
  stop();
}

Status HttpServer::start(const std::string &host, int port) {
  std::string where = host + ":" + std::to_string(port);
  beast::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec) return Status::Invalid("HTTP listen address '" + where + "' is not an IP address");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.close(ec);
    return Status::Io("cannot listen for HTTP on " + where + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  running_ = true;
  accept();
  for (int i = 0; i < state_->limits.threads; ++i) threads_.emplace_back([this] { io_.run(); });
  return Status::Ok();
}

void HttpServer::accept() {
  acceptor_.async_accept(net::make_strand(io_),
                         beast::bind_front_handler(&HttpServer::on_accept, this));
}

void HttpServer::on_accept(beast::error_code ec, tcp::socket socket) {
  if (!acceptor_.is_open()) return;  // stop() closed the listener
  if (!ec) {
    if (state_->connections.fetch_add(1) >= state_->limits.max_connections) {
      state_->connections.fetch_sub(1);
      refuse(socket);
    } else {
      auto session = std::make_shared<HttpSession>(std::move(socket), state_);
      track(session);
      session->run();
    }
  }
  accept();
}

// Best effort, never blocking: the answer fits in the socket's send buffer.
void HttpServer::refuse(tcp::socket &socket) {
  beast::error_code ignored;
  socket.non_blocking(true, ignored);
  socket.write_some(net::buffer(kBusyAnswer, sizeof(kBusyAnswer) - 1), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

void HttpServer::track(const std::shared_ptr<HttpSession> &session) {
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  std::erase_if(sessions_, [](const auto &w) { return w.expired(); });
  sessions_.push_back(session);
}

void HttpServer::stop() {
  if (!running_) return;
  running_ = false;
  state_->stopping = true;
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
  {
    std::lock_guard<std::mutex> lock(sessions_mutex_);
    for (const auto &w : sessions_) {
      if (auto s = w.lock()) s->shut_down();
    }
  }
  wait_for_sessions();
  io_.stop();
  for (auto &t : threads_) t.join();
  threads_.clear();
}

void HttpServer::wait_for_sessions() {
  // Real time on purpose (clock.h): it waits for other threads' sessions.
  Clock &real = real_clock();
  const double until = real.steady_seconds() + state_->limits.shutdown_grace_ms / 1000.0;
  while (state_->connections.load() > 0 && real.steady_seconds() < until) {
    real.sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace halo
