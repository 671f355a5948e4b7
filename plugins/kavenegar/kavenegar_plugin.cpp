// kavenegar_plugin.cpp -- the SDK adapter of the `kavenegar` destination:
// sends each outbox `sms` message with sms/send.json, tagged with its
// outbox id as `localid`. An attempt after the first asks
// sms/statuslocalmessageid.json first, so a send whose answer was lost (a
// timeout, a reset) is found instead of sent twice -- Kavenegar has no
// idempotency key. It never sleeps or retries: the kernel does. Delivery
// reports are asked for with sms/status.json (poll_receipts): Kavenegar
// has no signed callbacks.
#include <halo/sdk.hpp>

#include <iterator>
#include <unordered_map>

#include "kavenegar_api.h"

namespace halo::plugins::kavenegar {
namespace {

class KavenegarDestination : public halo::MessageDestination {
 public:
  explicit KavenegarDestination(halo::Host host)
      : halo::MessageDestination(host),
        key_(host.string_option("api_key")),
        sender_(host.opt_string_or("sender", "")),
        base_(host.string_option("base_url")),
        post_(host),
        reports_(host) {
    if (key_.empty() || key_.find_first_of("/?#% ") != std::string::npos) {
      throw halo::ConfigError("api_key",
                              "must be the key from the Kavenegar panel (no / ? # or spaces)");
    }
    if (!base_.starts_with("https://") && !base_.starts_with("http://")) {
      throw halo::ConfigError("base_url", "must be an http:// or https:// URL");
    }
    while (base_.ends_with("/")) base_.pop_back();
  }

  void deliver_messages(const std::vector<halo::Message> &messages,
                        const halo::MessageResults &results) override {
    deliver_each(messages, results, "kavenegar",
                 [this](const halo::Message &m) { return deliver(m); });
  }

  // Asks sms/status.json for every message whose sent detail names a
  // messageid, in one call, and reports each final status. An answer that
  // cannot be used fails the call: the kernel asks again later.
  void poll_receipts(const std::vector<halo::SentMessage> &sent) {
    std::unordered_map<int64_t, uint64_t> outbox_ids;  // messageid -> outbox id
    std::vector<int64_t> ids;
    for (const halo::SentMessage &m : sent) {
      const std::optional<int64_t> id = messageid_of(m.provider_id);
      if (id && outbox_ids.emplace(*id, m.id).second) ids.push_back(*id);
    }
    if (ids.empty()) return;
    halo::HttpResponse response = post_form("sms/status.json", status_form(ids));
    const StatusAnswer answer = parse_status_answer(response.status(), response.body());
    if (!answer.error.empty()) throw halo::Error("sms/status.json: " + answer.error);
    for (const MessageStatus &entry : answer.entries) {
      const auto outbox_id = outbox_ids.find(entry.messageid);
      const std::optional<halo_receipt_status> receipt = receipt_of(entry.status);
      if (outbox_id == outbox_ids.end() || !receipt) continue;
      const std::string provider_id = "messageid " + std::to_string(entry.messageid);
      const std::string detail = "status " + std::to_string(entry.status) +
                                 (entry.statustext.empty() ? "" : " " + entry.statustext);
      halo::Receipt r;
      r.status = *receipt;
      r.message_id = outbox_id->second;
      r.provider_id = provider_id;
      r.detail = detail;
      reports_.receipt(r);  // a busy store: the message is asked again later
    }
  }

 private:
  Verdict deliver(const halo::Message &m) {
    if (m.channel != "sms") {
      return {Verdict::Kind::kFailed, "the kavenegar destination sends sms only", 0};
    }
    const std::optional<std::string> receptor = receptor_of(m.recipient);
    if (!receptor) {
      return {Verdict::Kind::kFailed,
              "invalid recipient '" + std::string(m.recipient.substr(0, 40)) + "' (not E.164)", 0};
    }
    if (m.text.empty()) {
      return {Verdict::Kind::kFailed, "empty text: the template has no text part", 0};
    }
    try {
      if (m.attempt > 1) {
        const Verdict earlier = call("sms/statuslocalmessageid.json",
                                     "localid=" + std::to_string(m.id), classify_lookup);
        if (earlier.kind != Verdict::Kind::kFailed) return earlier;  // sent, or cannot tell yet
      }
      const SmsSegments segments = sms_segments(m.text);
      return call(
          "sms/send.json", send_form(*receptor, m.text, sender_, m.id),
          [&](int status, std::string_view body) { return classify_send(status, body, segments); });
    } catch (const halo::Error &e) {
      return no_answer(e);
    }
  }

  // One API call: a form POST to {base_url}/v1/{api_key}/{method}.
  halo::HttpResponse post_form(const char *method, std::string form) {
    const halo::HttpRequest request = post_.request(
        base_ + "/v1/" + key_ + "/" + method, std::move(form),
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}});
    return host().http(request);
  }

  template <class Classify>
  Verdict call(const char *method, std::string form, Classify classify) {
    halo::HttpResponse response = post_form(method, std::move(form));
    Verdict v = classify(response.status(), response.body());
    if (v.kind == Verdict::Kind::kRetry)
      v.retry_after_ms = retry_after_ms(response.header("Retry-After"));
    return v;
  }

  std::string key_, sender_, base_;
  MessagePost post_;
  halo::Reports reports_;
};

}  // namespace
}  // namespace halo::plugins::kavenegar

static const halo_option_decl kOptions[] = {
    halo::option(
        HALO_OPT_STRING, "api_key", nullptr, true,
        "API key from the Kavenegar panel; use \"${ENV_VAR}\" (it travels in the URL path, "
        "which Halo never logs)",
        true),
    halo::option(HALO_OPT_STRING, "sender", nullptr, false,
                 "Sending line number; none = the account's default line"),
    halo::option(HALO_OPT_STRING, "base_url", "https://api.kavenegar.com", false,
                 "API base URL (a test server in tests)"),
    halo::within(
        halo::option(HALO_OPT_DURATION, "timeout", "10s", false, "Longest wait for one answer"),
        "1s", "2m"),
    halo::option(HALO_OPT_STRING, "ca_file", nullptr, false,
                 "Extra trusted CA bundle (PEM), relative to the pipeline file"),
    halo::option(HALO_OPT_BOOL, "insecure", "false", false,
                 "Skip TLS certificate verification (explicit opt-in)"),
};

HALO_PLUGIN_LIBRARY(halo::describe_destination<halo::plugins::kavenegar::KavenegarDestination>(
    "kavenegar", "1.1.0",
    "Delivers outbox SMS messages through Kavenegar (Iran) and polls their delivery reports",
    kOptions, std::size(kOptions), 0))
