// webhook_signature.h -- signing a webhook the way the Standard Webhooks
// specification describes (https://www.standardwebhooks.com/, "Signature
// scheme"): HMAC-SHA256 over "<id>.<timestamp>.<body>", sent base64-encoded
// as `webhook-signature: v1,<signature>` beside `webhook-id` and
// `webhook-timestamp` (Unix seconds), so a receiver can check who sent it,
// that it was not altered, and refuse replays outside its time window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace halo::plugins::webhook {

// The signing key of `secret`: the base64 after "whsec_" (the
// specification's form), else the secret's own bytes. nullopt for a
// "whsec_" secret that is not base64, or an empty key.
std::optional<std::string> signing_key(std::string_view secret);

// "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>".
std::string sign(std::string_view key, std::string_view id, int64_t timestamp_s,
                 std::string_view body);

}  // namespace halo::plugins::webhook
