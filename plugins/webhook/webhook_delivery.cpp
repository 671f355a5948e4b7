// webhook_delivery.cpp -- see webhook_delivery.h.
#include "webhook_delivery.h"

#include "common/json_text.h"

namespace halo::plugins::webhook {

namespace {

void member(std::string &out, const char *name, std::string_view value) {
  if (out.size() > 1) out += ',';
  append_json_string(out, name);
  out += ':';
  append_json_string(out, value);
}

}  // namespace

std::string message_body(const halo::Message &m) {
  std::string out = "{";
  member(out, "type", "message");
  out += ",\"id\":" + std::to_string(m.id);
  member(out, "idempotency_key", m.idempotency_key);
  member(out, "trigger", m.trigger);
  member(out, "profile_id", std::to_string(m.profile_id));
  member(out, "channel", m.channel);
  member(out, "recipient", m.recipient);
  member(out, "template", m.template_name);
  member(out, "subject", m.subject);
  member(out, "text", m.text);
  member(out, "html", m.html);
  const bool object = !m.variables_json.empty() && m.variables_json.front() == '{' &&
                      is_valid_json(m.variables_json);
  out += ",\"variables\":";
  out += object ? m.variables_json : std::string_view("{}");
  out += ",\"attempt\":" + std::to_string(m.attempt) + "}";
  return out;
}

Verdict classify(int status, std::optional<std::string_view> retry_after,
                 std::optional<std::string_view> message_id, std::string_view body) {
  Verdict v;
  if (status >= 200 && status <= 299) {
    v.kind = Verdict::Kind::kSent;
    v.detail =
        message_id ? std::string(clip_utf8(*message_id, 200)) : "HTTP " + std::to_string(status);
    return v;
  }
  v.detail = http_detail(status, body);
  const bool transient = http_transient(status);
  v.kind = transient ? Verdict::Kind::kRetry : Verdict::Kind::kFailed;
  if (transient) v.retry_after_ms = retry_after_ms(retry_after);
  return v;
}

}  // namespace halo::plugins::webhook
