// sendgrid_api.cpp -- see sendgrid_api.h.
#include "sendgrid_api.h"

#include <simdjson.h>

#include <charconv>
#include <map>
#include <tuple>
#include <utility>

#include "common/json_text.h"

namespace halo::plugins::sendgrid {

namespace {

using Kind = Verdict::Kind;

void field(std::string &out, std::string_view name, std::string_view value) {
  append_json_string(out, name);
  out += ':';
  append_json_string(out, value);
}

void address(std::string &out, std::string_view name, std::string_view email,
             std::string_view display) {
  append_json_string(out, name);
  out += ":{";
  field(out, "email", email);
  if (!display.empty()) {
    out += ',';
    field(out, "name", display);
  }
  out += '}';
}

void personalization(std::string &out, const halo::Message &m) {
  out += "{\"to\":[{";
  field(out, "email", m.recipient);
  out += "}],\"custom_args\":{";
  field(out, "halo_message", std::to_string(m.id));
  out += ',';
  field(out, "halo_key", m.idempotency_key);
  out += '}';
  if (!m.unsubscribe_url.empty()) {
    out += ",\"headers\":{";
    field(out, "List-Unsubscribe", "<" + std::string(m.unsubscribe_url) + ">");
    if (m.unsubscribe_url.starts_with("https://")) {  // RFC 8058: one-click needs https
      out += ',';
      field(out, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
    out += '}';
  }
  out += '}';
}

// "The from address does not match ..." from {"errors":[{"message":..}]}.
std::string error_text(int status, std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array errors;
  if (parser.parse(body.data(), body.size()).get(root) || root["errors"].get_array().get(errors)) {
    return http_detail(status, body);
  }
  std::string out = "SendGrid " + std::to_string(status);
  for (simdjson::dom::element e : errors) {
    std::string_view message, where;
    if (e["message"].get_string().get(message)) continue;
    out += out.find(':') == std::string::npos ? ": " : "; ";
    out += std::string(clip_utf8(message, 200));
    if (!e["field"].get_string().get(where)) out += " (" + std::string(clip_utf8(where, 80)) + ")";
    if (out.size() > 600) break;
  }
  return out;
}

int64_t reset_delay_ms(std::optional<std::string_view> reset, int64_t now_s) {
  if (!reset) return 0;
  int64_t at = 0;
  auto [end, ec] = std::from_chars(reset->data(), reset->data() + reset->size(), at);
  if (ec != std::errc() || end != reset->data() + reset->size() || at <= now_s) return 0;
  return std::min<int64_t>(at - now_s, 86400) * 1000;
}

}  // namespace

std::vector<std::vector<size_t>> groups(const std::vector<halo::Message> &messages, size_t max) {
  std::vector<std::vector<size_t>> out;
  std::map<std::tuple<std::string_view, std::string_view, std::string_view>, size_t> open;
  for (size_t i = 0; i < messages.size(); ++i) {
    const halo::Message &m = messages[i];
    const auto key = std::make_tuple(m.subject, m.text, m.html);
    auto it = open.find(key);
    if (it == open.end() || out[it->second].size() >= max) {
      open[key] = out.size();
      out.push_back({i});
    } else {
      out[it->second].push_back(i);
    }
  }
  return out;
}

std::string request_body(const Sender &sender, const std::vector<halo::Message> &messages,
                         const std::vector<size_t> &group) {
  const halo::Message &first = messages[group.front()];
  std::string out = "{\"personalizations\":[";
  for (size_t k = 0; k < group.size(); ++k) {
    if (k > 0) out += ',';
    personalization(out, messages[group[k]]);
  }
  out += "],";
  address(out, "from", sender.from_address, sender.from_name);
  if (!sender.reply_to.empty()) {
    out += ',';
    address(out, "reply_to", sender.reply_to, "");
  }
  out += ',';
  field(out, "subject", first.subject);
  // SendGrid wants text/plain before text/html.
  out += ",\"content\":[";
  bool comma = false;
  for (const auto &[type, value] :
       {std::pair{"text/plain", first.text}, {"text/html", first.html}}) {
    if (value.empty()) continue;
    out += comma ? ",{" : "{";
    comma = true;
    field(out, "type", type);
    out += ',';
    field(out, "value", value);
    out += '}';
  }
  out += "]}";
  return out;
}

Verdict classify(int status, std::string_view body, std::optional<std::string_view> message_id,
                 std::optional<std::string_view> retry_after,
                 std::optional<std::string_view> rate_limit_reset, int64_t now_s) {
  Verdict v;
  if (status == 202 || status == 200) {
    v.kind = Kind::kSent;
    v.detail = message_id ? "X-Message-Id " + std::string(clip_utf8(*message_id, 64))
                          : "accepted (no X-Message-Id)";
    return v;
  }
  v.detail = error_text(status, body);
  if (status == 401 || status == 403 || status == 406 || status == 451) {
    v.kind = Kind::kFatal;  // key, sender identity, our own request shape, data residency
  } else if (http_transient(status)) {
    v.kind = Kind::kRetry;
    v.retry_after_ms =
        std::max(retry_after_ms(retry_after), reset_delay_ms(rate_limit_reset, now_s));
  } else {
    v.kind = Kind::kFailed;
  }
  return v;
}

bool split_after(int status) {
  return status == 400 || status == 413;
}

}  // namespace halo::plugins::sendgrid
