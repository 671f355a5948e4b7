// sendgrid_plugin.cpp -- the SDK adapter of the `sendgrid` destination:
// sends outbox `email` messages through SendGrid's v3 Mail Send API with a
// Bearer API key, batching messages of the same content (sendgrid_api.h).
// Mail Send has no idempotency key: each personalization carries the
// outbox message's id and key in custom_args, and a send whose answer was
// lost is sent again on retry (at least once). It never sleeps or
// retries: the kernel does.
//
// With `event_webhook_url` set, it also answers SendGrid's Event Webhook
// (signed, OAuth 2.0 or both: event_webhook.h) on the kernel's HTTP server, from
// create() to destroy(): delivery reports and unsubscribes
// (sendgrid_events.h, README). The module also holds the `sendgrid`
// source (sendgrid_source.cpp): the same webhook's events as profile
// events.
#include <halo/sdk.hpp>

#include <iterator>
#include <memory>

#include "common/message_verdict.h"
#include "common/wire_text.h"
#include "event_webhook.h"
#include "sendgrid_api.h"
#include "sendgrid_events.h"

namespace halo::plugins::sendgrid {
namespace {

// Receives SendGrid's Event Webhook: authenticated batches of events.
class EventReceiver {
 public:
  EventReceiver(const halo::Host &host, const std::string &url)
      : host_(host),
        reports_(host),
        guard_(host, url),
        route_(host, "POST", url_path(url),
               [this](const halo::HttpServerRequest &req, halo::HttpServerResponse &res) {
                 on_events(req, res);
               }),
        token_route_(guard_.token_route()) {}

 private:
  void on_events(const halo::HttpServerRequest &req, halo::HttpServerResponse &res) const {
    std::optional<std::vector<SendgridEvent>> events = guard_.events(req, res);
    if (!events) return;
    for (const SendgridEvent &e : *events) {
      // Busy: SendGrid posts the whole batch again later, and what was
      // recorded of it already is recorded once (reports are idempotent).
      if (record(e) == HALO_RETRY) {
        res.status(503);
        res.header("Retry-After", "30");
        return;
      }
    }
  }

  halo_status record(const SendgridEvent &e) const {
    const EventAction a = action_of(e);
    const int64_t at_ms = e.timestamp_s * 1000;
    halo_status st = HALO_OK;
    if (a.kind == EventAction::Kind::kReceipt) {
      halo::Receipt r;
      r.status = static_cast<halo_receipt_status>(a.receipt);
      r.message_id = e.halo_message;
      r.provider_id = e.sg_message_id;
      r.detail = a.detail;
      r.at_ms = at_ms;
      st = reports_.receipt(r);
    } else if (a.kind == EventAction::Kind::kOptOut) {
      halo::ConsentStatement c;
      c.channel = "email";
      c.address = e.email;
      c.reason = "unsubscribed_at_receiver";
      const std::string proof = "SendGrid " + e.sg_event_id + ": " + a.detail;
      c.proof = proof;
      c.at_ms = at_ms;
      st = reports_.consent(c);
    } else {
      host_.metric("events_ignored", 1);
      return HALO_OK;
    }
    host_.metric(st == HALO_OK ? "events_recorded" : "events_unusable", 1);
    return st;
  }

  halo::Host host_;
  halo::Reports reports_;
  EventWebhookGuard guard_;
  halo::HttpRoute route_;  // the routes last: removed before what they use
  std::unique_ptr<halo::HttpRoute> token_route_;
};

class SendgridDestination : public halo::MessageDestination {
 public:
  explicit SendgridDestination(halo::Host host)
      : halo::MessageDestination(host), base_(host.string_option("base_url")), post_(host) {
    sender_.from_address = address_option(host, "from", true);
    sender_.from_name = host.opt_string_or("from_name", "");
    sender_.reply_to = address_option(host, "reply_to", false);
    if (!base_.starts_with("https://") && !base_.starts_with("http://")) {
      throw halo::ConfigError("base_url", "must be an http:// or https:// URL");
    }
    while (base_.ends_with("/")) base_.pop_back();
    authorization_ = "Bearer " + host.string_option("api_key");
    const std::string events_url = host.opt_string_or("event_webhook_url", "");
    if (!events_url.empty()) {
      if (!events_url.starts_with("https://") && !events_url.starts_with("http://")) {
        throw halo::ConfigError("event_webhook_url", "must be an http:// or https:// URL");
      }
      events_ = std::make_unique<EventReceiver>(host, events_url);
    } else {
      for (const halo_option_decl *o :
           {&kEventWebhookKey, &kOAuthClientId, &kOAuthClientSecret, &kOAuthTokenUrl}) {
        if (!host.opt_string(o->name)) continue;
        throw halo::ConfigError("event_webhook_url", "is needed with " + std::string(o->name) +
                                                         ": the URL SendGrid posts events to");
      }
    }
  }

  void deliver_messages(const std::vector<halo::Message> &messages,
                        const halo::MessageResults &results) override {
    std::vector<halo::Message> ready;
    std::vector<size_t> index;  // ready[k] is messages[index[k]]
    for (size_t i = 0; i < messages.size(); ++i) {
      const halo::Message &m = messages[i];
      if (m.channel != "email") {
        results.failed(i, "the sendgrid destination sends email only");
      } else if (!is_bare_address(m.recipient)) {
        results.failed(i, "invalid recipient '" + std::string(m.recipient.substr(0, 80)) + "'");
      } else if (m.text.empty() && m.html.empty()) {
        results.failed(i, "empty message: the template has no text or html part");
      } else {
        ready.push_back(m);
        index.push_back(i);
      }
    }
    std::vector<std::vector<size_t>> batches = groups(ready, kMaxPersonalizations);
    for (size_t b = 0; b < batches.size(); ++b) {
      if (!send(ready, batches[b], index, results)) {
        for (size_t rest = b + 1; rest < batches.size(); ++rest) {
          for (size_t k : batches[rest]) results.retry(index[k], "not tried: " + fatal_);
        }
        throw halo::Error("sendgrid: " + fatal_, HALO_FATAL);
      }
    }
  }

 private:
  // Sends one batch and reports each of its messages; false after an
  // answer no message can get past (fatal_ says why; the batch's messages
  // are reported as retries).
  bool send(const std::vector<halo::Message> &ready, const std::vector<size_t> &batch,
            const std::vector<size_t> &index, const halo::MessageResults &results) {
    int status = 0;
    Verdict v = post(ready, batch, status);
    if (v.kind != Verdict::Kind::kSent && batch.size() > 1 && split_after(status)) {
      for (size_t k : batch) {
        if (!send(ready, {k}, index, results)) {
          for (size_t rest : batch) {
            if (rest > k) results.retry(index[rest], "not tried: " + fatal_);
          }
          return false;
        }
      }
      return true;
    }
    if (batch.size() > 1 && v.kind == Verdict::Kind::kSent) {
      v.detail += " (one request for " + std::to_string(batch.size()) + " messages)";
    }
    for (size_t k : batch) report(v, index[k], results);
    if (v.kind != Verdict::Kind::kFatal) return true;
    fatal_ = v.detail;
    return false;
  }

  Verdict post(const std::vector<halo::Message> &ready, const std::vector<size_t> &batch,
               int &status) {
    const halo::HttpRequest request =
        post_.request(base_ + "/v3/mail/send", request_body(sender_, ready, batch),
                      {{"Authorization", authorization_},
                       {"Content-Type", "application/json"},
                       {"Accept", "application/json"}});
    try {
      halo::HttpResponse response = host().http(request);
      status = response.status();
      return classify(status, response.body(), response.header("X-Message-Id"),
                      response.header("Retry-After"), response.header("X-RateLimit-Reset"),
                      host().now_ms() / 1000);
    } catch (const halo::Error &e) {
      return no_answer(e);
    }
  }

  Sender sender_;
  std::string base_, authorization_, fatal_;
  MessagePost post_;
  std::unique_ptr<EventReceiver> events_;  // last: its route goes first
};

}  // namespace
}  // namespace halo::plugins::sendgrid

static const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_STRING, "api_key", nullptr, true,
                 "API key with Mail Send access (SG...); use \"${ENV_VAR}\"", true),
    halo::option(HALO_OPT_STRING, "from", nullptr, true,
                 "Sender address, a verified Sender Identity, e.g. news@shop.example"),
    halo::option(HALO_OPT_STRING, "from_name", nullptr, false, "Sender display name"),
    halo::option(HALO_OPT_STRING, "reply_to", nullptr, false, "Reply-To address"),
    halo::option(HALO_OPT_STRING, "base_url", "https://api.sendgrid.com", false,
                 "API base URL (https://api.eu.sendgrid.com for EU subusers; a test server)"),
    halo::within(
        halo::option(HALO_OPT_DURATION, "timeout", "30s", false, "Longest wait for one answer"),
        "1s", "2m"),
    halo::option(HALO_OPT_STRING, "ca_file", nullptr, false,
                 "Extra trusted CA bundle (PEM), relative to the pipeline file"),
    halo::option(HALO_OPT_BOOL, "insecure", "false", false,
                 "Skip TLS certificate verification (explicit opt-in)"),
    halo::option(HALO_OPT_STRING, "event_webhook_url", nullptr, false,
                 "Public URL set as the Event Webhook's HTTP Post URL; halo answers it on its "
                 "path"),
    halo::plugins::sendgrid::kEventWebhookKey,
    halo::plugins::sendgrid::kOAuthClientId,
    halo::plugins::sendgrid::kOAuthClientSecret,
    halo::plugins::sendgrid::kOAuthTokenUrl,
};

HALO_PLUGIN_LIBRARY(halo::describe_destination<halo::plugins::sendgrid::SendgridDestination>(
                        "sendgrid", "1.0.0",
                        "Delivers outbox email through SendGrid's v3 Mail Send API, batched",
                        kOptions, std::size(kOptions), 0),
                    halo::plugins::sendgrid::sendgrid_source_descriptor())
