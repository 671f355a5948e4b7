// sendgrid_plugin.cpp -- the SDK adapter of the `sendgrid` destination:
// sends outbox `email` messages through SendGrid's v3 Mail Send API with a
// Bearer API key, batching messages of the same content (sendgrid_api.h).
// Mail Send has no idempotency key: each personalization carries the
// outbox message's id and key in custom_args, and a send whose answer was
// lost is sent again on retry (at least once). It never sleeps or
// retries: the kernel does.
#include <halo/sdk.hpp>

#include <chrono>
#include <iterator>

#include "common/message_verdict.h"
#include "common/wire_text.h"
#include "sendgrid_api.h"

namespace halo::plugins::sendgrid {
namespace {

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
      const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
      return classify(status, response.body(), response.header("X-Message-Id"),
                      response.header("Retry-After"), response.header("X-RateLimit-Reset"), now_s);
    } catch (const halo::Error &e) {
      return no_answer(e);
    }
  }

  Sender sender_;
  std::string base_, authorization_, fatal_;
  MessagePost post_;
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
};

HALO_PLUGIN_LIBRARY(halo::describe_destination<halo::plugins::sendgrid::SendgridDestination>(
    "sendgrid", "1.0.0", "Delivers outbox email through SendGrid's v3 Mail Send API, batched",
    kOptions, std::size(kOptions), 0))
