// twilio_api.cpp -- see twilio_api.h.
#include "twilio_api.h"

#include <simdjson.h>

#include "common/json_text.h"
#include "common/wire_text.h"

namespace halo::plugins::twilio {
namespace {

using Kind = Verdict::Kind;

bool is_setup_error(int64_t code) {
  // 20003 authentication, 21606/21659 a From the account cannot use,
  // 21212 an invalid From.
  return code == 20003 || code == 21606 || code == 21659 || code == 21212;
}

}  // namespace

std::string create_form(const Sender &s, std::string_view to, std::string_view body,
                        uint64_t message_id) {
  std::string form = "To=" + url_encode(to);
  form += s.from.empty() ? "&MessagingServiceSid=" + url_encode(s.messaging_service_sid)
                         : "&From=" + url_encode(s.from);
  form += "&Body=" + url_encode(body);
  if (!s.status_callback.empty()) {
    const char joiner = s.status_callback.find('?') == std::string::npos ? '?' : '&';
    form += "&StatusCallback=" +
            url_encode(s.status_callback + joiner + "m=" + std::to_string(message_id));
  }
  return form;
}

// Twilio error codes (https://www.twilio.com/docs/api/errors): 21610
// "Attempt to send to unsubscribed recipient", 21211 "Invalid 'To' Phone
// Number".
constexpr int64_t kOptedOutCode = 21610;
constexpr int64_t kInvalidToCode = 21211;

Verdict classify(int status, std::optional<std::string_view> retry_after, std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const bool parsed = !parser.parse(body.data(), body.size()).get(root) && root.is_object();
  Verdict v;
  if (status == 201 || status == 200) {
    std::string_view sid, segments;
    if (parsed && !root["sid"].get_string().get(sid)) {
      v.kind = Kind::kSent;
      v.detail = std::string(clip_utf8(sid, 64));
      if (!root["num_segments"].get_string().get(segments)) {
        v.detail += "; " + std::string(clip_utf8(segments, 8)) + " segments";
      }
      return v;
    }
    v.kind = Kind::kRetry;  // an answer without a sid says nothing
    v.detail = http_detail(status, body);
    return v;
  }
  int64_t code = 0;
  std::string_view message;
  if (parsed && !root["code"].get_int64().get(code)) {
    v.detail = "Twilio " + std::to_string(code);
    if (!root["message"].get_string().get(message)) {
      v.detail += ": " + std::string(clip_utf8(message, 200));
    }
  } else {
    v.detail = http_detail(status, body);
  }
  if (status == 401 || is_setup_error(code)) {
    v.kind = Kind::kFatal;
  } else if (code == kOptedOutCode) {
    v.kind = Kind::kOptedOut;  // the number replied STOP: the kernel records it
  } else if (code == kInvalidToCode) {
    v.kind = Kind::kBounced;  // not a number that can receive messages
  } else if (http_transient(status)) {
    v.kind = Kind::kRetry;
    v.retry_after_ms = retry_after_ms(retry_after);
  } else {
    v.kind = Kind::kFailed;
  }
  return v;
}

}  // namespace halo::plugins::twilio
