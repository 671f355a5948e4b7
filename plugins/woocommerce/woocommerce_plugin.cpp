// woocommerce_plugin.cpp -- the SDK adapter of the `woocommerce` source:
// option table, and the wiring of pull mode (WooClient + WooPuller over the
// host's HTTP client) and webhook mode (a route on the kernel's HTTP server,
// plugin ABI 1.2, feeding WebhookIntake). The logic lives in the other files
// of this folder; this one only reads options, owns the parts, converts
// cursors and translates deliveries between the SDK and WebhookIntake.
#include "webhook_intake.h"
#include "woo_client.h"
#include "woo_cursor.h"
#include "woo_options.h"
#include "woo_puller.h"

#include <halo/sdk.hpp>

#include <iterator>
#include <memory>

namespace halo::woo {
namespace {

// Runs on the kernel's HTTP server threads: only WebhookIntake (locked,
// bounded) is touched.
void answer_delivery(WebhookIntake &intake, const halo::HttpServerRequest &in,
                     halo::HttpServerResponse &out) {
  WebhookRequest request;
  request.method = in.method();
  request.target = in.path();
  for (const char *name : {"X-WC-Webhook-Signature", "X-WC-Webhook-Topic"}) {
    if (auto v = in.header(name)) request.headers.emplace_back(name, *v);
  }
  request.body = in.body();
  WebhookReply reply = intake.handle(request);
  out.status(reply.status);
  out.header("Content-Type", "application/json");
  if (reply.retry_after_seconds > 0) {
    out.header("Retry-After", std::to_string(reply.retry_after_seconds));
  }
  out.body(reply.body);
}

class WooSource : public halo::Source {
 public:
  explicit WooSource(halo::Host host) : halo::Source(host), options_(read_options(host)) {
    if (options_.insecure) {
      host.warn("woocommerce: insecure: true -- TLS certificates of " + options_.url +
                " are NOT verified; use ca_file instead");
    }
  }

  void restore_cursor(std::string_view cursor) override { saved_cursor_ = cursor; }

  void start() override {
    if (options_.mode == SourceMode::kWebhook) return start_webhook();
    std::string error;
    auto cursor = decode_cursor(saved_cursor_, error);
    if (!cursor)
      throw halo::Error(error + "; reset this source's checkpoint to re-import", HALO_FATAL);
    client_ = std::make_unique<WooClient>(host(), options_);
    puller_ = std::make_unique<WooPuller>(*client_, options_, std::move(*cursor));
    cursor_text_ = encode_cursor(puller_->cursor());
  }

  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    if (options_.mode == SourceMode::kWebhook) return webhook_batch(sink, max_records);
    if (!puller_) start();
    bool finished = puller_->next(sink);
    cursor_text_ = encode_cursor(puller_->cursor());
    if (finished) sink.end_of_data();
  }

  std::string_view cursor() override {
    // Webhook mode keeps the pull position so switching back resumes it.
    return puller_ ? std::string_view(cursor_text_) : std::string_view(saved_cursor_);
  }

  // The kernel removes the route before stop(): no delivery is accepted
  // that next_batch would no longer drain.

 private:
  void start_webhook() {
    if (route_) return;
    intake_ = std::make_unique<WebhookIntake>(options_.webhook_secret, options_.status_events,
                                              static_cast<size_t>(options_.queue_capacity));
    WebhookIntake *intake = intake_.get();
    route_ = std::make_unique<halo::HttpRoute>(
        host(), "POST", options_.path,
        [intake](const halo::HttpServerRequest &in, halo::HttpServerResponse &out) {
          answer_delivery(*intake, in, out);
        },
        options_.listen);
    host().info("woocommerce: receiving webhooks at POST " + options_.path + " on port " +
                std::to_string(route_->port()));
    last_activity_ms_ = host().now_ms();
  }

  // Hands over what was delivered since the last call, or nothing ("nothing
  // now": the kernel calls again after a short wait, plugin.h). The stream
  // ends on cancellation or after max_idle_ms without deliveries.
  void webhook_batch(const halo::Sink &sink, uint32_t max_records) {
    if (!route_) start_webhook();
    sink.origin("webhook " + options_.path);
    std::vector<std::string> records;
    intake_->take(records, max_records, 0);
    if (records.empty()) {
      int64_t idle = host().now_ms() - last_activity_ms_;
      if (host().cancelled() || (options_.max_idle_ms > 0 && idle >= options_.max_idle_ms)) {
        sink.end_of_data();
      }
      return;
    }
    for (size_t i = 0; i < records.size(); ++i) sink.record(records[i], ++delivered_);
    last_activity_ms_ = host().now_ms();
  }

  WooOptions options_;
  std::string saved_cursor_;
  std::string cursor_text_;
  std::unique_ptr<WooClient> client_;
  std::unique_ptr<WooPuller> puller_;
  std::unique_ptr<WebhookIntake> intake_;
  std::unique_ptr<halo::HttpRoute> route_;  // the kernel removes the route before stop()
  int64_t last_activity_ms_ = 0;
  uint64_t delivered_ = 0;
};

}  // namespace
}  // namespace halo::woo

static const char *const kAuthModes[] = {"auto", "basic", "oauth1"};
static const char *const kModes[] = {"pull", "webhook"};

static const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_STRING, "url", nullptr, false,
                 "Store home URL (https://shop.example); required in pull mode"),
    halo::option(HALO_OPT_STRING, "consumer_key", nullptr, false,
                 "REST API consumer key ck_... (read access), via ${ENV}; required in pull mode",
                 true),
    halo::option(HALO_OPT_STRING, "consumer_secret", nullptr, false,
                 "REST API consumer secret cs_..., via ${ENV}; required in pull mode", true),
    halo::one_of(halo::option(HALO_OPT_STRING, "auth", "auto", false,
                              "auto (basic for https, oauth1 for http), basic or oauth1 "
                              "(HMAC-SHA256)"),
                 kAuthModes),
    halo::option(HALO_OPT_STRING_LIST, "resources", nullptr, false,
                 "What to pull: customers and/or orders (default both)"),
    halo::within(halo::option(HALO_OPT_INT, "per_page", "100", false,
                              "Page size (WooCommerce's maximum is 100)"),
                 "1", "100"),
    halo::option(HALO_OPT_STRING, "modified_after", nullptr, false,
                 "First run only: import orders modified at/after this UTC date"),
    halo::within(halo::option(HALO_OPT_INT, "overlap_seconds", "60", false,
                              "Each run re-reads orders modified this long before the last one "
                              "seen"),
                 "0", "604800"),
    halo::option(HALO_OPT_STRING, "ca_file", nullptr, false,
                 "Extra trusted CA bundle (PEM), relative to the pipeline file"),
    halo::option(HALO_OPT_BOOL, "insecure", "false", false,
                 "Skip TLS verification (logged as a warning; never in production)"),
    halo::option(HALO_OPT_MAP, "status_events", nullptr, false,
                 "Order status -> event name, overriding the defaults (completed/processing -> "
                 "Order Completed, refunded -> Order Refunded, cancelled -> Order Cancelled, "
                 "else Order Updated)"),
    halo::one_of(halo::option(HALO_OPT_STRING, "mode", "pull", false,
                              "pull (REST, incremental) or webhook (receive signed deliveries)"),
                 kModes),
    halo::option(HALO_OPT_STRING, "listen", nullptr, false,
                 "Webhook mode: HOST:PORT of the kernel's HTTP server when the pipeline has no "
                 "http.listen (default 127.0.0.1:8088)"),
    halo::option(HALO_OPT_STRING, "path", "/woocommerce/webhook", false,
                 "Webhook mode: URL path deliveries are POSTed to"),
    halo::option(HALO_OPT_STRING, "webhook_secret", nullptr, false,
                 "Webhook mode: the webhook's secret, via ${ENV} (required there)", true),
    halo::within(halo::option(HALO_OPT_INT, "max_idle_ms", "0", false,
                              "Webhook mode: end the run after this long without deliveries "
                              "(0 = never)"),
                 "0", nullptr),
    halo::within(halo::option(HALO_OPT_INT, "queue_capacity", "10000", false,
                              "Webhook mode: deliveries held before answering 503"),
                 "1", "1000000"),
};

HALO_PLUGIN_LIBRARY(halo::describe_source<halo::woo::WooSource>(
    "woocommerce", "1.0.0", "Customers and orders from a WooCommerce store (REST or webhooks)",
    kOptions, std::size(kOptions), HALO_CAP_CHECKPOINT))
