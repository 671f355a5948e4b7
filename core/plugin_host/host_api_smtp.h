// host_api_smtp.h -- smtp_send of the host table (plugin ABI 1.2), backed by
// halo::send_smtp (core/http/smtp_client.h). Contract in plugin.h: HALO_OK
// accepted, HALO_RETRY transient, HALO_ERROR refused for good, HALO_FATAL
// set-up; the reply is always NUL-terminated within reply_cap and never
// holds the password. Metrics on the context: smtp.messages,
// smtp.failures. Never throws.
#pragma once

#include <halo/plugin.h>

namespace halo {

int32_t host_smtp_send(halo_context *ctx, const halo_smtp_request *request, int32_t *reply_code,
                       char *reply, size_t reply_cap);

}  // namespace halo
