// profile_webhook_plugin.cpp -- the SDK adapter of the `profile-webhook`
// destination: each delivery of profiles (the first run's full export, then
// the created, changed and removed profiles of each run) is POSTed to a
// receiver as signed JSON requests (profile_post.h; Standard Webhooks
// signatures, plugins/webhook/webhook_signature.h). Segment entries and
// exits change the profile's `segments`, so they arrive as changed
// profiles.
//
// A request that is not answered 2xx fails the delivery (retryable for
// 408, 425, 429 and 5xx and when no answer came, else fatal): the kernel
// keeps the destination's position and the next run delivers again, as a
// new delivery. It never sleeps or retries within a run.
#include <halo/sdk.hpp>

#include <iterator>
#include <memory>

#include "common/message_verdict.h"
#include "profile_post.h"
#include "webhook_target.h"

namespace halo::plugins::profile_webhook {
namespace {

class ProfileWebhook : public halo::Destination {
 public:
  explicit ProfileWebhook(halo::Host host)
      : halo::Destination(host),
        target_(webhook::read_target(host)),
        batch_size_(static_cast<size_t>(host.int_option("batch_size"))),
        max_body_bytes_(static_cast<size_t>(host.size_option("max_body_bytes"))),
        post_(host) {}

  halo::DeliveryMode begin_delivery(halo::DeliveryMode proposed) override {
    begin(proposed == halo::DeliveryMode::kFull);
    return proposed;
  }

  void write_profiles(const halo::ProfileBatch &batch) override {
    if (!posts_) begin(true);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (auto post = posts_->add(batch.json(i))) send(*post);
    }
  }

  void remove_profiles(const uint64_t *ids, size_t count) override {
    if (auto post = posts_->flush()) send(*post);
    for (const ProfilePost &post : posts_->removed(ids, count)) send(post);
  }

  // The delivery is complete only once the receiver has everything.
  void stop() override {
    if (!posts_) return;
    if (auto post = posts_->flush()) send(*post);
    send(posts_->completed());
    posts_.reset();
  }

 private:
  void begin(bool full) {
    // Unique per delivery: a delivery sent again after a failure is new.
    const std::string delivery =
        "d" + std::to_string(host().now_ms()) + "-" + std::to_string(++deliveries_);
    posts_ = std::make_unique<DeliveryPosts>(delivery, full, batch_size_, max_body_bytes_);
  }

  void send(const ProfilePost &post) {
    halo::HttpRequest request = post_.request(
        target_.url, post.body,
        webhook::signed_headers(target_.key, post.id, post.body, host().now_ms() / 1000));
    // Receivers de-duplicate on webhook-id (Standard Webhooks): a request
    // libcurl sends again after a kept connection died arrives harmlessly.
    request.keep_alive = true;
    halo::HttpResponse response = host().http(request);  // throws when no answer came
    const int status = response.status();
    if (status >= 200 && status < 300) return;
    throw halo::Error("profile-webhook: " + http_detail(status, response.body()) + " for request " +
                          post.id + "; the next run delivers again",
                      http_transient(status) ? HALO_RETRY : HALO_FATAL);
  }

  webhook::WebhookTarget target_;
  size_t batch_size_, max_body_bytes_;
  MessagePost post_;
  std::unique_ptr<DeliveryPosts> posts_;
  uint64_t deliveries_ = 0;
};

}  // namespace
}  // namespace halo::plugins::profile_webhook

static const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_STRING, "url", nullptr, true,
                 "The receiver's http:// or https:// URL; every request is POSTed to it"),
    halo::option(HALO_OPT_STRING, "secret", nullptr, true,
                 "Signing secret: whsec_<base64> (Standard Webhooks) or any text; use "
                 "\"${ENV_VAR}\"",
                 true),
    halo::within(
        halo::option(HALO_OPT_INT, "batch_size", "100", false, "Profiles per request at most"), "1",
        "1000"),
    halo::within(halo::option(HALO_OPT_SIZE, "max_body_bytes", "1MiB", false,
                              "Body size a request stays within (a larger profile goes alone)"),
                 "1KiB", "64MiB"),
    halo::within(halo::option(HALO_OPT_DURATION, "timeout", "10s", false,
                              "Longest wait for one request's answer"),
                 "100ms", "5m"),
    halo::option(HALO_OPT_STRING, "ca_file", nullptr, false,
                 "Extra trusted CA bundle (PEM), relative to the pipeline file"),
    halo::option(HALO_OPT_BOOL, "insecure", "false", false,
                 "Skip TLS certificate verification (explicit opt-in; logged as a warning)"),
};

HALO_PLUGIN_LIBRARY(halo::describe_destination<halo::plugins::profile_webhook::ProfileWebhook>(
    "profile-webhook", "1.0.0",
    "POSTs created, changed and removed profiles as signed JSON (Standard Webhooks)", kOptions,
    std::size(kOptions), HALO_CAP_INCREMENTAL_DELIVERY))
