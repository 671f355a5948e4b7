// webhook_signature.cpp -- see webhook_signature.h.
#include "webhook_signature.h"

#include "common/crypto.h"

namespace halo::plugins::webhook {

std::optional<std::string> signing_key(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  if (!secret.starts_with(kPrefix)) {
    if (secret.empty()) return std::nullopt;
    return std::string(secret);
  }
  std::optional<std::string> key = base64_decode(secret.substr(kPrefix.size()));
  if (!key || key->empty()) return std::nullopt;
  return key;
}

std::string sign(std::string_view key, std::string_view id, int64_t timestamp_s,
                 std::string_view body) {
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id).append(".").append(std::to_string(timestamp_s)).append(".").append(body);
  return "v1," + base64_encode(hmac(HmacAlgorithm::kSha256, key, content));
}

}  // namespace halo::plugins::webhook
