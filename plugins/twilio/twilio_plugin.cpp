// twilio_plugin.cpp -- the SDK adapter of the `twilio` destination: sends
// each outbox `sms` message by creating a Message resource with HTTP Basic
// authentication (Account SID and Auth Token). Twilio's create call has no
// idempotency key, so a send whose answer was lost is sent again on retry
// (at least once). It never sleeps or retries: the kernel does.
//
// With `status_callback` (and `inbound_url`) set, it also answers Twilio's
// signed status callbacks (delivery reports) and incoming replies (STOP,
// START) on the kernel's HTTP server, from create() to destroy(): see
// twilio_webhook.h and the README.
#include <halo/sdk.hpp>

#include <iterator>
#include <memory>

#include "common/crypto.h"
#include "twilio_api.h"
#include "twilio_webhook.h"

namespace halo::plugins::twilio {
namespace {

// How long a sender should wait when the store was busy.
constexpr const char *kBusyRetryAfter = "5";
// More fields than any callback Twilio sends (about 30 with every option).
constexpr size_t kMaxFields = 128;

// scheme://authority of an http(s) URL (both checked at create()).
std::string origin_of(std::string_view url) {
  const std::string_view host = url_host(url);
  return std::string(url.substr(0, static_cast<size_t>(host.data() - url.data()) + host.size()));
}

// The URL Twilio requested, rebuilt from the public URL it was given and
// the request's path and query (what its signature covers).
std::string requested_url(std::string_view public_url, const halo::HttpServerRequest &req) {
  std::string url = origin_of(public_url) + std::string(req.path());
  if (!req.query().empty()) url += "?" + std::string(req.query());
  return url;
}

void answer_status(halo::HttpServerResponse &res, halo_status recorded) {
  if (recorded == HALO_OK) return;  // 200, no body: Twilio needs no more
  if (recorded == HALO_RETRY) {
    res.status(503);
    res.header("Retry-After", kBusyRetryAfter);
    return;
  }
  res.status(404);  // not a message this destination sent
}

// Receives what Twilio posts back: status callbacks and incoming replies.
class TwilioReceiver {
 public:
  TwilioReceiver(const halo::Host &host, std::string auth_token, std::string status_url,
                 std::string inbound_url)
      : host_(host),
        reports_(host),
        token_(std::move(auth_token)),
        status_url_(std::move(status_url)),
        inbound_url_(std::move(inbound_url)) {
    using namespace std::placeholders;
    if (!status_url_.empty()) {
      status_route_ = std::make_unique<halo::HttpRoute>(
          host, "POST", url_path(status_url_), std::bind(&TwilioReceiver::on_status, this, _1, _2));
    }
    if (!inbound_url_.empty()) {
      inbound_route_ = std::make_unique<halo::HttpRoute>(
          host, "POST", url_path(inbound_url_), std::bind(&TwilioReceiver::on_reply, this, _1, _2));
    }
  }

 private:
  // The request's fields when it is well-formed and Twilio signed it for
  // `public_url`; else answers 400 or 403 and returns nullopt. A form body
  // is signed with its fields; a JSON body by bodySHA256 in the URL, checked
  // before the body is parsed.
  std::optional<FormFields> verified(const std::string &public_url,
                                     const halo::HttpServerRequest &req,
                                     halo::HttpServerResponse &res) const {
    const std::string_view signature = req.header("X-Twilio-Signature").value_or("");
    const std::string url = requested_url(public_url, req);
    const bool json = is_json_media_type(req.header("Content-Type").value_or(""));
    std::optional<FormFields> fields;
    if (!json && !(fields = parse_form(req.body(), kMaxFields))) {
      res.status(400);
      return std::nullopt;
    }
    const bool is_signed = json ? json_signature_valid(token_, url, req.body(), signature)
                                : signature_valid(token_, url, *fields, signature);
    if (!is_signed) {
      host_.metric("webhooks_refused", 1);
      res.status(403);
      return std::nullopt;
    }
    if (json && !(fields = json_fields(req.body(), kMaxFields))) res.status(400);
    return fields;
  }

  void on_status(const halo::HttpServerRequest &req, halo::HttpServerResponse &res) const {
    std::optional<FormFields> fields = verified(status_url_, req, res);
    if (!fields) return;
    std::optional<uint64_t> id = callback_message_id(req.query());
    if (!id) {
      res.status(400);
      return;
    }
    std::optional<StatusReport> report = status_report(*fields);
    if (!report) return;  // not final yet: a later callback says more
    using Kind = StatusReport::Kind;
    halo::Receipt r;
    r.status = report->kind == Kind::kDelivered     ? HALO_RECEIPT_DELIVERED
               : report->kind == Kind::kUndelivered ? HALO_RECEIPT_UNDELIVERED
                                                    : HALO_RECEIPT_BOUNCED;
    r.message_id = *id;
    r.provider_id = report->message_sid;
    r.detail = report->detail;
    answer_status(res, reports_.receipt(r));
  }

  void on_reply(const halo::HttpServerRequest &req, halo::HttpServerResponse &res) const {
    std::optional<FormFields> fields = verified(inbound_url_, req, res);
    if (!fields) return;
    const std::string_view body = field(*fields, "Body").value_or("");
    std::optional<bool> opted_in = consent_keyword(body);
    if (opted_in) {
      halo::ConsentStatement c;
      c.opted_in = *opted_in;
      c.channel = "sms";
      c.address = field(*fields, "From").value_or("");
      c.reason = "sms_reply";
      const std::string proof =
          "MessageSid " + std::string(field(*fields, "MessageSid").value_or("").substr(0, 64)) +
          ": " + std::string(body);
      c.proof = proof;
      halo_status recorded = reports_.consent(c);
      if (recorded == HALO_RETRY) {
        answer_status(res, recorded);
        return;
      }
      host_.metric(recorded == HALO_OK ? "replies_recorded" : "replies_unusable", 1);
    } else {
      host_.metric("replies_ignored", 1);
    }
    // Empty TwiML: Halo sends no auto-reply (Twilio answers STOP itself on
    // numbers with its opt-out handling).
    res.header("Content-Type", "text/xml");
    res.body("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>");
  }

  halo::Host host_;
  halo::Reports reports_;
  std::string token_, status_url_, inbound_url_;
  std::unique_ptr<halo::HttpRoute> status_route_, inbound_route_;
};

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
    const std::string token = host.string_option("auth_token");
    authorization_ = "Basic " + base64_encode(sid_ + ":" + token);
    const std::string inbound = host.opt_string_or("inbound_url", "");
    if (!inbound.empty() && !inbound.starts_with("https://") && !inbound.starts_with("http://")) {
      throw halo::ConfigError("inbound_url", "must be an http:// or https:// URL");
    }
    if (!sender_.status_callback.empty() || !inbound.empty()) {
      receiver_ = std::make_unique<TwilioReceiver>(host, token, sender_.status_callback, inbound);
    }
  }

  void deliver_messages(const std::vector<halo::Message> &messages,
                        const halo::MessageResults &results) override {
    deliver_requests(
        host(), messages, results, "twilio", [this](const halo::Message &m) { return plan(m); },
        [](const halo::Message &, const halo::HttpResponse &r) {
          return classify(r.status(), r.header("Retry-After"), r.body());
        });
  }

 private:
  PlannedSend plan(const halo::Message &m) const {
    auto failed = [](std::string why) {
      return PlannedSend{Verdict{Verdict::Kind::kFailed, std::move(why), 0}, {}};
    };
    if (m.channel != "sms") return failed("the twilio destination sends sms only");
    if (!is_e164(m.recipient)) {
      return failed("invalid recipient '" + std::string(m.recipient.substr(0, 40)) +
                    "' (not E.164)");
    }
    if (m.text.empty()) return failed("empty text: the template has no text part");
    return {std::nullopt, post_.request(base_ + "/2010-04-01/Accounts/" + sid_ + "/Messages.json",
                                        create_form(sender_, m.recipient, m.text, m.id),
                                        {{"Authorization", authorization_},
                                         {"Content-Type", "application/x-www-form-urlencoded"},
                                         {"Accept", "application/json"}})};
  }

  Sender sender_;
  std::string sid_, base_, authorization_;
  MessagePost post_;
  std::unique_ptr<TwilioReceiver> receiver_;  // last: its routes go first
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
                 "Public URL Twilio posts delivery statuses to (m=<outbox id> is appended); "
                 "halo answers it on its path"),
    halo::option(HALO_OPT_STRING, "inbound_url", nullptr, false,
                 "Public URL set as the number's incoming-message webhook; halo records "
                 "STOP/START replies from it"),
    halo::option(HALO_OPT_STRING, "base_url", "https://api.twilio.com", false,
                 "API base URL (a test server in tests)"),
    halo::plugins::kTimeoutOption,
    halo::plugins::kCaFileOption,
    halo::plugins::kInsecureOption,
};

HALO_PLUGIN_LIBRARY(halo::describe_destination<halo::plugins::twilio::TwilioDestination>(
    "twilio", "1.0.0", "Delivers outbox SMS messages through Twilio's Messages API", kOptions,
    std::size(kOptions), 0))
