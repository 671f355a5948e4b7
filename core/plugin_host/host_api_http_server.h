// host_api_http_server.h -- the HTTP server functions of the host table
// (plugin ABI 1.2): http_route_add / http_server_port and the request
// accessors and response setters handed to route handlers, backed by the
// process's HttpServerHub (core/http_server).
//
// Contract (plugin.h, halo_http_handler and http_route_add): routes belong
// to the context that added them and are removed by drop_http_routes(),
// which the plugin host calls before the instance's stop()/destroy(); it
// waits for running handler calls. Handlers run on server threads; the
// handle structs below live on the server thread's stack for one call.
// Nothing here throws into plugin code; bad arguments are ignored.
#pragma once

#include <halo/plugin.h>

#include "http_server/server_exchange.h"

struct halo_http_server_request {
  const halo::ServerRequest *request;
};

struct halo_http_server_response {
  halo::ServerResponse *response;
};

namespace halo {

int32_t host_http_route_add(halo_context *ctx, const halo_http_route *route, char *message,
                            size_t message_cap);
int32_t host_http_server_port(halo_context *ctx);
void host_http_req_method(const halo_http_server_request *r, const char **out, size_t *len);
void host_http_req_path(const halo_http_server_request *r, const char **out, size_t *len);
void host_http_req_query(const halo_http_server_request *r, const char **out, size_t *len);
int32_t host_http_req_header(const halo_http_server_request *r, const char *name,
                             const char **value, size_t *len);
void host_http_req_body(const halo_http_server_request *r, const char **out, size_t *len);
void host_http_resp_status(halo_http_server_response *r, int32_t status);
void host_http_resp_header(halo_http_server_response *r, const char *name, const char *value);
void host_http_resp_body(halo_http_server_response *r, const char *data, size_t len);

// Removes every route the context added (waiting for running calls).
void drop_http_routes(halo_context *ctx);

}  // namespace halo
