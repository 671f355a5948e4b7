// webhook_target.h -- what both webhook destinations (`webhook` for
// messages, `profile-webhook` for profiles) read and send alike: the `url`
// and `secret` options, and the Standard Webhooks headers of a request
// (webhook_signature.h).
#pragma once

#include <halo/sdk.hpp>

#include <string>
#include <utility>
#include <vector>

namespace halo::plugins::webhook {

struct WebhookTarget {
  std::string url;  // http:// or https://
  std::string key;  // the signing key of `secret`
};

// Reads `url` and `secret`; throws halo::ConfigError naming the option that
// is wrong.
WebhookTarget read_target(const halo::Host &host);

// Content-Type (JSON), webhook-id, webhook-timestamp (`now`, Unix seconds)
// and webhook-signature of a request with `id` and `body`.
std::vector<std::pair<std::string, std::string>> signed_headers(const std::string &key,
                                                                const std::string &id,
                                                                std::string_view body, int64_t now);

}  // namespace halo::plugins::webhook
