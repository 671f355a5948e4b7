// webhook_plugin.cpp -- the SDK adapter of the `webhook` destination:
// declares the options, and POSTs each outbox message it is handed as a
// signed JSON request (up to `concurrency` at once), reporting one outcome
// per message. It never sleeps
// or retries: the kernel schedules retries (docs/messages.md).
#include <halo/sdk.hpp>

#include <iterator>

#include "webhook_delivery.h"
#include "webhook_target.h"

namespace halo::plugins::webhook {
namespace {

class WebhookDestination : public halo::MessageDestination {
 public:
  explicit WebhookDestination(halo::Host host)
      : halo::MessageDestination(host), target_(read_target(host)), post_(host) {}

  void deliver_messages(const std::vector<halo::Message> &messages,
                        const halo::MessageResults &results) override {
    deliver_requests(
        host(), messages, results, "webhook", [this](const halo::Message &m) { return plan(m); },
        [](const halo::Message &, const halo::HttpResponse &r) {
          return classify(r.status(), r.header("Retry-After"), r.header("X-Message-Id"), r.body());
        });
  }

 private:
  PlannedSend plan(const halo::Message &m) const {
    const std::string id(m.idempotency_key);
    std::string body = message_body(m);
    auto headers = signed_headers(target_.key, id, body, host().now_ms() / 1000);
    headers.emplace_back("Idempotency-Key", id);
    halo::HttpRequest request = post_.request(target_.url, std::move(body), std::move(headers));
    // Receivers de-duplicate on webhook-id (Standard Webhooks), so a request
    // libcurl sends again after a kept connection died arrives harmlessly.
    request.keep_alive = true;
    return {std::nullopt, std::move(request)};
  }

  WebhookTarget target_;
  MessagePost post_;
};

}  // namespace
}  // namespace halo::plugins::webhook

static const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_STRING, "url", nullptr, true,
                 "The receiver's http:// or https:// URL; every message is POSTed to it"),
    halo::option(HALO_OPT_STRING, "secret", nullptr, true,
                 "Signing secret: whsec_<base64> (Standard Webhooks) or any text; use "
                 "\"${ENV_VAR}\"",
                 true),
    halo::within(halo::option(HALO_OPT_DURATION, "timeout", "10s", false,
                              "Longest wait for one request's answer"),
                 "100ms", "5m"),
    halo::option(HALO_OPT_STRING, "ca_file", nullptr, false,
                 "Extra trusted CA bundle (PEM), relative to the pipeline file"),
    halo::option(HALO_OPT_BOOL, "insecure", "false", false,
                 "Skip TLS certificate verification (explicit opt-in; logged as a warning)"),
};

HALO_PLUGIN_LIBRARY(halo::describe_destination<halo::plugins::webhook::WebhookDestination>(
    "webhook", "1.0.0", "Delivers outbox messages as signed JSON POSTs (Standard Webhooks)",
    kOptions, std::size(kOptions), 0))
