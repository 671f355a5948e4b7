// host_api_smtp.h -- smtp_send and smtp_send_many of the host table (plugin
// ABI 1.2), backed by halo::SmtpConnection (core/http/smtp_client.h). Contract in plugin.h: HALO_OK
// accepted, HALO_RETRY transient, HALO_ERROR refused for good, HALO_FATAL
// set-up; the reply is always NUL-terminated within reply_cap and never
// holds the password. Metrics on the context: smtp.messages,
// smtp.failures. Never throws.
#pragma once

#include <halo/plugin.h>

namespace halo {

int32_t host_smtp_send(halo_context *ctx, const halo_smtp_request *request, int32_t *reply_code,
                       char *reply, size_t reply_cap);
void host_smtp_send_many(halo_context *ctx, const halo_smtp_request *const *requests, size_t n,
                         int32_t *results, int32_t *reply_codes, char *replies, size_t reply_cap);

}  // namespace halo
