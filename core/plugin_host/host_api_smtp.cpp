// host_api_smtp.cpp -- see host_api_smtp.h. Converts the C request into an
// SmtpCall and the outcome into a status, with the plugin's cancel flag,
// on the connection the instance keeps (halo_context::smtp).
#include "plugin_host/host_api_smtp.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <new>

#include "common/secrets.h"
#include "http/smtp_client.h"
#include "plugin_host/host_api.h"

namespace halo {
namespace {

constexpr size_t kRequestSize = offsetof(halo_smtp_request, data_len) + sizeof(size_t);
constexpr int kDefaultTimeoutMs = 30000;

std::string text_or_empty(const char *s) {
  return s ? std::string(s) : std::string();
}

// Builds the call or returns why the request is malformed.
std::string to_call(const halo_smtp_request *r, SmtpCall &call) {
  if (r == nullptr) return "smtp_send: request is NULL";
  if (r->struct_size < kRequestSize) {
    return "smtp_send: struct_size " + std::to_string(r->struct_size) +
           " is smaller than halo_smtp_request (" + std::to_string(kRequestSize) + ")";
  }
  if (r->url == nullptr || r->mail_from == nullptr)
    return "smtp_send: url and mail_from are required";
  if (r->recipient_count > 0 && r->recipients == nullptr) return "smtp_send: recipients is NULL";
  if (r->data == nullptr && r->data_len > 0) return "smtp_send: data is NULL but data_len > 0";
  if (r->timeout_ms < 0) return "smtp_send: timeout_ms must be >= 0 (0 = 30000)";
  call.url = r->url;
  call.username = text_or_empty(r->username);
  call.password = text_or_empty(r->password);
  // Masked in every log; registered once, not per message (adding rebuilds
  // the registry under its exclusive lock).
  if (!call.password.empty() && !secrets().contains_secret(call.password)) {
    secrets().add(call.password);
  }
  call.ca_file = text_or_empty(r->ca_file);
  call.insecure = r->insecure != 0;
  call.plaintext = r->plaintext != 0;
  call.timeout_ms = r->timeout_ms > 0 ? r->timeout_ms : kDefaultTimeoutMs;
  call.mail_from = r->mail_from;
  for (size_t i = 0; i < std::min(r->recipient_count, kMaxSmtpRecipients + 1); ++i) {
    if (r->recipients[i] == nullptr)
      return "smtp_send: recipient " + std::to_string(i) + " is NULL";
    call.recipients.emplace_back(r->recipients[i]);
  }
  if (r->data_len <= kMaxSmtpMessageBytes)
    call.data.assign(r->data, r->data_len);
  else
    call.data.assign(kMaxSmtpMessageBytes + 1, ' ');  // refused by validate
  const std::string bad = validate_smtp_call(call);
  return bad.empty() ? "" : "smtp_send: " + bad;
}

void copy_reply(const std::string &text, char *reply, size_t cap) {
  if (reply == nullptr || cap == 0) return;
  const size_t n = std::min(text.size(), cap - 1);
  std::memcpy(reply, text.data(), n);
  reply[n] = '\0';
}

int32_t send_impl(halo_context *ctx, const halo_smtp_request *request, int32_t *reply_code,
                  char *reply, size_t reply_cap) {
  SmtpCall call;
  if (std::string bad = to_call(request, call); !bad.empty()) {
    ctx->error = bad;
    copy_reply(bad, reply, reply_cap);
    return HALO_FATAL;
  }
  auto cancelled = [ctx] { return ctx->cancel != nullptr && ctx->cancel->load(); };
  SmtpOutcome out;
  {
    std::unique_lock<std::mutex> kept(ctx->smtp.busy, std::try_to_lock);
    if (kept.owns_lock()) {
      const uint64_t before = ctx->smtp.connection.connections();
      out = ctx->smtp.connection.send(call, cancelled);
      ctx->metrics.add("smtp.connections", ctx->smtp.connection.connections() - before);
    } else {
      out = send_smtp(call, cancelled);
      ctx->metrics.add("smtp.connections", 1);
    }
  }
  ctx->metrics.add("smtp.messages", 1);
  if (reply_code) *reply_code = out.reply_code;
  copy_reply(out.reply, reply, reply_cap);
  switch (out.kind) {
    case SmtpOutcome::Kind::kAccepted:
      return HALO_OK;
    case SmtpOutcome::Kind::kRefused:
      ctx->metrics.add("smtp.failures", 1);
      return HALO_ERROR;
    case SmtpOutcome::Kind::kFatal:
      ctx->metrics.add("smtp.failures", 1);
      return HALO_FATAL;
    case SmtpOutcome::Kind::kTransient:
      break;
  }
  ctx->metrics.add("smtp.failures", 1);
  return HALO_RETRY;
}

}  // namespace

int32_t host_smtp_send(halo_context *ctx, const halo_smtp_request *request, int32_t *reply_code,
                       char *reply, size_t reply_cap) {
  if (reply_code) *reply_code = 0;
  copy_reply("", reply, reply_cap);
  if (ctx == nullptr) return HALO_FATAL;
  try {
    return send_impl(ctx, request, reply_code, reply, reply_cap);
  } catch (const std::bad_alloc &) {
    copy_reply("smtp_send: out of memory", reply, reply_cap);
    return HALO_RETRY;
  } catch (...) {
    copy_reply("smtp_send: internal error in the SMTP client", reply, reply_cap);
    return HALO_RETRY;
  }
}

}  // namespace halo
