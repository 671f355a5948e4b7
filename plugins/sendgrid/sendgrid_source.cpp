// sendgrid_source.cpp -- the `sendgrid` source: SendGrid's signed Event
// Webhook, received on the kernel's HTTP server, as Segment email spec
// events on the recipients' profiles (engagement_records.h): opens and
// clicks for the engagement features, deliveries, bounces, spam reports
// and unsubscribes for the consent ledger.
//
// Invariants (the route's handler runs on the server's threads, possibly
// several at once; next_batch on the instance's thread):
//  - nothing is believed before the post is authenticated (the signature
//    over the timestamp header and the raw body, 403 otherwise; an OAuth
//    bearer token, 401 otherwise; event_webhook.h), and a body that is not an
//    array of at most kMaxEvents objects is refused whole (400);
//  - a batch is queued whole or not at all: 200 means every event of it is
//    in the queue; a full queue answers 503 with Retry-After, and SendGrid
//    posts the batch again (its events keep their ids: the copies already
//    stored are duplicates);
//  - the queue never holds more than `queue_capacity` entries.
#include <halo/sdk.hpp>

#include <deque>
#include <iterator>
#include <memory>
#include <mutex>

#include "common/wire_text.h"
#include "engagement_records.h"
#include "event_webhook.h"
#include "sendgrid_events.h"

namespace halo::plugins::sendgrid {
namespace {

// What the handler hands to next_batch: a record, or an event Halo records
// but cannot place (no id, address or time), kept as a dead letter.
struct Entry {
  std::string json;
  bool unusable = false;
};

class EngagementIntake {
 public:
  EngagementIntake(const halo::Host &host, const std::string &url, size_t capacity)
      : host_(host), guard_(host, url), capacity_(capacity) {}

  const EventWebhookGuard &guard() const { return guard_; }

  void on_events(const halo::HttpServerRequest &req, halo::HttpServerResponse &res) {
    std::optional<std::vector<SendgridEvent>> events = guard_.events(req, res);
    if (!events) return;
    std::vector<Entry> entries;
    for (SendgridEvent &e : *events) {
      if (!recorded_event(e)) continue;  // processed, deferred, ...
      std::optional<std::string> record = engagement_record(e);
      entries.push_back(record ? Entry{std::move(*record)} : Entry{std::move(e.raw), true});
    }
    host_.metric("events_ignored", static_cast<int64_t>(events->size() - entries.size()));
    std::lock_guard lock(mutex_);
    if (queue_.size() + entries.size() > capacity_) {
      res.status(503);
      res.header("Retry-After", "30");
      return;
    }
    for (Entry &e : entries) queue_.push_back(std::move(e));
  }

  std::vector<Entry> take(size_t max) {
    std::lock_guard lock(mutex_);
    std::vector<Entry> out;
    while (!queue_.empty() && out.size() < max) {
      out.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    return out;
  }

 private:
  halo::Host host_;
  const EventWebhookGuard guard_;
  const size_t capacity_;
  std::mutex mutex_;
  std::deque<Entry> queue_;
};

class SendgridSource : public halo::Source {
 public:
  explicit SendgridSource(halo::Host host)
      : halo::Source(host),
        url_(host.string_option("event_webhook_url")),
        max_idle_ms_(host.int_option("max_idle_ms")) {
    if (!url_.starts_with("https://") && !url_.starts_with("http://")) {
      throw halo::ConfigError("event_webhook_url", "must be an http:// or https:// URL");
    }
    intake_ = std::make_unique<EngagementIntake>(
        host, url_, static_cast<size_t>(host.int_option("queue_capacity")));
  }

  void start() override {
    if (route_) return;
    EngagementIntake *intake = intake_.get();
    const std::string listen = host().opt_string_or("listen", "");
    route_ = std::make_unique<halo::HttpRoute>(
        host(), "POST", url_path(url_),
        [intake](const halo::HttpServerRequest &req, halo::HttpServerResponse &res) {
          intake->on_events(req, res);
        },
        listen);
    token_route_ = intake->guard().token_route(listen);
    host().info("sendgrid: receiving Event Webhook posts at POST " + url_path(url_) + " on port " +
                std::to_string(route_->port()));
    last_activity_ms_ = host().now_ms();
  }

  // What arrived since the last call, or nothing ("nothing now": the
  // kernel calls again after a short wait). The stream ends on
  // cancellation or after max_idle_ms without posts.
  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    if (!route_) start();
    sink.origin("event webhook " + url_path(url_));
    std::vector<Entry> entries = intake_->take(max_records);
    if (entries.empty()) {
      const int64_t idle = host().now_ms() - last_activity_ms_;
      if (host().cancelled() || (max_idle_ms_ > 0 && idle >= max_idle_ms_)) sink.end_of_data();
      return;
    }
    for (const Entry &e : entries) {
      if (e.unusable) {
        sink.error(HALO_REASON_INVALID,
                   "a SendGrid event without sg_event_id, email or a valid timestamp", e.json,
                   ++received_);
      } else {
        sink.record(e.json, ++received_);
      }
    }
    last_activity_ms_ = host().now_ms();
  }

  // No position to keep: SendGrid holds what Halo has not answered 200.
  std::string_view cursor() override { return {}; }

 private:
  const std::string url_;
  const int64_t max_idle_ms_;
  std::unique_ptr<EngagementIntake> intake_;
  // The kernel removes the routes before stop().
  std::unique_ptr<halo::HttpRoute> route_, token_route_;
  int64_t last_activity_ms_ = 0;
  uint64_t received_ = 0;
};

const halo_option_decl kSourceOptions[] = {
    halo::option(HALO_OPT_STRING, "event_webhook_url", nullptr, true,
                 "Public URL set as the Event Webhook's HTTP Post URL; halo answers it on its "
                 "path"),
    kEventWebhookKey,
    kOAuthClientId,
    kOAuthClientSecret,
    kOAuthTokenUrl,
    halo::option(HALO_OPT_STRING, "listen", nullptr, false,
                 "HOST:PORT of the kernel's HTTP server when the pipeline has no http.listen "
                 "(default 127.0.0.1:8088)"),
    halo::within(halo::option(HALO_OPT_INT, "max_idle_ms", "0", false,
                              "End the run after this long without posts (0 = never)"),
                 "0", nullptr),
    halo::within(halo::option(HALO_OPT_INT, "queue_capacity", "100000", false,
                              "Events held before answering 503"),
                 "1", "10000000"),
};

}  // namespace

const halo_plugin_descriptor *sendgrid_source_descriptor() {
  return halo::describe_source<SendgridSource>(
      "sendgrid", "1.0.0",
      "SendGrid Event Webhook events (opens, clicks, deliveries, bounces, spam reports, "
      "unsubscribes) as profile events",
      kSourceOptions, std::size(kSourceOptions), 0);
}

}  // namespace halo::plugins::sendgrid
