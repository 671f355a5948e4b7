// webhook_oauth.h -- the OAuth 2.0 option of SendGrid's Event Webhook
// (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features):
// SendGrid asks the webhook's token URL for an access token with the
// client credentials grant (RFC 6749, section 4.4) and posts events with
// `Authorization: Bearer TOKEN` (RFC 6750). Halo is both ends here: it
// answers the token URL and checks the token on every post.
//
// Tokens are stateless: "hsg1." + expiry (Unix seconds) + "." + base64 of
// HMAC-SHA256 under the client secret over the client id and the expiry.
// Any server thread and any restart of `halo serve` checks them without
// shared state, and a new secret voids every token issued under the old.
//
// Invariants: nothing here throws for any input; secrets and tokens are
// compared in constant time; a token is valid only before its expiry.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace halo::plugins::sendgrid {

// A token request's answer (RFC 6749, sections 5.1 and 5.2).
struct TokenAnswer {
  int status = 200;
  std::string body;              // JSON
  std::string www_authenticate;  // set on 401 to a request that used Basic
};

class WebhookTokens {
 public:
  static constexpr int64_t kLifetimeS = 3600;
  static constexpr size_t kMaxRequestBytes = 4096;

  WebhookTokens(std::string client_id, std::string client_secret)
      : client_id_(std::move(client_id)), client_secret_(std::move(client_secret)) {}

  // A POST to the token URL: client authentication by HTTP Basic or by
  // `client_id` and `client_secret` in the form body (RFC 6749, section
  // 2.3.1; one of them, not both), `grant_type` client_credentials (or
  // absent), an application/x-www-form-urlencoded body of at most
  // kMaxRequestBytes.
  TokenAnswer answer(std::string_view authorization, std::string_view body, int64_t now_s) const;

  // Whether `authorization` is "Bearer TOKEN" with a token issued under
  // this client that has not expired at `now_s`.
  bool authorizes(std::string_view authorization, int64_t now_s) const;

  std::string issue(int64_t now_s) const;

 private:
  std::string mac(int64_t expiry_s) const;
  bool is_client(std::string_view id, std::string_view secret) const;

  std::string client_id_, client_secret_;
};

}  // namespace halo::plugins::sendgrid
