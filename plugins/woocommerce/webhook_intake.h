// webhook_intake.h -- what the webhook receiver does with one delivery
// (WooCommerce REST API docs, "Webhooks" > "Delivery/payload":
// https://woocommerce.github.io/woocommerce-rest-api-docs/#delivery-payload),
// independent of sockets: answer the activation ping, verify
// X-WC-Webhook-Signature (base64 HMAC-SHA256 of the raw body,
// constant-time compare) before parsing anything, map order.* and
// customer.* payloads to Segment records, drop redeliveries, and queue the
// records for next_batch.
//
// Invariants (thread-safe; handle() runs on the kernel's HTTP server
// threads, possibly several at once, take() on the instance's thread):
//  - 200 is answered only after the record is in the queue (or when the
//    delivery is a ping, a duplicate or a topic we ignore); a full queue
//    answers 503 with Retry-After so the sender keeps the delivery and
//    tries again later.
//  - Redeliveries are recognised by (resource, id, date_modified_gmt), not
//    by X-WC-Webhook-Delivery-ID alone, which repeats within one second.
//  - The queue never exceeds `capacity` records.
#pragma once

#include "woo_mapping.h"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace halo::woo {

struct WebhookRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Case-insensitive; empty when absent.
  std::string_view header(std::string_view name) const;
};

struct WebhookReply {
  int status = 200;
  std::string body;
  int retry_after_seconds = 0;  // > 0: send a Retry-After header
};

// Seconds a sender is asked to wait when the queue is full.
inline constexpr int kRetryAfterSeconds = 10;

class WebhookIntake {
 public:
  WebhookIntake(std::string secret, StatusEvents events, size_t capacity);

  WebhookReply handle(const WebhookRequest &request);

  // Moves up to `max` queued records into `out`, waiting up to wait_ms for
  // the first one. Returns how many were moved.
  size_t take(std::vector<std::string> &out, size_t max, int wait_ms);

  // Counters for logs and tests.
  size_t accepted() const;
  size_t duplicates() const;

 private:
  WebhookReply enqueue(std::string key, std::string record);

  const std::string secret_;
  const StatusEvents events_;
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::string> queue_;
  std::unordered_set<std::string> seen_;
  std::deque<std::string> seen_order_;  // bounds seen_ (oldest forgotten first)
  size_t accepted_ = 0;
  size_t duplicates_ = 0;
};

}  // namespace halo::woo
