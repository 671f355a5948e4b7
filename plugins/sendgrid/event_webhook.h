// event_webhook.h -- what both halves of the sendgrid module (the
// destination's receipts, the source's profile events) do with SendGrid's
// Signed Event Webhook
// (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features):
// read the verification key, check a request's signature.
#pragma once

#include <halo/sdk.hpp>

#include <optional>
#include <string>
#include <vector>

#include "sendgrid_events.h"

namespace halo::plugins::sendgrid {

// The decoded key (base64 DER, as SendGrid shows it); throws
// halo::ConfigError naming the option when it is not one.
std::string event_key(const halo::Host &host);

// The events of `req` when it is signed under `key`
// (X-Twilio-Email-Event-Webhook-Signature over
// X-Twilio-Email-Event-Webhook-Timestamp and the raw body) and its body is
// an array of events (sendgrid_events.h); otherwise nullopt, with `res`
// answered 403 (metric webhooks_refused) or 400.
std::optional<std::vector<SendgridEvent>> signed_events(const halo::Host &host,
                                                        const std::string &key,
                                                        const halo::HttpServerRequest &req,
                                                        halo::HttpServerResponse &res);

// The source's descriptor (sendgrid_source.cpp), listed beside the
// destination's by the module.
const halo_plugin_descriptor *sendgrid_source_descriptor();

}  // namespace halo::plugins::sendgrid
