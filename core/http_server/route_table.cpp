// route_table.cpp -- route lookup and removal that waits for running calls
// (see route_table.h). Each route has a shared_mutex: a call holds it
// shared for its duration, remove() takes it exclusively after unlisting the
// route, which is exactly "wait until the running calls have returned".
#include "http_server/route_table.h"

#include <shared_mutex>

namespace halo {

struct Route {
  std::string method, path;
  RouteHandler handler;
  std::shared_mutex calls;
  bool removed = false;  // guarded by `calls`
};

std::shared_ptr<Route> RouteTable::add(std::string method, std::string path, RouteHandler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto &r : routes_) {
    if (r->method == method && r->path == path) return nullptr;
  }
  removed_.erase({method, path});
  auto route = std::make_shared<Route>();
  route->method = std::move(method);
  route->path = std::move(path);
  route->handler = std::move(handler);
  routes_.push_back(route);
  return route;
}

void RouteTable::remove(const std::shared_ptr<Route> &route) {
  if (!route) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::erase(routes_, route);
    removed_.insert({route->method, route->path});
  }
  std::unique_lock<std::shared_mutex> wait_for_calls(route->calls);
  route->removed = true;
}

bool RouteTable::empty() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return routes_.empty();
}

std::shared_ptr<Route> RouteTable::find(const std::string &method, const std::string &path,
                                        std::string &allowed, bool &removed) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto &r : routes_) {
    if (r->path != path) continue;
    if (r->method == method) return r;
    allowed += (allowed.empty() ? "" : ", ") + r->method;
  }
  removed = removed_.count({method, path}) > 0;
  return nullptr;
}

void RouteTable::dispatch(const ServerRequest &request, ServerResponse &response) const {
  std::string allowed;
  bool removed = false;
  std::shared_ptr<Route> route = find(request.method, request.path, allowed, removed);
  if (route) {
    std::shared_lock<std::shared_mutex> call(route->calls);
    if (!route->removed) return route->handler(request, response);
    removed = true;  // removed while this request looked it up
  }
  if (removed) {
    response = error_response(503, "this route is being set up again; retry");
    response.set_header("Retry-After", "1");
  } else if (allowed.empty()) {
    response = error_response(404, "no route for this path");
  } else {
    response = error_response(405, "method not allowed");
    response.set_header("Allow", allowed);
  }
}

}  // namespace halo
