// route_table.h -- the routes of the kernel's HTTP server: exact
// (method, path) pairs mapped to handlers, and the one place that decides
// 404 (no route for the path) and 405 (path known, method not; with an
// Allow header, RFC 9110 §15.5.6).
//
// Thread-safety: every member may be called from any thread. A handler may
// run on several server threads at once. remove() blocks until the calls of
// that route already running have returned; afterwards the handler is never
// called again, so its owner may free what the handler uses.
#pragma once

#include "http_server/server_exchange.h"

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace halo {

// Must fill `response`; may throw (the caller answers 500).
using RouteHandler = std::function<void(const ServerRequest &, ServerResponse &)>;

struct Route;  // opaque outside route_table.cpp

class RouteTable {
 public:
  // Fails (returns nullptr) when the same method and path is taken.
  std::shared_ptr<Route> add(std::string method, std::string path, RouteHandler handler);
  void remove(const std::shared_ptr<Route> &route);
  // Runs the handler of the matching route, or fills a 404/405 answer --
  // or 503 with Retry-After for a method and path whose route was removed
  // and not added again yet (a destination's instance is made afresh for
  // each delivery and adds its routes again: senders retry instead of
  // taking the 404 as final).
  void dispatch(const ServerRequest &request, ServerResponse &response) const;
  bool empty() const;

 private:
  // The route, else the methods the path has (`allowed`) and whether this
  // method and path had a route that was removed (`removed`).
  std::shared_ptr<Route> find(const std::string &method, const std::string &path,
                              std::string &allowed, bool &removed) const;

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Route>> routes_;
  std::set<std::pair<std::string, std::string>> removed_;  // (method, path) not added again
};

}  // namespace halo
