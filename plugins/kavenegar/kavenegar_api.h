// kavenegar_api.h -- the parts of the Kavenegar SMS REST API
// (https://kavenegar.com/rest.html) the `kavenegar` destination uses: the
// receptor form of a phone number, the form of sms/send.json, and what
// its answers and those of sms/statuslocalmessageid.json mean.
//
// Invariants: every answer maps to exactly one outcome. A send is only
// ever `sent` on HTTP 200 with return.status 200; account and credential
// codes (401, 403, 407, 412, 418, 426, 501) are `fatal` -- no message can
// go until someone fixes the account -- codes about this message (400,
// 406, 411, 413, 414, 417, 422) are `failed`, and busy/too-many codes
// (409, 451), HTTP 429/5xx and anything unknown are `retry`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/message_verdict.h"
#include "common/sms_text.h"

namespace halo::plugins::kavenegar {

// "+989121234567" -> "09121234567" (Iran, national form); any other E.164
// number -> "00" + its digits; nullopt for anything that is not E.164.
std::optional<std::string> receptor_of(std::string_view e164);

// application/x-www-form-urlencoded body of sms/send.json. `localid` lets
// a later attempt ask whether this one went out.
std::string send_form(std::string_view receptor, std::string_view text, std::string_view sender,
                      uint64_t localid);

// The outcome of an answer to sms/send.json; a sent detail names the
// messageid and the segments, e.g. "messageid 8792343; 2 segments (UCS-2)".
Verdict classify_send(int http_status, std::string_view body, const SmsSegments &segments);

// What sms/statuslocalmessageid.json says of a localid: the message went
// out (kSent, detail names its messageid), it did not (kFailed: "not
// found"), or the answer does not tell (kRetry).
Verdict classify_lookup(int http_status, std::string_view body);

}  // namespace halo::plugins::kavenegar
