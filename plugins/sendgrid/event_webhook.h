// event_webhook.h -- what both halves of the sendgrid module (the
// destination's receipts, the source's profile events) do with SendGrid's
// Event Webhook
// (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features):
// authenticate its posts by signature, OAuth 2.0 or both.
#pragma once

#include <halo/sdk.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sendgrid_events.h"
#include "webhook_oauth.h"

namespace halo::plugins::sendgrid {

// The options that authenticate an Event Webhook, the same for the
// destination and the source.
inline constexpr halo_option_decl kEventWebhookKey =
    halo::option(HALO_OPT_STRING, "event_webhook_key", nullptr, false,
                 "The Signed Event Webhook's verification key (base64)");
inline constexpr halo_option_decl kOAuthClientId =
    halo::option(HALO_OPT_STRING, "event_webhook_oauth_client_id", nullptr, false,
                 "OAuth client ID given to SendGrid for this webhook");
inline constexpr halo_option_decl kOAuthClientSecret =
    halo::option(HALO_OPT_STRING, "event_webhook_oauth_client_secret", nullptr, false,
                 "OAuth client secret given to SendGrid; use \"${ENV_VAR}\"", true);
inline constexpr halo_option_decl kOAuthTokenUrl =
    halo::option(HALO_OPT_STRING, "event_webhook_oauth_token_url", nullptr, false,
                 "Public URL given to SendGrid as the OAuth token URL; halo answers it on its "
                 "path");

// How posts to one Event Webhook URL are believed: the Signed Event
// Webhook's signature (`event_webhook_key`), OAuth 2.0 bearer tokens
// (`event_webhook_oauth_client_id`, `..._client_secret`, `..._token_url`;
// webhook_oauth.h), or both -- SendGrid's two methods are independent and
// may be used together. Its handlers run on the server's threads; it
// holds no state that changes after construction.
class EventWebhookGuard {
 public:
  // Reads the options; throws halo::ConfigError naming the option when the
  // key is not one, when the OAuth options are not all given together, or
  // when neither method is configured (an unauthenticated webhook would
  // let anyone unsubscribe anyone). `events_url` is the webhook's URL.
  EventWebhookGuard(const halo::Host &host, const std::string &events_url);

  // The route answering OAuth token requests on the token URL's path
  // (`listen` as for halo::HttpRoute); nullptr without OAuth. Keep it
  // alive no longer than this guard.
  std::unique_ptr<halo::HttpRoute> token_route(const std::string &listen = "") const;

  // The events of `req` when it is authenticated by every configured
  // method and its body is an array of events (sendgrid_events.h);
  // otherwise nullopt, with `res` answered 401 (no valid bearer token),
  // 403 (a bad signature; both metric webhooks_refused) or 400.
  std::optional<std::vector<SendgridEvent>> events(const halo::HttpServerRequest &req,
                                                   halo::HttpServerResponse &res) const;

 private:
  void answer_token_request(const halo::HttpServerRequest &req,
                            halo::HttpServerResponse &res) const;

  halo::Host host_;
  std::string key_;  // DER public key; empty: posts are not signed
  std::optional<WebhookTokens> tokens_;
  std::string token_path_;
};

// The source's descriptor (sendgrid_source.cpp), listed beside the
// destination's by the module.
const halo_plugin_descriptor *sendgrid_source_descriptor();

}  // namespace halo::plugins::sendgrid
