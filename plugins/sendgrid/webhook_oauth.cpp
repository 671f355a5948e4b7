// webhook_oauth.cpp -- WebhookTokens (webhook_oauth.h).
#include "webhook_oauth.h"

#include <charconv>
#include <optional>

#include "common/crypto.h"
#include "common/wire_text.h"

namespace halo::plugins::sendgrid {
namespace {

constexpr std::string_view kPrefix = "hsg1.";

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

TokenAnswer error(int status, std::string_view code, std::string_view description) {
  TokenAnswer a;
  a.status = status;
  a.body = "{\"error\":\"" + std::string(code) + "\",\"error_description\":\"" +
           std::string(description) + "\"}";
  return a;
}

// The credentials after `scheme` (matched without regard to case, RFC
// 7235 section 2.1), or nullopt for another scheme.
std::optional<std::string_view> credentials(std::string_view authorization,
                                            std::string_view scheme) {
  if (authorization.size() <= scheme.size() || authorization[scheme.size()] != ' ') {
    return std::nullopt;
  }
  for (size_t i = 0; i < scheme.size(); ++i) {
    if (lower(authorization[i]) != lower(scheme[i])) return std::nullopt;
  }
  std::string_view rest = authorization.substr(scheme.size() + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return rest;
}

// `text` form-decoded (RFC 6749 section 2.3.1 encodes both halves of Basic
// credentials so); itself when it is not form-encoded text.
std::string form_decoded(std::string_view text) {
  std::optional<FormFields> one = parse_form("v=" + std::string(text), 1);
  if (!one || one->size() != 1 || (*one)[0].first != "v") return std::string(text);
  return (*one)[0].second;
}

}  // namespace

std::string WebhookTokens::mac(int64_t expiry_s) const {
  const std::string message =
      "halo sendgrid event webhook\n" + client_id_ + "\n" + std::to_string(expiry_s);
  return base64_encode(hmac(HmacAlgorithm::kSha256, client_secret_, message));
}

std::string WebhookTokens::issue(int64_t now_s) const {
  const int64_t expiry = now_s + kLifetimeS;
  return std::string(kPrefix) + std::to_string(expiry) + "." + mac(expiry);
}

bool WebhookTokens::is_client(std::string_view id, std::string_view secret) const {
  // Both compared, always: the time taken says nothing of which differed.
  const bool id_ok = constant_time_equal(id, client_id_);
  const bool secret_ok = constant_time_equal(secret, client_secret_);
  return id_ok && secret_ok;
}

TokenAnswer WebhookTokens::answer(std::string_view authorization, std::string_view body,
                                  int64_t now_s) const {
  if (body.size() > kMaxRequestBytes) {
    return error(400, "invalid_request", "the request is larger than 4096 bytes");
  }
  std::optional<FormFields> fields = parse_form(body, 16);
  if (!fields) return error(400, "invalid_request", "the body is not form-urlencoded");
  std::optional<std::string> grant, id, secret;
  for (auto &[name, value] : *fields) {
    std::optional<std::string> *slot = name == "grant_type"      ? &grant
                                       : name == "client_id"     ? &id
                                       : name == "client_secret" ? &secret
                                                                 : nullptr;
    if (slot == nullptr) continue;  // scope and the like: nothing to grant by them
    if (*slot) return error(400, "invalid_request", "a parameter is repeated");
    *slot = std::move(value);
  }
  if (grant && *grant != "client_credentials") {
    return error(400, "unsupported_grant_type", "only client_credentials is granted");
  }
  const std::optional<std::string_view> basic = credentials(authorization, "Basic");
  if (basic && (id || secret)) {
    return error(400, "invalid_request", "client credentials given twice");
  }
  bool known = false;
  if (basic) {
    const std::optional<std::string> pair = base64_decode(*basic);
    const size_t colon = pair ? pair->find(':') : std::string::npos;
    if (colon != std::string::npos) {
      const std::string_view raw_id = std::string_view(*pair).substr(0, colon);
      const std::string_view raw_secret = std::string_view(*pair).substr(colon + 1);
      known = is_client(form_decoded(raw_id), form_decoded(raw_secret)) ||
              is_client(raw_id, raw_secret);
    }
  } else if (id && secret) {
    known = is_client(*id, *secret);
  } else {
    return error(400, "invalid_request", "no client credentials");
  }
  if (!known) {
    TokenAnswer a = error(401, "invalid_client", "unknown client or wrong secret");
    if (basic) a.www_authenticate = "Basic realm=\"halo\", charset=\"UTF-8\"";
    return a;
  }
  TokenAnswer a;
  a.body = "{\"access_token\":\"" + issue(now_s) +
           "\",\"token_type\":\"Bearer\",\"expires_in\":" + std::to_string(kLifetimeS) + "}";
  return a;
}

bool WebhookTokens::authorizes(std::string_view authorization, int64_t now_s) const {
  std::optional<std::string_view> token = credentials(authorization, "Bearer");
  if (!token || !token->starts_with(kPrefix)) return false;
  token->remove_prefix(kPrefix.size());
  const size_t dot = token->find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 18) return false;
  int64_t expiry = 0;
  const char *first = token->data();
  if (std::from_chars(first, first + dot, expiry).ptr != first + dot) return false;
  // Checked before the expiry, so a forged expiry costs as much as an old one.
  const bool genuine = constant_time_equal(token->substr(dot + 1), mac(expiry));
  return genuine && now_s < expiry;
}

}  // namespace halo::plugins::sendgrid
