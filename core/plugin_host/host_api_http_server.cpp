// host_api_http_server.cpp -- route registration for plugins and the
// handle accessors their handlers use (see host_api_http_server.h).
#include "plugin_host/host_api_http_server.h"

#include <strings.h>

#include <cctype>

#include <cstring>
#include <string_view>

#include "common/log.h"
#include "http_server/server_hub.h"
#include "plugin_host/host_api.h"

namespace halo {
namespace {

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!std::isalnum(c) && !std::strchr("!#$%&'*+-.^_`|~", c)) return false;
  }
  return true;
}

bool is_field_value(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool framed_by_server(std::string_view name) {
  for (const char *h : {"Content-Length", "Transfer-Encoding", "Connection"}) {
    if (name.size() == std::strlen(h) && strncasecmp(name.data(), h, name.size()) == 0) return true;
  }
  return false;
}

int32_t refuse(char *message, size_t cap, const std::string &why) {
  if (message && cap > 0) {
    size_t n = std::min(cap - 1, why.size());
    std::memcpy(message, why.data(), n);
    message[n] = '\0';
  }
  return HALO_FATAL;
}

// The kernel-side handler that calls the plugin's C handler.
RouteHandler adapt(halo_http_handler handler, void *user) {
  return [handler, user](const ServerRequest &request, ServerResponse &response) {
    halo_http_server_request q{&request};
    halo_http_server_response r{&response};
    if (handler(user, &q, &r) != HALO_OK) response = error_response(500, "route handler failed");
  };
}

}  // namespace

int32_t host_http_route_add(halo_context *ctx, const halo_http_route *route, char *message,
                            size_t cap) {
  if (!ctx || !route || route->struct_size < offsetof(halo_http_route, listen) || !route->handler ||
      !route->method || !route->path) {
    return refuse(message, cap, "HTTP route needs struct_size, method, path and handler");
  }
  std::string method = route->method, path = route->path;
  if (!is_token(method) || path.empty() || path[0] != '/' ||
      path.find_first_of("? \r\n") != std::string::npos) {
    return refuse(message, cap, "HTTP route '" + method + " " + path + "' is malformed");
  }
  if (ctx->dry_run) return HALO_OK;  // halo validate: nothing is served
  bool has_listen = route->struct_size >= offsetof(halo_http_route, listen) + sizeof(char *);
  std::string listen = has_listen && route->listen ? route->listen : "";
  auto lease =
      HttpServerHub::instance().add_route(method, path, adapt(route->handler, route->user), listen);
  if (!lease.ok()) return refuse(message, cap, lease.status().message());
  ctx->http_routes.push_back(std::move(lease.value()));
  log_message(LogLevel::kInfo, ctx->label,
              "HTTP route " + method + " " + path + " on port " +
                  std::to_string(HttpServerHub::instance().port()));
  return HALO_OK;
}

int32_t host_http_server_port(halo_context *) {
  return HttpServerHub::instance().port();
}

void host_http_req_method(const halo_http_server_request *r, const char **out, size_t *len) {
  set_out(r && r->request ? std::string_view(r->request->method) : "", out, len);
}

void host_http_req_path(const halo_http_server_request *r, const char **out, size_t *len) {
  set_out(r && r->request ? std::string_view(r->request->path) : "", out, len);
}

void host_http_req_query(const halo_http_server_request *r, const char **out, size_t *len) {
  set_out(r && r->request ? std::string_view(r->request->query) : "", out, len);
}

int32_t host_http_req_header(const halo_http_server_request *r, const char *name,
                             const char **value, size_t *len) {
  const std::string *v = r && r->request && name ? r->request->header(name) : nullptr;
  set_out(v ? std::string_view(*v) : "", value, len);
  return v ? 1 : 0;
}

void host_http_req_body(const halo_http_server_request *r, const char **out, size_t *len) {
  set_out(r && r->request ? std::string_view(r->request->body) : "", out, len);
}

void host_http_resp_status(halo_http_server_response *r, int32_t status) {
  if (r && r->response && status >= 200 && status <= 599) r->response->status = status;
}

void host_http_resp_header(halo_http_server_response *r, const char *name, const char *value) {
  if (!r || !r->response || !name || !value) return;
  if (!is_token(name) || !is_field_value(value) || framed_by_server(name)) return;
  r->response->set_header(name, value);
}

void host_http_resp_body(halo_http_server_response *r, const char *data, size_t len) {
  if (!r || !r->response || (!data && len > 0)) return;
  r->response->body.assign(data ? data : "", len);
}

void drop_http_routes(halo_context *ctx) {
  if (ctx) ctx->http_routes.clear();
}

}  // namespace halo
