// host_api_mailbox.cpp -- see host_api_mailbox.h. Converts the C request
// into a MailboxCall and the outcome into a status and a response, on the
// connection the instance keeps (halo_context::mailbox).
#include "plugin_host/host_api_mailbox.h"

#include <cstddef>
#include <memory>
#include <new>

#include "http/mailbox_client.h"
#include "plugin_host/host_api.h"
#include "plugin_host/host_api_http.h"
#include "plugin_host/host_api_login.h"

namespace halo {
namespace {

constexpr size_t kMailboxRequestSize = offsetof(halo_mailbox_request, max_bytes) + sizeof(uint64_t);
constexpr size_t kDefaultMaxBytes = 32u << 20;

// Builds the call or returns why the request is malformed.
std::string to_call(const halo_mailbox_request *r, MailboxCall &call) {
  if (r == nullptr) return "mailbox_request: request is NULL";
  if (r->struct_size < kMailboxRequestSize) {
    return "mailbox_request: struct_size " + std::to_string(r->struct_size) +
           " is smaller than halo_mailbox_request (" + std::to_string(kMailboxRequestSize) + ")";
  }
  if (r->url == nullptr) return "mailbox_request: url is required";
  if (r->timeout_ms < 0) return "mailbox_request: timeout_ms must be >= 0 (0 = 30000)";
  copy_login(*r, call);
  call.command = r->command ? std::string(r->command) : std::string();
  call.max_bytes =
      r->max_bytes > 0
          ? static_cast<size_t>(std::min<uint64_t>(r->max_bytes, kMaxMailboxAnswerBytes + 1))
          : kDefaultMaxBytes;
  const std::string bad = validate_mailbox_call(call);
  return bad.empty() ? "" : "mailbox_request: " + bad;
}

int32_t status_of(MailboxOutcome::Kind kind) {
  switch (kind) {
    case MailboxOutcome::Kind::kAnswered:
      return HALO_OK;
    case MailboxOutcome::Kind::kRefused:
      return HALO_ERROR;
    case MailboxOutcome::Kind::kFatal:
      return HALO_FATAL;
    case MailboxOutcome::Kind::kTransient:
      break;
  }
  return HALO_RETRY;
}

MailboxOutcome request_impl(halo_context *ctx, const halo_mailbox_request *request) {
  MailboxCall call;
  if (std::string bad = to_call(request, call); !bad.empty()) {
    ctx->error = bad;
    return {MailboxOutcome::Kind::kFatal, bad};
  }
  auto cancelled = [ctx] { return ctx->cancel != nullptr && ctx->cancel->load(); };
  std::unique_lock<std::mutex> kept(ctx->mailbox.busy, std::try_to_lock);
  if (!kept.owns_lock()) {  // a plugin's second thread: a connection of its own
    MailboxConnection own;
    ctx->metrics.add("mailbox.connections", 1);
    return own.request(call, cancelled);
  }
  const uint64_t before = ctx->mailbox.connection.connections();
  MailboxOutcome out = ctx->mailbox.connection.request(call, cancelled);
  ctx->metrics.add("mailbox.connections", ctx->mailbox.connection.connections() - before);
  return out;
}

}  // namespace

int32_t host_mailbox_request(halo_context *ctx, const halo_mailbox_request *request,
                             halo_http_response **out) {
  if (out != nullptr) *out = nullptr;
  if (ctx == nullptr || out == nullptr) return HALO_FATAL;
  try {
    auto response = std::make_unique<halo_http_response>();
    MailboxOutcome outcome = request_impl(ctx, request);
    ctx->metrics.add("mailbox.requests", 1);
    if (outcome.kind != MailboxOutcome::Kind::kAnswered) ctx->metrics.add("mailbox.failures", 1);
    response->result.body = std::move(outcome.text);
    *out = response.release();
    return status_of(outcome.kind);
  } catch (const std::bad_alloc &) {
    return HALO_RETRY;
  } catch (...) {
    return HALO_RETRY;
  }
}

}  // namespace halo
