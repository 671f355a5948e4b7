// server_hub.h -- the one HTTP server of a halo process. Plugins (through
// the host API) and the kernel add routes here; the server starts on the
// first route and stops, gracefully, when the last route is removed.
//
// Listen address: the pipeline's `http.listen` when configure() set one,
// else the address the first route asked for (a plugin's own legacy
// `listen` option), else kDefaultListen. One server per process: a route
// asking for a different address than the one in use is refused with a
// message naming both.
//
// Thread-safety: all members may be called from any thread. Removing a
// route (RouteLease destructor) waits for that route's running handler
// calls; afterwards the handler is never called again.
#pragma once

#include "common/status.h"
#include "http_server/http_server.h"

#include <memory>
#include <mutex>
#include <string>

namespace halo {

inline constexpr const char *kDefaultListen = "127.0.0.1:8088";

class HttpServerHub;

// Owns one registered route; removes it when destroyed or reset.
class RouteLease {
 public:
  RouteLease() = default;
  RouteLease(HttpServerHub *hub, std::shared_ptr<Route> route) : hub_(hub), route_(route) {}
  RouteLease(RouteLease &&o) noexcept;
  RouteLease &operator=(RouteLease &&o) noexcept;
  ~RouteLease() { reset(); }
  void reset();

 private:
  HttpServerHub *hub_ = nullptr;
  std::shared_ptr<Route> route_;
};

class HttpServerHub {
 public:
  static HttpServerHub &instance();

  // The pipeline's `http:` section; listen may be empty. Takes effect at
  // the next start of the server.
  void configure(std::string listen, HttpServerLimits limits);
  // Registers method + path; starts the server if it is not running.
  Result<RouteLease> add_route(std::string method, std::string path, RouteHandler handler,
                               const std::string &listen_hint);
  // Bound port of the running server, 0 when stopped.
  int port() const;
  // Once started, the server keeps listening when its last route goes
  // (`halo serve`: destinations remove and add their routes around each
  // delivery, and the address must not change under the senders), until
  // shut_down(), which stops it gracefully: call it before returning from
  // main, while the clock and logger the server uses still exist.
  void stay_up();
  void shut_down();

 private:
  friend class RouteLease;
  void remove(const std::shared_ptr<Route> &route);
  Status ensure_started(const std::string &listen_hint);

  mutable std::mutex mutex_;
  std::string configured_listen_;
  HttpServerLimits limits_;
  std::shared_ptr<RouteTable> routes_ = std::make_shared<RouteTable>();
  std::unique_ptr<HttpServer> server_;
  std::string listening_on_;  // the address as configured, e.g. "127.0.0.1:8088"
  bool stay_up_ = false;
};

// Splits "host:port" or "[v6]:port"; false when malformed.
bool split_listen(const std::string &listen, std::string &host, int &port);

}  // namespace halo
