// host_api_http.cpp -- see host_api_http.h. Converts the C request into an
// HttpCall, runs HttpClient with hooks bound to the plugin's context (its
// log label, metrics and cancel flag), and wraps the result.
#include "plugin_host/host_api_http.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/secrets.h"
#include "http/http_client.h"
#include "http/url_parts.h"
#include "plugin_host/host_api.h"

namespace halo {
namespace {

constexpr size_t kRequestSize11 = offsetof(halo_http_request, ca_file) + sizeof(const char *);
constexpr size_t kRequestSizeKeepAlive = offsetof(halo_http_request, keep_alive) + sizeof(int32_t);
constexpr int kDefaultTimeoutMs = 30000;
constexpr int kMaxAttempts = RetryPolicy::kMaxMaxAttempts;

// Builds the call or returns why the request is malformed.
std::string to_call(const halo_http_request *r, int default_attempts, HttpCall &call) {
  if (r == nullptr) return "http_request: request is NULL";
  if (r->struct_size < kRequestSize11) {
    return "http_request: struct_size " + std::to_string(r->struct_size) +
           " is smaller than halo_http_request of ABI 1.1 (" + std::to_string(kRequestSize11) +
           "); set struct_size = sizeof(halo_http_request)";
  }
  if (r->method == nullptr || r->url == nullptr) return "http_request: method and url are required";
  if (r->header_count > 0 && r->headers == nullptr) return "http_request: headers is NULL";
  if (r->body_len > 0 && r->body == nullptr) return "http_request: body is NULL but body_len > 0";
  if (r->timeout_ms < 0) return "http_request: timeout_ms must be >= 0 (0 = 30000)";
  if (r->max_attempts < 0 || r->max_attempts > kMaxAttempts) {
    return "http_request: max_attempts must be 0..20 (0 = http.retry.max_attempts, default 5)";
  }
  call.method = r->method;
  call.url = r->url;
  for (size_t i = 0; i < r->header_count; ++i) {
    const halo_http_header &h = r->headers[i];
    if (h.name == nullptr || h.value == nullptr) {
      return "http_request: header " + std::to_string(i) + " has a NULL name or value";
    }
    call.headers.emplace_back(h.name, h.value);
    secrets().add_header(h.name, h.value);  // a server may echo it in an error body
  }
  secrets().add_url_query(call.url);
  if (r->body_len > 0) call.body.assign(r->body, r->body_len);
  call.timeout_ms = r->timeout_ms > 0 ? r->timeout_ms : kDefaultTimeoutMs;
  call.max_attempts = r->max_attempts > 0 ? r->max_attempts : default_attempts;
  call.insecure = r->insecure != 0;
  if (r->ca_file != nullptr) call.ca_file = r->ca_file;
  call.keep_alive = r->struct_size >= kRequestSizeKeepAlive && r->keep_alive != 0;
  return validate_http_call(call);
}

// The insecure warning is logged once per (instance label, host), not on
// every page of a paginated fetch.
bool first_insecure_warning(const std::string &label, const std::string &message) {
  static std::mutex mutex;
  static std::set<std::string> warned;
  std::lock_guard<std::mutex> lock(mutex);
  return warned.insert(label + "\n" + message).second;
}

HttpHooks hooks_for(halo_context *ctx) {
  HttpHooks h;
  h.cancelled = [ctx] { return ctx->cancel != nullptr && ctx->cancel->load(); };
  h.log = [ctx](LogLevel level, const std::string &message) {
    if (level == LogLevel::kWarn && !first_insecure_warning(ctx->label, message)) return;
    log_message(level, ctx->label, message);
  };
  h.on_retry = [ctx](const RetryNotice &n) {
    ctx->metrics.add("http.retries", 1);
    log_message(LogLevel::kInfo, ctx->label, HttpClient::describe(n));
  };
  return h;
}

// Counts the performed request and turns a transport failure into the
// status http_request returns (its message kept as the body).
int32_t finish(halo_context *ctx, HttpResult &r) {
  ctx->metrics.add("http.requests", 1);
  if (r.status != 0) return HALO_OK;
  ctx->metrics.add("http.transport_failures", 1);
  r.body = r.error;
  r.headers.clear();
  return r.permanent ? HALO_FATAL : HALO_RETRY;
}

int32_t request_impl(halo_context *ctx, const halo_http_request *request,
                     halo_http_response **out) {
  HttpCall call;
  if (std::string bad = to_call(request, ctx->retry.policy().max_attempts, call); !bad.empty()) {
    ctx->error = bad;
    return HALO_ERROR;
  }
  auto response = std::make_unique<halo_http_response>();
  response->result = HttpClient(hooks_for(ctx)).perform(call, &ctx->retry);
  const int32_t status = finish(ctx, response->result);
  if (status != HALO_OK) ctx->error = response->result.error;
  *out = response.release();
  return status;
}

// One request of http_request_many, on a worker thread: never throws.
HttpResult perform_one(halo_context *ctx, const HttpCall &call) noexcept {
  try {
    return HttpClient(hooks_for(ctx)).perform(call, &ctx->retry);
  } catch (...) {
    HttpResult r;
    r.error =
        call.method + " " + url_without_query(call.url) + ": internal error in the HTTP client";
    return r;
  }
}

// Every call checked before any is sent; then up to ctx->http_concurrency
// performed at once, each by the next free worker (this thread included).
void request_many_impl(halo_context *ctx, const halo_http_request *const *requests, size_t n,
                       halo_http_response **out, int32_t *results) {
  std::vector<HttpCall> calls(n);
  for (size_t i = 0; i < n; ++i) {
    std::string bad = requests[i] == nullptr
                          ? std::string("http_request: request is NULL")
                          : to_call(requests[i], ctx->retry.policy().max_attempts, calls[i]);
    if (!bad.empty()) {
      ctx->error = "http_request_many: request " + std::to_string(i) + ": " + bad;
      return;
    }
  }
  std::vector<HttpResult> done(n);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) done[i] = perform_one(ctx, calls[i]);
  };
  const size_t workers =
      std::min<size_t>(n, static_cast<size_t>(std::max(1, ctx->http_concurrency)));
  std::vector<std::thread> threads;
  threads.reserve(workers > 0 ? workers - 1 : 0);
  try {
    for (size_t k = 1; k < workers; ++k) threads.emplace_back(work);
  } catch (...) {
    // No more threads: the ones started (and this one) do the rest.
  }
  work();
  for (std::thread &t : threads) t.join();
  for (size_t i = 0; i < n; ++i) {
    auto response = std::make_unique<halo_http_response>();
    response->result = std::move(done[i]);
    results[i] = finish(ctx, response->result);
    out[i] = response.release();
  }
}

}  // namespace

int32_t host_http_request(halo_context *ctx, const halo_http_request *request,
                          halo_http_response **out) {
  if (out == nullptr) return HALO_ERROR;
  *out = nullptr;
  if (ctx == nullptr) return HALO_ERROR;
  try {
    return request_impl(ctx, request, out);
  } catch (const std::bad_alloc &) {
    ctx->error = "http_request: out of memory";
    return HALO_ERROR;
  } catch (...) {
    ctx->error = "http_request: internal error in the HTTP client";
    return HALO_ERROR;
  }
}

void host_http_request_many(halo_context *ctx, const halo_http_request *const *requests, size_t n,
                            halo_http_response **out, int32_t *results) {
  if (out == nullptr || results == nullptr) return;
  for (size_t i = 0; i < n; ++i) {
    out[i] = nullptr;
    results[i] = HALO_ERROR;
  }
  if (ctx == nullptr || n == 0) return;
  if (requests == nullptr) {
    ctx->error = "http_request_many: requests is NULL";
    return;
  }
  try {
    request_many_impl(ctx, requests, n, out, results);
  } catch (...) {  // out of memory: nothing handed out
    for (size_t i = 0; i < n; ++i) {
      if (out[i] != nullptr) delete out[i];  // NOLINT: owned until returned
      out[i] = nullptr;
      results[i] = HALO_ERROR;
    }
    ctx->error = "http_request_many: out of memory";
  }
}

int32_t host_http_status(const halo_http_response *r) {
  return r ? r->result.status : 0;
}

void host_http_body(const halo_http_response *r, const char **data, size_t *len) {
  if (data) *data = r ? r->result.body.data() : "";
  if (len) *len = r ? r->result.body.size() : 0;
}

int32_t host_http_header(const halo_http_response *r, const char *name, const char **value,
                         size_t *len) {
  const std::string *v = (r && name) ? r->result.header(name) : nullptr;
  if (value) *value = v ? v->data() : nullptr;
  if (len) *len = v ? v->size() : 0;
  return v ? 1 : 0;
}

int32_t host_http_attempts(const halo_http_response *r) {
  return r ? r->result.attempts : 0;
}

void host_http_free(halo_http_response *r) {
  delete r;
}

}  // namespace halo
