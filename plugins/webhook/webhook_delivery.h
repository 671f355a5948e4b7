// webhook_delivery.h -- what the `webhook` destination sends for one outbox
// message and what it makes of the answer.
//
// Invariants: message_body() is valid JSON for any message (the variables
// are embedded only when they are a JSON object, else `{}`); classify()
// maps every HTTP status to exactly one outcome: 2xx sent; 408, 425, 429
// and 5xx retried (honouring Retry-After in seconds); any other status
// failed for good, since sending the same request again cannot succeed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <halo/sdk.hpp>

#include "common/message_verdict.h"

namespace halo::plugins::webhook {

// {"type":"message","id":..,"idempotency_key":..,"trigger":..,
//  "profile_id":"..","channel":..,"recipient":..,"template":..,
//  "subject":..,"text":..,"html":..,"variables":{..},"attempt":N}
std::string message_body(const halo::Message &m);

using halo::plugins::Verdict;

// The outcome of an HTTP answer: `status`, its Retry-After and
// X-Message-Id headers (when present) and the start of its body.
Verdict classify(int status, std::optional<std::string_view> retry_after,
                 std::optional<std::string_view> message_id, std::string_view body);

}  // namespace halo::plugins::webhook
