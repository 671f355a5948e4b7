// kavenegar_api.cpp -- see kavenegar_api.h.
#include "kavenegar_api.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>

#include "common/json_text.h"
#include "common/sms_keywords.h"
#include "common/time_text.h"
#include "common/wire_text.h"

namespace halo::plugins::kavenegar {
namespace {

using Kind = Verdict::Kind;

// The envelope every answer has: {"return":{"status":N,"message":".."},
// "entries":[...] | null}.
struct Envelope {
  bool parsed = false;
  int64_t code = 0;
  std::string message;
  std::optional<int64_t> messageid;  // of the first entry
  std::optional<int64_t> status;     // of the first entry
};

Envelope parse(std::string_view body) {
  Envelope e;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root)) return e;
  simdjson::dom::element ret;
  if (root["return"].get(ret) || ret["status"].get_int64().get(e.code)) return e;
  std::string_view message;
  if (!ret["message"].get_string().get(message)) e.message = std::string(clip_utf8(message, 200));
  e.parsed = true;
  simdjson::dom::array entries;
  if (root["entries"].get_array().get(entries) || entries.size() == 0) return e;
  simdjson::dom::element first = entries.at(0);
  int64_t v = 0;
  if (!first["messageid"].get_int64().get(v) && v > 0) e.messageid = v;  // ids are positive
  if (!first["status"].get_int64().get(v)) e.status = v;
  return e;
}

Kind kind_of(int64_t code) {
  switch (code) {
    case 401:
    case 403:
    case 407:
    case 412:
    case 418:
    case 426:
    case 501:
      return Kind::kFatal;
    case 411:  // invalid receptor: no later message can reach it either
      return Kind::kBounced;
    case 400:
    case 406:
    case 413:
    case 414:
    case 417:
    case 422:
    case 424:  // lookup: no such template
    case 428:  // lookup: a call cannot say this token
    case 431:  // lookup: the template's code is malformed
    case 432:  // lookup: a token the template needs is missing
      return Kind::kFailed;
    default:
      return Kind::kRetry;  // 409 busy, 451 too many requests, and unknown codes
  }
}

std::string said(int http_status, const Envelope &e, std::string_view body) {
  if (!e.parsed) return http_detail(http_status, body);
  return "Kavenegar " + std::to_string(e.code) + (e.message.empty() ? "" : ": " + e.message);
}

// The outcome of an answer to a send (sms/send.json, verify/lookup.json):
// sent only on HTTP 200 with return.status 200 and a messageid (detail:
// sent_detail(messageid)), else by the code (kind_of); an answer that is
// not the envelope is a retry unless its HTTP status says it never will be.
template <class SentDetail>
Verdict classify_sending(int http_status, std::string_view body, SentDetail sent_detail) {
  const Envelope e = parse(body);
  Verdict v;
  if (http_status == 200 && e.parsed && e.code == 200 && e.messageid) {
    v.kind = Kind::kSent;
    v.detail = sent_detail(*e.messageid);
    return v;
  }
  v.detail = said(http_status, e, body);
  if (e.parsed && e.code != 200)
    v.kind = kind_of(e.code);
  else
    v.kind = Kind::kRetry;  // 200 without an id, 5xx pages, proxies: ask again
  if (!e.parsed && http_status >= 400 && !http_transient(http_status)) v.kind = Kind::kFailed;
  return v;
}

}  // namespace

std::optional<std::string> receptor_of(std::string_view n) {
  if (n.size() < 8 || n.size() > 16 || n.front() != '+') return std::nullopt;
  const std::string_view digits = n.substr(1);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  if (digits.starts_with("98")) return "0" + std::string(digits.substr(2));
  return "00" + std::string(digits);
}

std::string send_form(std::string_view receptor, std::string_view text, std::string_view sender,
                      uint64_t localid) {
  std::string form = "receptor=" + url_encode(receptor) + "&message=" + url_encode(text);
  if (!sender.empty()) form += "&sender=" + url_encode(sender);
  form += "&localid=" + std::to_string(localid);
  return form;
}

Verdict classify_send(int http_status, std::string_view body, const SmsSegments &segments) {
  return classify_sending(http_status, body, [&](int64_t messageid) {
    return "messageid " + std::to_string(messageid) + "; " + std::to_string(segments.segments) +
           " segment" + (segments.segments == 1 ? "" : "s") + " (" +
           encoding_name(segments.encoding) + ")";
  });
}

TokensOrWhy lookup_tokens(std::string_view variables_json) {
  TokensOrWhy out;
  simdjson::dom::parser parser;
  simdjson::dom::object vars;
  if (parser.parse(variables_json.data(), variables_json.size()).get_object().get(vars)) {
    out.why = "the message's variables are not a JSON object";
    return out;
  }
  struct Slot {
    const char *name;
    std::string *value;
    size_t spaces_allowed;
  };
  const Slot slots[] = {{"token", &out.tokens.token, 0},
                        {"token2", &out.tokens.token2, 0},
                        {"token3", &out.tokens.token3, 0},
                        {"token10", &out.tokens.token10, kMaxTokenSpaces},
                        {"token20", &out.tokens.token20, kMaxTokenSpaces}};
  for (const Slot &slot : slots) {
    simdjson::dom::element v;
    if (vars[slot.name].get(v) || v.is_null()) continue;
    std::string_view text;
    if (v.is_string()) {
      text = v.get_string().value_unsafe();
    } else if (v.is_number()) {
      *slot.value = simdjson::minify(v);
      continue;
    } else {
      out.why = std::string("variable ") + slot.name + " is not text or a number";
      return out;
    }
    const size_t spaces = static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }));
    if (text.size() > kMaxTokenBytes) {
      out.why = std::string("variable ") + slot.name + " is longer than " +
                std::to_string(kMaxTokenBytes) + " bytes";
      return out;
    }
    if (spaces > slot.spaces_allowed) {
      out.why = std::string("variable ") + slot.name +
                (slot.spaces_allowed == 0
                     ? " holds white space, which Kavenegar refuses in token, token2 and token3 "
                       "(token10 and token20 may hold a few spaces)"
                     : " holds more than " + std::to_string(kMaxTokenSpaces) + " spaces");
      return out;
    }
    *slot.value = std::string(text);
  }
  if (out.tokens.token.empty()) {
    out.why =
        "no variable token: a Kavenegar lookup template needs at least token (set it in the "
        "trigger's variables)";
  }
  return out;
}

std::string lookup_form(std::string_view receptor, std::string_view template_name,
                        const LookupTokens &tokens, std::string_view type) {
  std::string form = "receptor=" + url_encode(receptor) + "&template=" + url_encode(template_name) +
                     "&token=" + url_encode(tokens.token);
  auto optional = [&](const char *name, const std::string &value) {
    if (!value.empty()) form += std::string("&") + name + "=" + url_encode(value);
  };
  optional("token2", tokens.token2);
  optional("token3", tokens.token3);
  optional("token10", tokens.token10);
  optional("token20", tokens.token20);
  form += "&type=" + url_encode(type);
  return form;
}

Verdict classify_lookup_send(int http_status, std::string_view body,
                             std::string_view template_name) {
  return classify_sending(http_status, body, [&](int64_t messageid) {
    return "messageid " + std::to_string(messageid) + "; template " +
           std::string(clip_utf8(template_name, 100));
  });
}

std::optional<int64_t> messageid_of(std::string_view detail) {
  constexpr std::string_view kPrefix = "messageid ";
  if (!detail.starts_with(kPrefix)) return std::nullopt;
  detail.remove_prefix(kPrefix.size());
  int64_t id = 0;
  const auto [end, error] = std::from_chars(detail.data(), detail.data() + detail.size(), id);
  // from_chars reads every digit: an id too large for int64 is an error.
  if (error != std::errc() || end == detail.data() || id <= 0) return std::nullopt;
  return id;
}

std::string status_form(const std::vector<int64_t> &messageids) {
  std::string form = "messageid=";
  for (size_t k = 0; k < messageids.size(); ++k) {
    if (k > 0) form += "%2C";
    form += std::to_string(messageids[k]);
  }
  return form;
}

StatusAnswer parse_status_answer(int http_status, std::string_view body) {
  StatusAnswer a;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::element ret;
  int64_t code = 0;
  if (parser.parse(body.data(), body.size()).get(root) || root["return"].get(ret) ||
      ret["status"].get_int64().get(code)) {
    a.error = http_detail(http_status, body);
    return a;
  }
  simdjson::dom::array entries;
  if (http_status != 200 || code != 200 || root["entries"].get_array().get(entries)) {
    a.error = said(http_status, parse(body), body);
    return a;
  }
  for (simdjson::dom::element entry : entries) {
    if (a.entries.size() == kMaxStatusEntries) break;
    MessageStatus m;
    std::string_view text;
    if (entry["messageid"].get_int64().get(m.messageid) ||
        entry["status"].get_int64().get(m.status) || m.messageid <= 0) {
      continue;  // an entry without both says nothing of any message sent
    }
    if (!entry["statustext"].get_string().get(text)) {
      m.statustext = std::string(clip_utf8(text, 200));
    }
    a.entries.push_back(std::move(m));
  }
  return a;
}

std::optional<halo_receipt_status> receipt_of(int64_t status) {
  switch (status) {
    case 10:
      return HALO_RECEIPT_DELIVERED;
    case 6:
    case 11:
    case 13:
    case 14:
      return HALO_RECEIPT_UNDELIVERED;
    default:
      return std::nullopt;
  }
}

Verdict classify_lookup(int http_status, std::string_view body) {
  const Envelope e = parse(body);
  Verdict v;
  v.kind = Kind::kRetry;
  v.detail = said(http_status, e, body);
  if (http_status != 200 || !e.parsed || e.code != 200) return v;
  // Status 100: no message has this localid -- the earlier attempt never
  // reached Kavenegar.
  if (!e.messageid || !e.status || *e.status == 100) {
    v.kind = Kind::kFailed;
    v.detail = "not found";
    return v;
  }
  v.kind = Kind::kSent;
  v.detail = "messageid " + std::to_string(*e.messageid) +
             " (found by localid after an attempt "
             "whose answer was lost)";
  return v;
}

std::string receive_form(std::string_view line, bool read) {
  return "linenumber=" + url_encode(line) + "&isread=" + (read ? "1" : "0");
}

ReceiveAnswer parse_receive_answer(int http_status, std::string_view body) {
  ReceiveAnswer a;
  const Envelope e = parse(body);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array entries;
  if (!e.parsed || http_status != 200 || e.code != 200 ||
      parser.parse(body.data(), body.size()).get(root)) {
    a.error = e.parsed ? said(http_status, e, body) : http_detail(http_status, body);
    const Kind kind = e.parsed && !http_transient(http_status) ? kind_of(e.code) : Kind::kRetry;
    a.failure = kind == Kind::kFatal ? HALO_FATAL : kind == Kind::kRetry ? HALO_RETRY : HALO_ERROR;
    return a;
  }
  simdjson::dom::element listed;
  if (!root["entries"].get(listed) && listed.is_null()) return a;  // nothing unread
  if (root["entries"].get_array().get(entries)) {
    a.error = "entries is not a list";
    a.failure = HALO_ERROR;
    return a;
  }
  for (simdjson::dom::element entry : entries) {
    if (a.entries == kMaxReceiveEntries) break;
    ++a.entries;
    InboundSms m;
    std::string_view message, sender, receptor;
    if (entry["messageid"].get_int64().get(m.messageid) || m.messageid <= 0 ||
        entry["sender"].get_string().get(sender) || sender.empty() || sender.size() > 32 ||
        entry["date"].get_int64().get(m.date) || m.date <= 0 || m.date > 253402300799) {
      a.unusable.push_back(std::string(clip_utf8(simdjson::minify(entry), kMaxInboundBytes)));
      continue;
    }
    if (!entry["message"].get_string().get(message)) {
      m.message = std::string(clip_utf8(message, kMaxInboundBytes));
    }
    if (!entry["receptor"].get_string().get(receptor)) {
      m.receptor = std::string(clip_utf8(receptor, 32));
    }
    m.sender = std::string(sender);
    a.messages.push_back(std::move(m));
  }
  return a;
}

std::string inbound_record(const InboundSms &m) {
  const std::optional<bool> consent = consent_keyword(m.message);
  const char *event = !consent ? "SMS Received" : *consent ? "Consent Updated" : "Unsubscribed";
  std::string out = "{";
  append_json_member(out, "type", "track");
  append_json_member(out, "event", event);
  append_json_member(out, "messageId", "kavenegar-sms:" + std::to_string(m.messageid));
  append_json_member(out, "timestamp", format_iso8601(m.date * 1000));
  out += ",\"context\":{\"traits\":{";
  append_json_member(out, "phone", m.sender);
  out += "}},\"properties\":{";
  if (consent) {
    out += "\"channel\":\"sms\"";
    if (*consent) out += ",\"opted_in\":true";
    append_json_member(out, "proof",
                       "Kavenegar messageid " + std::to_string(m.messageid) + ": " + m.message);
  }
  append_json_member(out, "text", m.message);
  append_json_member(out, "line", m.receptor);
  out += ",\"messageid\":" + std::to_string(m.messageid) + "}}";
  return out;
}

}  // namespace halo::plugins::kavenegar
