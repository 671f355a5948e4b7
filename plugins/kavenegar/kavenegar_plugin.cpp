// kavenegar_plugin.cpp -- the SDK adapter of the `kavenegar` destination:
// sends each outbox `sms` message with sms/send.json, tagged with its
// outbox id as `localid`. An attempt after the first asks
// sms/statuslocalmessageid.json first, so a send whose answer was lost (a
// timeout, a reset) is found instead of sent twice -- Kavenegar has no
// idempotency key. It never sleeps or retries: the kernel does.
#include <halo/sdk.hpp>

#include <iterator>

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
        post_(host) {
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

  template <class Classify>
  Verdict call(const char *method, std::string form, Classify classify) {
    const halo::HttpRequest request = post_.request(
        base_ + "/v1/" + key_ + "/" + method, std::move(form),
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}});
    halo::HttpResponse response = host().http(request);
    Verdict v = classify(response.status(), response.body());
    if (v.kind == Verdict::Kind::kRetry)
      v.retry_after_ms = retry_after_ms(response.header("Retry-After"));
    return v;
  }

  std::string key_, sender_, base_;
  MessagePost post_;
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
    "kavenegar", "1.0.0", "Delivers outbox SMS messages through Kavenegar (Iran)", kOptions,
    std::size(kOptions), 0))
