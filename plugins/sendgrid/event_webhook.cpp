// event_webhook.cpp -- EventWebhookGuard (event_webhook.h).
#include "event_webhook.h"

#include "common/crypto.h"
#include "common/wire_text.h"

namespace halo::plugins::sendgrid {
namespace {

bool is_http_url(const std::string &url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

// The decoded key (base64 DER, as SendGrid shows it); "" when not set.
std::string event_key(const halo::Host &host) {
  const std::optional<std::string_view> text = host.opt_string(kEventWebhookKey.name);
  if (!text) return {};
  std::optional<std::string> der = base64_decode(*text);
  if (!der || der->empty()) {
    throw halo::ConfigError(kEventWebhookKey.name,
                            "must be the Event Webhook's verification key (base64, as SendGrid "
                            "shows it under Mail Settings)");
  }
  return *der;
}

}  // namespace

EventWebhookGuard::EventWebhookGuard(const halo::Host &host, const std::string &events_url)
    : host_(host), key_(event_key(host)) {
  // The three OAuth options come together or not at all.
  const halo_option_decl *const oauth[] = {&kOAuthClientId, &kOAuthClientSecret, &kOAuthTokenUrl};
  std::optional<std::string_view> values[3];
  for (int i = 0; i < 3; ++i) values[i] = host.opt_string(oauth[i]->name);
  const auto &[id, secret, url] = values;
  if (id || secret || url) {
    for (int i = 0; i < 3; ++i) {
      if (!values[i] || values[i]->empty()) {
        throw halo::ConfigError(oauth[i]->name,
                                "is needed with the other event_webhook_oauth_ options");
      }
    }
    if (!is_http_url(std::string(*url))) {
      throw halo::ConfigError(kOAuthTokenUrl.name, "must be an http:// or https:// URL");
    }
    token_path_ = url_path(*url);
    if (token_path_ == url_path(events_url)) {
      throw halo::ConfigError(kOAuthTokenUrl.name,
                              "must have a path other than event_webhook_url's");
    }
    tokens_.emplace(std::string(*id), std::string(*secret));
  } else if (key_.empty()) {
    throw halo::ConfigError(kEventWebhookKey.name,
                            "is needed with event_webhook_url unless OAuth is set "
                            "(event_webhook_oauth_client_id, _client_secret, _token_url): posts "
                            "nobody authenticates could unsubscribe anyone");
  }
}

std::unique_ptr<halo::HttpRoute> EventWebhookGuard::token_route(const std::string &listen) const {
  if (!tokens_) return nullptr;
  return std::make_unique<halo::HttpRoute>(
      host_, "POST", token_path_,
      [this](const halo::HttpServerRequest &req, halo::HttpServerResponse &res) {
        answer_token_request(req, res);
      },
      listen);
}

void EventWebhookGuard::answer_token_request(const halo::HttpServerRequest &req,
                                             halo::HttpServerResponse &res) const {
  const TokenAnswer a =
      tokens_->answer(req.header("Authorization").value_or(""), req.body(), host_.now_ms() / 1000);
  host_.metric(a.status == 200 ? "oauth_tokens_issued" : "oauth_token_requests_refused", 1);
  res.status(a.status);
  res.header("Content-Type", "application/json;charset=UTF-8");
  res.header("Cache-Control", "no-store");  // RFC 6749 section 5.1
  res.header("Pragma", "no-cache");
  if (!a.www_authenticate.empty()) res.header("WWW-Authenticate", a.www_authenticate);
  res.body(a.body);
}

std::optional<std::vector<SendgridEvent>> EventWebhookGuard::events(
    const halo::HttpServerRequest &req, halo::HttpServerResponse &res) const {
  const std::optional<std::string_view> authorization = req.header("Authorization");
  if (tokens_ && !tokens_->authorizes(authorization.value_or(""), host_.now_ms() / 1000)) {
    host_.metric("webhooks_refused", 1);
    res.status(401);
    // RFC 6750 section 3: an error code only when a token was given (it
    // expired or is not ours); SendGrid then asks the token URL again.
    res.header("WWW-Authenticate", authorization ? "Bearer realm=\"halo\", error=\"invalid_token\""
                                                 : "Bearer realm=\"halo\"");
    return std::nullopt;
  }
  if (!key_.empty() &&
      !event_signature_valid(
          key_, req.header("X-Twilio-Email-Event-Webhook-Timestamp").value_or(""), req.body(),
          req.header("X-Twilio-Email-Event-Webhook-Signature").value_or(""))) {
    host_.metric("webhooks_refused", 1);
    res.status(403);
    return std::nullopt;
  }
  std::optional<std::vector<SendgridEvent>> events = parse_events(req.body());
  if (!events) res.status(400);
  return events;
}

}  // namespace halo::plugins::sendgrid
