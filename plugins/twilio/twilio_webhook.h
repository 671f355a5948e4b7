// twilio_webhook.h -- what Twilio posts back to the `twilio` destination
// on `halo serve`: message status callbacks
// (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status)
// and incoming messages to the sending number
// (https://www.twilio.com/docs/messaging/guides/webhook-request), both
// form-encoded and signed with X-Twilio-Signature
// (https://www.twilio.com/docs/usage/webhooks/webhooks-security). A
// webhook with a JSON body is signed for its URL alone, the URL carrying
// bodySHA256 (the body's SHA-256 in hex), which must match the body.
//
// Invariants: nothing is believed before the signature checks out against
// the account's Auth Token; a status that is not final (queued, sending,
// sent, ...) reports nothing, since a later callback will; a reply is an
// opt-out or opt-in only when its whole text, trimmed and case-folded, is
// one of the keywords below -- "stop by the shop" is a message, not a STOP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/sms_keywords.h"
#include "common/wire_text.h"

namespace halo::plugins::twilio {

// base64(HMAC-SHA1(auth_token, url + each field name and value, fields
// sorted by name then value)): the X-Twilio-Signature of a form POST to
// `url`, the full URL Twilio requested (scheme, host, port if any, path,
// query).
std::string twilio_signature(std::string_view auth_token, std::string_view url, FormFields fields);

// Whether `signature` signs the request. Like Twilio's helper libraries,
// also tries `url` with the scheme's default port added or removed (a
// proxy in between may change it). Constant time per comparison.
bool signature_valid(std::string_view auth_token, std::string_view url, const FormFields &fields,
                     std::string_view signature);

// Whether a Content-Type names JSON: application/json in any case, with or
// without parameters (`; charset=utf-8`).
bool is_json_media_type(std::string_view content_type);

// Whether `signature` signs a JSON-bodied request to `url`: the
// signature of the URL alone (no fields, default ports tried as above),
// and the URL's bodySHA256 query parameter equal to the SHA-256 of `body`
// in hex (either case). False when the URL carries no bodySHA256.
bool json_signature_valid(std::string_view auth_token, std::string_view url, std::string_view body,
                          std::string_view signature);

// A JSON-bodied webhook's top-level members as fields, so that a status or
// a reply reads the same as from a form: strings as they are, numbers as
// decimal text, true and false as words; null, objects and arrays are left out.
// nullopt when `body` is not one JSON object, has more than `max_fields`
// members, or a string that is not UTF-8.
std::optional<FormFields> json_fields(std::string_view body, size_t max_fields);

// The value of the first field named `name`, or nullopt.
std::optional<std::string_view> field(const FormFields &fields, std::string_view name);

// A status callback's final word on a message.
struct StatusReport {
  enum class Kind { kDelivered, kUndelivered, kBounced };
  Kind kind = Kind::kDelivered;
  std::string message_sid;
  std::string detail;  // "undelivered, error 30003"
};

// What a status callback says: nullopt while the status is not final.
// MessageStatus delivered or read -> delivered; undelivered or failed ->
// undelivered, except error 30005 (unknown handset) and 30006 (landline or
// unreachable carrier): the number cannot take SMS -> bounced
// (https://www.twilio.com/docs/api/errors).
std::optional<StatusReport> status_report(const FormFields &fields);

// The outbox id in a status callback's query (m=ID, as create_form put it).
std::optional<uint64_t> callback_message_id(std::string_view query);

}  // namespace halo::plugins::twilio
