// twilio_plugin.cpp -- the SDK adapter of the `twilio` destination: sends
// each outbox `sms` message by creating a Message resource with HTTP Basic
// authentication (Account SID and Auth Token). Twilio's create call has no
// idempotency key, so a send whose answer was lost is sent again on retry
// (at least once). It never sleeps or retries: the kernel does.
#include <halo/sdk.hpp>

#include <iterator>

#include "common/crypto.h"
#include "twilio_api.h"

namespace halo::plugins::twilio {
namespace {

bool is_e164(std::string_view n) {
  if (n.size() < 8 || n.size() > 16 || n.front() != '+') return false;
  for (char c : n.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Sender sender_of(const halo::Host &host) {
  Sender s;
  s.from = host.opt_string_or("from", "");
  s.messaging_service_sid = host.opt_string_or("messaging_service_sid", "");
  s.status_callback = host.opt_string_or("status_callback", "");
  if (s.from.empty() == s.messaging_service_sid.empty()) {
    throw halo::ConfigError("from",
                            "set exactly one of from (a number or sender ID) and "
                            "messaging_service_sid");
  }
  if (!s.status_callback.empty() && !s.status_callback.starts_with("https://") &&
      !s.status_callback.starts_with("http://")) {
    throw halo::ConfigError("status_callback", "must be an http:// or https:// URL");
  }
  return s;
}

class TwilioDestination : public halo::MessageDestination {
 public:
  explicit TwilioDestination(halo::Host host)
      : halo::MessageDestination(host),
        sender_(sender_of(host)),
        sid_(host.string_option("account_sid")),
        base_(host.string_option("base_url")),
        post_(host) {
    if (!sid_.starts_with("AC") || sid_.find_first_of("/?#% ") != std::string::npos) {
      throw halo::ConfigError("account_sid", "must be the Account SID (AC...) from the console");
    }
    if (!base_.starts_with("https://") && !base_.starts_with("http://")) {
      throw halo::ConfigError("base_url", "must be an http:// or https:// URL");
    }
    while (base_.ends_with("/")) base_.pop_back();
    authorization_ = "Basic " + base64_encode(sid_ + ":" + host.string_option("auth_token"));
  }

  void deliver_messages(const std::vector<halo::Message> &messages,
                        const halo::MessageResults &results) override {
    deliver_each(messages, results, "twilio",
                 [this](const halo::Message &m) { return deliver(m); });
  }

 private:
  Verdict deliver(const halo::Message &m) {
    if (m.channel != "sms")
      return {Verdict::Kind::kFailed, "the twilio destination sends sms only", 0};
    if (!is_e164(m.recipient)) {
      return {Verdict::Kind::kFailed,
              "invalid recipient '" + std::string(m.recipient.substr(0, 40)) + "' (not E.164)", 0};
    }
    if (m.text.empty())
      return {Verdict::Kind::kFailed, "empty text: the template has no text part", 0};
    const halo::HttpRequest request =
        post_.request(base_ + "/2010-04-01/Accounts/" + sid_ + "/Messages.json",
                      create_form(sender_, m.recipient, m.text, m.id),
                      {{"Authorization", authorization_},
                       {"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}});
    try {
      halo::HttpResponse response = host().http(request);
      return classify(response.status(), response.header("Retry-After"), response.body());
    } catch (const halo::Error &e) {
      return no_answer(e);
    }
  }

  Sender sender_;
  std::string sid_, base_, authorization_;
  MessagePost post_;
};

}  // namespace
}  // namespace halo::plugins::twilio

static const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_STRING, "account_sid", nullptr, true, "Account SID (AC...)"),
    halo::option(HALO_OPT_STRING, "auth_token", nullptr, true,
                 "Auth Token (or an API key secret); use \"${ENV_VAR}\"", true),
    halo::option(
        HALO_OPT_STRING, "from", nullptr, false,
        "Sender: an E.164 number or alphanumeric sender ID (or set messaging_service_sid)"),
    halo::option(HALO_OPT_STRING, "messaging_service_sid", nullptr, false,
                 "Messaging Service SID (MG...), instead of from"),
    halo::option(HALO_OPT_STRING, "status_callback", nullptr, false,
                 "URL Twilio posts delivery statuses to; m=<outbox id> is appended"),
    halo::option(HALO_OPT_STRING, "base_url", "https://api.twilio.com", false,
                 "API base URL (a test server in tests)"),
    halo::within(
        halo::option(HALO_OPT_DURATION, "timeout", "10s", false, "Longest wait for one answer"),
        "1s", "2m"),
    halo::option(HALO_OPT_STRING, "ca_file", nullptr, false,
                 "Extra trusted CA bundle (PEM), relative to the pipeline file"),
    halo::option(HALO_OPT_BOOL, "insecure", "false", false,
                 "Skip TLS certificate verification (explicit opt-in)"),
};

HALO_PLUGIN_LIBRARY(halo::describe_destination<halo::plugins::twilio::TwilioDestination>(
    "twilio", "1.0.0", "Delivers outbox SMS messages through Twilio's Messages API", kOptions,
    std::size(kOptions), 0))
