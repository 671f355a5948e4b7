// webhook_intake.cpp -- verification, de-duplication and queueing of
// WooCommerce webhook deliveries (see webhook_intake.h).
#include "webhook_intake.h"

#include "common/crypto.h"

#include "common/json_text.h"

#include <simdjson.h>

#include <strings.h>
#include <chrono>

namespace halo::woo {
namespace {

constexpr size_t kRememberedDeliveries = 100000;

WebhookReply reply(int status, std::string_view message) {
  std::string body = "{\"message\":";
  halo::plugins::append_json_string(body, message);
  body += '}';
  return WebhookReply{status, body};
}

}  // namespace

std::string_view WebhookRequest::header(std::string_view name) const {
  for (const auto &[k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  }
  return {};
}

WebhookIntake::WebhookIntake(std::string secret, StatusEvents events, size_t capacity)
    : secret_(std::move(secret)), events_(std::move(events)), capacity_(capacity) {}

WebhookReply WebhookIntake::handle(const WebhookRequest &request) {
  if (request.method != "POST") return reply(405, "only POST deliveries are accepted");
  std::string_view signature = halo::plugins::trim_ascii(request.header("X-WC-Webhook-Signature"));
  if (signature.empty()) {
    // The activation ping carries no signature; WooCommerce needs a 200.
    if (request.body.rfind("webhook_id=", 0) == 0) return reply(200, "pong");
    return reply(401, "missing X-WC-Webhook-Signature");
  }
  std::string expected =
      plugins::base64_encode(plugins::hmac(plugins::HmacAlgorithm::kSha256, secret_, request.body));
  if (!plugins::constant_time_equal(expected, signature))
    return reply(401, "signature does not match");

  std::string_view topic = request.header("X-WC-Webhook-Topic");
  size_t dot = topic.find('.');
  std::string_view resource = topic.substr(0, dot);
  std::string_view event = dot == std::string_view::npos ? "" : topic.substr(dot + 1);
  if ((resource != "order" && resource != "customer") || event == "deleted") {
    return reply(200, "topic ignored");  // not a profile event; accepted so it stays enabled
  }
  simdjson::dom::parser parser;
  simdjson::dom::element payload;
  if (parser.parse(request.body).get(payload)) return reply(400, "body is not JSON");
  std::string record, error;
  bool ok = resource == "order" ? map_order(payload, events_, record, error)
                                : map_customer(payload, record, error);
  if (!ok) return reply(400, error);
  int64_t id = 0;
  std::string_view modified;
  if (payload["id"].get(id)) id = 0;
  if (payload["date_modified_gmt"].get(modified)) modified = {};
  std::string key = std::string(resource) + "/" + std::to_string(id) + "/" + std::string(modified);
  return enqueue(std::move(key), std::move(record));
}

WebhookReply WebhookIntake::enqueue(std::string key, std::string record) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (seen_.count(key) != 0) {
    ++duplicates_;
    return reply(200, "duplicate delivery");
  }
  if (queue_.size() >= capacity_) {
    WebhookReply busy = reply(503, "receiver queue is full; retry later");
    busy.retry_after_seconds = kRetryAfterSeconds;
    return busy;
  }
  queue_.push_back(std::move(record));
  seen_.insert(key);
  seen_order_.push_back(std::move(key));
  if (seen_order_.size() > kRememberedDeliveries) {
    seen_.erase(seen_order_.front());
    seen_order_.pop_front();
  }
  ++accepted_;
  ready_.notify_one();
  return reply(200, "queued");
}

size_t WebhookIntake::take(std::vector<std::string> &out, size_t max, int wait_ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  ready_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return !queue_.empty(); });
  size_t n = 0;
  while (n < max && !queue_.empty()) {
    out.push_back(std::move(queue_.front()));
    queue_.pop_front();
    ++n;
  }
  return n;
}

size_t WebhookIntake::accepted() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return accepted_;
}

size_t WebhookIntake::duplicates() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return duplicates_;
}

}  // namespace halo::woo
