// server_hub.cpp -- lazy start, address policy and route leases of the
// process's HTTP server (see server_hub.h).
#include "http_server/server_hub.h"

#include <cstdlib>

namespace halo {

RouteLease::RouteLease(RouteLease &&o) noexcept : hub_(o.hub_), route_(std::move(o.route_)) {
  o.hub_ = nullptr;
}

RouteLease &RouteLease::operator=(RouteLease &&o) noexcept {
  if (this != &o) {
    reset();
    hub_ = o.hub_;
    route_ = std::move(o.route_);
    o.hub_ = nullptr;
  }
  return *this;
}

void RouteLease::reset() {
  if (hub_ && route_) hub_->remove(route_);
  hub_ = nullptr;
  route_.reset();
}

bool split_listen(const std::string &listen, std::string &host, int &port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return false;
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  char *end = nullptr;
  long p = std::strtol(listen.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || p < 0 || p > 65535) return false;
  port = static_cast<int>(p);
  return true;
}

HttpServerHub &HttpServerHub::instance() {
  static HttpServerHub hub;
  return hub;
}

void HttpServerHub::configure(std::string listen, HttpServerLimits limits) {
  std::lock_guard<std::mutex> lock(mutex_);
  configured_listen_ = std::move(listen);
  limits_ = limits;
}

int HttpServerHub::port() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return server_ ? server_->port() : 0;
}

Result<RouteLease> HttpServerHub::add_route(std::string method, std::string path,
                                            RouteHandler handler, const std::string &listen_hint) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Status st = ensure_started(listen_hint); !st.ok()) return st;
  std::string what = method + " " + path;
  auto route = routes_->add(std::move(method), std::move(path), std::move(handler));
  if (!route) return Status::Invalid("HTTP route " + what + " is already registered");
  return RouteLease(this, std::move(route));
}

Status HttpServerHub::ensure_started(const std::string &listen_hint) {
  std::string wanted = !configured_listen_.empty() ? configured_listen_
                       : !listen_hint.empty()      ? listen_hint
                                                   : std::string(kDefaultListen);
  if (!configured_listen_.empty() && !listen_hint.empty() && listen_hint != configured_listen_) {
    return Status::Invalid("listen " + listen_hint + " differs from the pipeline's http.listen " +
                           configured_listen_ +
                           ": a halo process has one HTTP server; remove the plugin's listen");
  }
  if (server_) {
    if (wanted == listening_on_) return Status::Ok();
    return Status::Invalid("the HTTP server already listens on " + listening_on_ +
                           "; a halo process has one HTTP server, so listen " + wanted +
                           " cannot be used too");
  }
  std::string host;
  int port = 0;
  if (!split_listen(wanted, host, port)) {
    return Status::Invalid("HTTP listen address '" + wanted + "' must be HOST:PORT");
  }
  if (std::string bad = validate(limits_); !bad.empty()) return Status::Invalid("http: " + bad);
  auto server = std::make_unique<HttpServer>(limits_, routes_);
  if (Status st = server->start(host, port); !st.ok()) return st;
  server_ = std::move(server);
  listening_on_ = wanted;
  return Status::Ok();
}

void HttpServerHub::stay_up() {
  std::lock_guard<std::mutex> lock(mutex_);
  stay_up_ = true;
}

void HttpServerHub::shut_down() {
  std::unique_ptr<HttpServer> last;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stay_up_ = false;
    last = std::move(server_);
  }
  if (last) last->stop();  // graceful, bounded by shutdown_grace_ms
}

void HttpServerHub::remove(const std::shared_ptr<Route> &route) {
  routes_->remove(route);  // waits for running calls; never under mutex_
  std::unique_ptr<HttpServer> last;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (routes_->empty() && !stay_up_) last = std::move(server_);
  }
  if (last) last->stop();  // graceful, bounded by shutdown_grace_ms
}

}  // namespace halo
