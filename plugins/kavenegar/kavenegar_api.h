// kavenegar_api.h -- the parts of the Kavenegar SMS REST API
// (https://kavenegar.com/rest.html) the `kavenegar` destination uses: the
// receptor form of a phone number, the forms of sms/send.json and
// verify/lookup.json (a template defined in the Kavenegar panel, filled
// with tokens), and what their answers and those of
// sms/statuslocalmessageid.json mean; and for the `kavenegar` source, what
// sms/receive.json answers.
//
// Invariants: every answer maps to exactly one outcome. A send is only
// ever `sent` on HTTP 200 with return.status 200; account and credential
// codes (401, 403, 407, 412, 418, 426, 501) are `fatal` -- no message can
// go until someone fixes the account -- codes about this message (400,
// 406, 413, 414, 417, 422, and for lookups 424, 428, 431, 432) are
// `failed`, 411 (no such receptor) `bounced`, and busy/too-many codes
// (409, 451), HTTP 429/5xx and anything unknown are `retry`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <halo/plugin.h>

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

// --- template messages (verify/lookup.json) ---

// The values of a lookup template's placeholders: token is required;
// token, token2 and token3 may hold no white space, token10 and token20 at
// most kMaxTokenSpaces spaces (Kavenegar's rules for each kind of token).
struct LookupTokens {
  std::string token, token2, token3, token10, token20;
};
inline constexpr size_t kMaxTokenSpaces = 4;
inline constexpr size_t kMaxTokenBytes = 100;

// The tokens a message's variables (a JSON object) give: the variables
// named token, token2, token3, token10 and token20 (text or numbers), or
// why they cannot fill a template (a missing token, white space where none
// may be, a value that is not text or a number, one over kMaxTokenBytes).
struct TokensOrWhy {
  LookupTokens tokens;
  std::string why;  // empty when the tokens can be used
};
TokensOrWhy lookup_tokens(std::string_view variables_json);

// application/x-www-form-urlencoded body of verify/lookup.json; `type` is
// "sms" or "call".
std::string lookup_form(std::string_view receptor, std::string_view template_name,
                        const LookupTokens &tokens, std::string_view type);

// The outcome of an answer to verify/lookup.json; a sent detail names the
// messageid: "messageid 8792343; template otp".
Verdict classify_lookup_send(int http_status, std::string_view body,
                             std::string_view template_name);

// The messageid a sent detail (classify_send, classify_lookup) names, or
// nullopt when it names none.
std::optional<int64_t> messageid_of(std::string_view sent_detail);

// application/x-www-form-urlencoded body of sms/status.json for these
// messageids (comma-separated).
std::string status_form(const std::vector<int64_t> &messageids);

// One entry of an answer to sms/status.json.
struct MessageStatus {
  int64_t messageid = 0;
  int64_t status = 0;      // Kavenegar's message status code
  std::string statustext;  // its Persian words, at most 200 bytes
};

// The entries of an answer to sms/status.json, or the reason the answer
// cannot be used (an error envelope, HTTP error, unreadable body) -- at
// most kMaxStatusEntries entries are read.
inline constexpr size_t kMaxStatusEntries = 500;
struct StatusAnswer {
  std::vector<MessageStatus> entries;
  std::string error;  // empty when the answer was read
};
StatusAnswer parse_status_answer(int http_status, std::string_view body);

// The delivery report a final status makes: 10 delivered; 6 (failed at the
// line), 11 (not delivered), 13 (canceled), 14 (blocked by the recipient)
// undelivered; nullopt for one still on its way (1 queued, 2 scheduled,
// 4/5 at the operator), 100 (unknown id) and codes this version does not
// know -- those are asked again.
std::optional<halo_receipt_status> receipt_of(int64_t status);

// What sms/statuslocalmessageid.json says of a localid: the message went
// out (kSent, detail names its messageid), it did not (kFailed: "not
// found"), or the answer does not tell (kRetry).
Verdict classify_lookup(int http_status, std::string_view body);

// --- incoming messages (sms/receive.json) ---

// application/x-www-form-urlencoded body of sms/receive.json: the unread
// messages to `line` (Kavenegar marks them read as it answers), or, with
// `read`, the latest ones already read.
std::string receive_form(std::string_view line, bool read);

// One message a person sent to the line.
struct InboundSms {
  int64_t messageid = 0;  // Kavenegar's id, > 0
  std::string message;    // at most kMaxInboundBytes of it
  std::string sender;     // the person's number as Kavenegar gives it ("0912...")
  std::string receptor;   // the line
  int64_t date = 0;       // Unix seconds
};
inline constexpr size_t kMaxInboundBytes = 4096;

// The entries of an answer to sms/receive.json (at most kMaxReceiveEntries:
// the API gives at most 100 a call), each a message or, when it lacks a
// positive messageid, a sender or a date, its JSON text in `unusable`; or
// the reason the answer cannot be used.
inline constexpr size_t kMaxReceiveEntries = 100;
struct ReceiveAnswer {
  std::vector<InboundSms> messages;
  std::vector<std::string> unusable;
  size_t entries = 0;  // messages + unusable
  std::string error;   // empty when the answer was read
  // With an error: HALO_FATAL when no call can succeed until someone fixes
  // the account (a refused key), HALO_RETRY when a later one may (busy,
  // 429, 5xx, no answer read), HALO_ERROR otherwise.
  halo_status failure = HALO_OK;
};
ReceiveAnswer parse_receive_answer(int http_status, std::string_view body);

// The Segment event an incoming message is (valid JSON): a reply that is
// an opt-out keyword (sms_keywords.h) is `Unsubscribed` from sms, an
// opt-in keyword `Consent Updated` (sms, opted in), anything else `SMS
// Received`; the sender at context.traits.phone, messageId
// "kavenegar-sms:<messageid>", the message time as timestamp, and the text,
// line and messageid in properties (proof: the reply).
std::string inbound_record(const InboundSms &m);

}  // namespace halo::plugins::kavenegar
