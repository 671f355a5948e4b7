// twilio_api.h -- the parts of Twilio's Programmable Messaging API
// (https://www.twilio.com/docs/messaging/api/message-resource) the
// `twilio` destination uses: the form that creates a Message resource and
// what the answers mean (https://www.twilio.com/docs/api/errors).
//
// Invariants: every answer maps to exactly one outcome. 201 with a `sid`
// is `sent`; 401 and error codes about the account or the sender (20003,
// 21606, 21659, 21212) are `fatal` -- no message can go until the set-up
// is fixed; 429, 5xx and 408 are `retry` (honouring Retry-After); any
// other 4xx is `failed` for this message (21211 invalid To, 21610 the
// recipient replied STOP, 21614 not a mobile, 21617 body too long).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/message_verdict.h"

namespace halo::plugins::twilio {

struct Sender {
  std::string from;                   // E.164 number or alphanumeric sender ID
  std::string messaging_service_sid;  // MG...; used when from is empty
  std::string status_callback;        // URL, may be empty
};

// application/x-www-form-urlencoded body of POST .../Messages.json.
// `message_id` goes into the status callback's query (m=ID) so a callback
// names the outbox message.
std::string create_form(const Sender &sender, std::string_view to, std::string_view body,
                        uint64_t message_id);

// The outcome of an answer: status, Retry-After header and body.
Verdict classify(int status, std::optional<std::string_view> retry_after, std::string_view body);

}  // namespace halo::plugins::twilio
