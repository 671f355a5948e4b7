// sendgrid_events.h -- what SendGrid's Event Webhook posts back to the
// `sendgrid` destination on `halo serve`
// (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event):
// a JSON array of events, each with `event`, `email`, `timestamp`,
// `sg_event_id`, `sg_message_id` and the message's custom_args flattened
// in (here `halo_message`, the outbox id), signed with ECDSA
// (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features).
//
// Invariants: nothing is believed before the signature over the
// timestamp header and the raw body verifies under the configured public
// key; a body that is not an array of objects, or holds more than
// kMaxEvents, is refused whole; an event that is not ours (no
// halo_message) or says nothing Halo keeps (processed, deferred, open,
// click) yields no action.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins::sendgrid {

inline constexpr size_t kMaxEvents = 10'000;

// Whether `signature_b64` (X-Twilio-Email-Event-Webhook-Signature) signs
// timestamp + body (X-Twilio-Email-Event-Webhook-Timestamp and the raw
// body) under `public_key_der` (the decoded verification key).
bool event_signature_valid(std::string_view public_key_der, std::string_view timestamp,
                           std::string_view body, std::string_view signature_b64);

struct SendgridEvent {
  std::string event, email, sg_event_id, sg_message_id;
  std::string type, reason, response, status;  // present for some events
  std::string url;                             // the link of a `click`, at most 2048 bytes
  std::string raw;                             // the event's JSON as posted (minified)
  uint64_t halo_message = 0;                   // 0: not a Halo message
  int64_t timestamp_s = 0;
};

// The events of a body, or nullopt when it is not an array of at most
// kMaxEvents objects (fields of the wrong type read as absent).
std::optional<std::vector<SendgridEvent>> parse_events(std::string_view body);

// What Halo keeps of an event.
struct EventAction {
  enum class Kind { kNone, kReceipt, kOptOut } kind = Kind::kNone;
  int32_t receipt = 0;  // halo_receipt_status, for kReceipt
  std::string detail;   // the receiver's words
};

// delivered -> delivered; bounce -> bounced (type "blocked": undelivered);
// dropped -> undelivered; spamreport -> complained; unsubscribe and
// group_unsubscribe -> an opt-out of email; anything else -> nothing.
EventAction action_of(const SendgridEvent &e);

}  // namespace halo::plugins::sendgrid
