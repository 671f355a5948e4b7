// host_api_mailbox.h -- mailbox_request of the host table (plugin ABI
// 1.2), backed by halo::MailboxConnection (core/http/mailbox_client.h).
// Contract in plugin.h: HALO_OK answered, HALO_RETRY transient, HALO_ERROR
// refused, HALO_FATAL set-up; *out holds the answer or why there is none,
// never the password. Metrics on the context: mailbox.requests,
// mailbox.failures, mailbox.connections. Never throws.
#pragma once

#include <halo/plugin.h>

namespace halo {

int32_t host_mailbox_request(halo_context *ctx, const halo_mailbox_request *request,
                             halo_http_response **out);

}  // namespace halo
