// http_session.cpp -- the read / dispatch / write cycle of one connection
// (see http_session.h). Reads never use tcp_stream's own timeout because it
// closes the socket, which would make a 408 answer impossible; a steady
// timer cancels the pending read instead.
#include "http_server/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <chrono>

namespace halo {
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr int64_t kLingerMs = 1000;
constexpr size_t kDrainChunk = 64 * 1024;

// The status answering a failed read, or 0 to close without an answer
// (the client went away or never started a request).
int status_for(beast::error_code ec, bool timed_out) {
  if (timed_out) return 408;
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::header_limit) return 431;
  if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return 400;
  }
  return 0;
}

const char *message_for(int status) {
  switch (status) {
    case 408:
      return "request not received in time";
    case 413:
      return "request body too large";
    case 431:
      return "request headers too large";
    default:
      return "malformed HTTP request";
  }
}

}  // namespace

HttpSession::HttpSession(tcp::socket socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)), deadline_(stream_.get_executor()), state_(std::move(state)) {}

HttpSession::~HttpSession() {
  state_->connections.fetch_sub(1);
}

void HttpSession::run() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
}

void HttpSession::shut_down() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->idle_) self->close();
  });
}

void HttpSession::arm_deadline(int64_t ms) {
  uint64_t generation = ++deadline_generation_;
  timed_out_ = false;
  deadline_.expires_after(std::chrono::milliseconds(ms));
  deadline_.async_wait([self = shared_from_this(), generation](beast::error_code ec) {
    if (ec || generation != self->deadline_generation_) return;
    self->timed_out_ = true;
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);
  });
}

void HttpSession::disarm_deadline() {
  ++deadline_generation_;
  deadline_.cancel();
}

void HttpSession::wait_for_request() {
  if (state_->stopping) return close();
  idle_ = true;
  parser_.emplace();
  parser_->header_limit(state_->limits.max_header_bytes);
  parser_->body_limit(state_->limits.max_body_bytes);
  stream_.expires_never();
  if (buffer_.size() > 0) return read_header();  // a pipelined request is already here
  const auto &l = state_->limits;
  arm_deadline(kept_alive_ ? l.idle_timeout_ms : l.read_timeout_ms);
  stream_.async_read_some(
      buffer_.prepare(l.max_header_bytes),
      beast::bind_front_handler(&HttpSession::on_first_bytes, shared_from_this()));
}

void HttpSession::on_first_bytes(beast::error_code ec, size_t n) {
  if (ec) return close();  // idle timeout, client gone, or stop()
  buffer_.commit(n);
  read_header();
}

void HttpSession::read_header() {
  idle_ = false;
  arm_deadline(state_->limits.read_timeout_ms);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
}

void HttpSession::on_header(beast::error_code ec) {
  if (ec) return fail(ec);
  auto expect = parser_->get()[http::field::expect];
  if (!beast::iequals(expect, "100-continue")) return read_body();
  auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
  in_flight_ = interim;
  http::async_write(stream_, *interim, [self = shared_from_this()](beast::error_code e, size_t) {
    if (e) return self->close();
    self->read_body();
  });
}

void HttpSession::read_body() {
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->on_body(ec); });
}

void HttpSession::on_body(beast::error_code ec) {
  if (ec) return fail(ec);
  disarm_deadline();
  answer();
}

void HttpSession::answer() {
  auto &msg = parser_->get();
  ServerRequest request;
  request.method = std::string(msg.method_string());
  auto target = msg.target();
  split_target(std::string_view(target.data(), target.size()), request.path, request.query);
  for (const auto &field : msg) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(msg.body());
  bool keep_alive = msg.keep_alive();
  ServerResponse response;
  try {
    state_->routes->dispatch(request, response);
  } catch (...) {
    response = error_response(500, "route handler failed");
  }
  send(std::move(response), keep_alive && !state_->stopping);
}

void HttpSession::send(ServerResponse response, bool keep_alive) {
  auto msg = std::make_shared<http::response<http::string_body>>();
  msg->version(11);
  msg->result(static_cast<unsigned>(response.status));
  for (const auto &[name, value] : response.headers) msg->set(name, value);
  msg->body() = std::move(response.body);
  msg->keep_alive(keep_alive);
  msg->prepare_payload();
  in_flight_ = msg;
  stream_.expires_after(std::chrono::milliseconds(state_->limits.write_timeout_ms));
  http::async_write(stream_, *msg,
                    [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                      self->on_sent(keep_alive, ec);
                    });
}

void HttpSession::on_sent(bool keep_alive, beast::error_code ec) {
  in_flight_.reset();
  if (ec) return close();
  if (!keep_alive) return linger();
  kept_alive_ = true;
  wait_for_request();
}

void HttpSession::fail(beast::error_code ec) {
  int status = status_for(ec, timed_out_);
  disarm_deadline();
  if (status == 0) return close();
  send(error_response(status, message_for(status)), false);
}

void HttpSession::linger() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.expires_never();
  arm_deadline(kLingerMs);
  drain();
}

void HttpSession::drain() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(kDrainChunk),
                          [self = shared_from_this()](beast::error_code ec, size_t) {
                            if (ec) return self->close();
                            self->drain();
                          });
}

void HttpSession::close() {
  idle_ = false;
  disarm_deadline();
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

}  // namespace halo
