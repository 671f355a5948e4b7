// sendgrid_events.cpp -- see sendgrid_events.h.
#include "sendgrid_events.h"

#include <simdjson.h>

#include <charconv>

#include <halo/plugin.h>
#include "common/crypto.h"
#include "common/json_text.h"

namespace halo::plugins::sendgrid {

namespace {

// The string field `key` of `e`, at most `cap` bytes of it; "" when absent
// or not a string.
std::string text_field(simdjson::dom::object e, const char *key, size_t cap = 256) {
  std::string_view v;
  if (e[key].get_string().get(v)) return {};
  return std::string(clip_utf8(v, cap));
}

// halo_message as the sendgrid destination sets it: a string of digits.
uint64_t message_id(simdjson::dom::object e) {
  std::string_view v;
  if (e["halo_message"].get_string().get(v) || v.empty() || v.size() > 20) return 0;
  uint64_t id = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
  return ec == std::errc() && end == v.data() + v.size() ? id : 0;
}

std::string words(const SendgridEvent &e) {
  std::string out = e.event;
  for (const std::string *part : {&e.type, &e.status, &e.reason, &e.response}) {
    if (!part->empty()) out += ": " + *part;
  }
  return out;
}

}  // namespace

bool event_signature_valid(std::string_view public_key_der, std::string_view timestamp,
                           std::string_view body, std::string_view signature_b64) {
  if (timestamp.empty() || signature_b64.empty()) return false;
  std::optional<std::string> signature = base64_decode(signature_b64);
  if (!signature) return false;
  std::string signed_bytes(timestamp);
  signed_bytes.append(body);
  return ecdsa_sha256_verify(public_key_der, signed_bytes, *signature);
}

std::optional<std::vector<SendgridEvent>> parse_events(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(body.data(), body.size()).get_array().get(array)) return std::nullopt;
  if (array.size() > kMaxEvents) return std::nullopt;
  std::vector<SendgridEvent> out;
  out.reserve(array.size());
  for (simdjson::dom::element item : array) {
    simdjson::dom::object e;
    if (item.get_object().get(e)) return std::nullopt;
    SendgridEvent ev;
    ev.event = text_field(e, "event", 64);
    ev.email = text_field(e, "email", 320);
    ev.sg_event_id = text_field(e, "sg_event_id", 128);
    ev.sg_message_id = text_field(e, "sg_message_id", 128);
    ev.type = text_field(e, "type", 32);
    ev.reason = text_field(e, "reason");
    ev.response = text_field(e, "response");
    ev.status = text_field(e, "status", 32);
    ev.url = text_field(e, "url", 2048);
    ev.raw = simdjson::minify(item);
    ev.halo_message = message_id(e);
    int64_t ts = 0;
    if (!e["timestamp"].get_int64().get(ts) && ts > 0) ev.timestamp_s = ts;
    out.push_back(std::move(ev));
  }
  return out;
}

EventAction action_of(const SendgridEvent &e) {
  EventAction a;
  a.detail = words(e);
  const std::string &ev = e.event;
  if (ev == "unsubscribe" || ev == "group_unsubscribe") {
    a.kind = EventAction::Kind::kOptOut;
    return a;
  }
  if (e.halo_message == 0) return a;
  if (ev == "delivered") {
    a.receipt = HALO_RECEIPT_DELIVERED;
  } else if (ev == "bounce") {
    a.receipt = e.type == "blocked" ? HALO_RECEIPT_UNDELIVERED : HALO_RECEIPT_BOUNCED;
  } else if (ev == "dropped") {
    a.receipt = HALO_RECEIPT_UNDELIVERED;
  } else if (ev == "spamreport") {
    a.receipt = HALO_RECEIPT_COMPLAINED;
  } else {
    return a;  // processed, deferred, open, click, group_resubscribe, ...
  }
  a.kind = EventAction::Kind::kReceipt;
  return a;
}

}  // namespace halo::plugins::sendgrid
