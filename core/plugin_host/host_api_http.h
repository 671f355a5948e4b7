// host_api_http.h -- the HTTP functions of the host table (plugin ABI 1.1):
// http_request / http_status / http_body / http_header / http_attempts /
// http_free, and (ABI 1.2) http_request_many, backed by halo::HttpClient
// (core/http).
//
// Contract (plugin.h): http_request returns
//   HALO_OK    an HTTP response arrived (any status, also a final 429/5xx);
//   HALO_RETRY the transport kept failing: *out has status 0 and the error
//              message as its body;
//   HALO_FATAL a transport failure retrying cannot fix (TLS certificate not
//              trusted, unusable ca_file, response over 64 MiB): *out as
//              for HALO_RETRY, so sdk.hpp throws it as a fatal halo::Error;
//   HALO_ERROR a malformed request: *out = NULL, message via set_error.
// http_request_many fills results[i] and out[i] as n such calls would,
// performing up to the context's http_concurrency at once on threads of
// its own (joined before it returns); one malformed request fails them
// all before any is sent.
// Messages and logs name the method and URL path, never the query string or
// a header value. Metrics on the context: http.requests, http.retries,
// http.transport_failures. Never throws.
#pragma once

#include <halo/plugin.h>

#include "http/http_call.h"

// The response handle plugins hold (opaque to them).
struct halo_http_response {
  halo::HttpResult result;
};

namespace halo {

int32_t host_http_request(halo_context *ctx, const halo_http_request *request,
                          halo_http_response **out);
int32_t host_http_status(const halo_http_response *response);
void host_http_body(const halo_http_response *response, const char **data, size_t *len);
int32_t host_http_header(const halo_http_response *response, const char *name, const char **value,
                         size_t *len);
int32_t host_http_attempts(const halo_http_response *response);
void host_http_free(halo_http_response *response);
void host_http_request_many(halo_context *ctx, const halo_http_request *const *requests, size_t n,
                            halo_http_response **out, int32_t *results);

}  // namespace halo
