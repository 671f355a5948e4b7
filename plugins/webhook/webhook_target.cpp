// webhook_target.cpp -- see webhook_target.h.
#include "webhook_target.h"

#include "webhook_signature.h"

namespace halo::plugins::webhook {

WebhookTarget read_target(const halo::Host &host) {
  WebhookTarget t;
  t.url = host.string_option("url");
  if (!t.url.starts_with("http://") && !t.url.starts_with("https://")) {
    throw halo::ConfigError("url", "must be an http:// or https:// URL");
  }
  std::optional<std::string> key = signing_key(host.string_option("secret"));
  if (!key) {
    throw halo::ConfigError("secret",
                            "must be non-empty; a whsec_ secret must be base64 after the prefix");
  }
  t.key = std::move(*key);
  return t;
}

std::vector<std::pair<std::string, std::string>> signed_headers(const std::string &key,
                                                                const std::string &id,
                                                                std::string_view body,
                                                                int64_t now) {
  return {{"Content-Type", "application/json"},
          {"webhook-id", id},
          {"webhook-timestamp", std::to_string(now)},
          {"webhook-signature", sign(key, id, now, body)}};
}

}  // namespace halo::plugins::webhook
