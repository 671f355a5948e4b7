// host_api_smtp.cpp -- see host_api_smtp.h. Converts the C request into an
// SmtpCall and the outcome into a status, with the plugin's cancel flag,
// on the connection the instance keeps (halo_context::smtp).
#include "plugin_host/host_api_smtp.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <thread>
#include <vector>

#include "http/smtp_client.h"
#include "plugin_host/host_api.h"
#include "plugin_host/host_api_login.h"

namespace halo {
namespace {

constexpr size_t kSmtpRequestSize = offsetof(halo_smtp_request, data_len) + sizeof(size_t);

// Builds the call or returns why the request is malformed.
std::string to_call(const halo_smtp_request *r, SmtpCall &call) {
  if (r == nullptr) return "smtp_send: request is NULL";
  if (r->struct_size < kSmtpRequestSize) {
    return "smtp_send: struct_size " + std::to_string(r->struct_size) +
           " is smaller than halo_smtp_request (" + std::to_string(kSmtpRequestSize) + ")";
  }
  if (r->url == nullptr || r->mail_from == nullptr)
    return "smtp_send: url and mail_from are required";
  if (r->recipient_count > 0 && r->recipients == nullptr) return "smtp_send: recipients is NULL";
  if (r->data == nullptr && r->data_len > 0) return "smtp_send: data is NULL but data_len > 0";
  if (r->timeout_ms < 0) return "smtp_send: timeout_ms must be >= 0 (0 = 30000)";
  copy_login(*r, call);
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

// Sends on `kept` when given, else on a connection of its own.
SmtpOutcome send_on(halo_context *ctx, const SmtpCall &call, SmtpConnection *kept) {
  auto cancelled = [ctx] { return ctx->cancel != nullptr && ctx->cancel->load(); };
  if (kept == nullptr) {
    ctx->metrics.add("smtp.connections", 1);
    return send_smtp(call, cancelled);
  }
  const uint64_t before = kept->connections();
  SmtpOutcome out = kept->send(call, cancelled);
  ctx->metrics.add("smtp.connections", kept->connections() - before);
  return out;
}

int32_t status_of(halo_context *ctx, const SmtpOutcome &out) {
  ctx->metrics.add("smtp.messages", 1);
  if (out.kind != SmtpOutcome::Kind::kAccepted) ctx->metrics.add("smtp.failures", 1);
  switch (out.kind) {
    case SmtpOutcome::Kind::kAccepted:
      return HALO_OK;
    case SmtpOutcome::Kind::kRefused:
      return HALO_ERROR;
    case SmtpOutcome::Kind::kFatal:
      return HALO_FATAL;
    case SmtpOutcome::Kind::kTransient:
      break;
  }
  return HALO_RETRY;
}

// Writes the outcome to the caller's reply buffer; returns its status.
int32_t report(halo_context *ctx, const SmtpOutcome &out, int32_t *reply_code, char *reply,
               size_t reply_cap) {
  if (reply_code) *reply_code = out.reply_code;
  copy_reply(out.reply, reply, reply_cap);
  return status_of(ctx, out);
}

int32_t send_impl(halo_context *ctx, const halo_smtp_request *request, int32_t *reply_code,
                  char *reply, size_t reply_cap) {
  SmtpCall call;
  if (std::string bad = to_call(request, call); !bad.empty()) {
    ctx->error = bad;
    copy_reply(bad, reply, reply_cap);
    return HALO_FATAL;
  }
  std::unique_lock<std::mutex> kept(ctx->smtp.busy, std::try_to_lock);
  const SmtpOutcome out = send_on(ctx, call, kept.owns_lock() ? &ctx->smtp.connection : nullptr);
  return report(ctx, out, reply_code, reply, reply_cap);
}

// Every request checked on this thread first (a malformed one fails
// alone); then up to ctx->http_concurrency sessions at once, worker k on
// the pool's k-th kept connection, each taking the next message (this
// thread too).
void send_many_impl(halo_context *ctx, const halo_smtp_request *const *requests, size_t n,
                    int32_t *results, int32_t *reply_codes, char *replies, size_t reply_cap) {
  std::vector<SmtpCall> calls(n);
  std::vector<std::string> bad(n);
  for (size_t i = 0; i < n; ++i) {
    bad[i] = requests[i] == nullptr ? "smtp_send: request is NULL" : to_call(requests[i], calls[i]);
  }
  std::lock_guard<std::mutex> pool_lock(ctx->smtp_pool.busy);
  const size_t workers =
      std::min<size_t>(n, static_cast<size_t>(std::max(1, ctx->http_concurrency)));
  auto &pool = ctx->smtp_pool.connections;
  while (pool.size() < workers) pool.push_back(std::make_unique<SmtpConnection>());
  std::atomic<size_t> next{0};
  auto work = [&](SmtpConnection *kept) {
    for (size_t i; (i = next.fetch_add(1)) < n;) {
      char *reply = replies != nullptr ? replies + i * reply_cap : nullptr;
      if (!bad[i].empty()) {
        copy_reply(bad[i], reply, reply_cap);
        results[i] = HALO_FATAL;
        continue;
      }
      results[i] = report(ctx, send_on(ctx, calls[i], kept), &reply_codes[i], reply, reply_cap);
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers > 0 ? workers - 1 : 0);
  try {
    for (size_t k = 1; k < workers; ++k) threads.emplace_back(work, pool[k].get());
  } catch (...) {
    // No more threads: the ones started (and this one) send the rest.
  }
  work(pool[0].get());
  for (std::thread &t : threads) t.join();
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

void host_smtp_send_many(halo_context *ctx, const halo_smtp_request *const *requests, size_t n,
                         int32_t *results, int32_t *reply_codes, char *replies, size_t reply_cap) {
  if (results == nullptr || reply_codes == nullptr || n == 0) return;
  for (size_t i = 0; i < n; ++i) {
    results[i] = HALO_FATAL;
    reply_codes[i] = 0;
    copy_reply("", replies != nullptr ? replies + i * reply_cap : nullptr, reply_cap);
  }
  if (ctx == nullptr) return;
  if (requests == nullptr) {
    ctx->error = "smtp_send_many: requests is NULL";
    return;
  }
  try {
    send_many_impl(ctx, requests, n, results, reply_codes, replies, reply_cap);
  } catch (...) {  // out of memory before a worker ran: nothing was sent
    ctx->error = "smtp_send_many: out of memory";
  }
}

}  // namespace halo
