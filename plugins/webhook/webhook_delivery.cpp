// webhook_delivery.cpp -- see webhook_delivery.h.
#include "webhook_delivery.h"

#include "common/json_text.h"

namespace halo::plugins::webhook {

std::string message_body(const halo::Message &m) {
  std::string out = "{";
  append_json_member(out, "type", "message");
  out += ",\"id\":" + std::to_string(m.id);
  append_json_member(out, "idempotency_key", m.idempotency_key);
  append_json_member(out, "trigger", m.trigger);
  append_json_member(out, "profile_id", std::to_string(m.profile_id));
  append_json_member(out, "channel", m.channel);
  append_json_member(out, "recipient", m.recipient);
  append_json_member(out, "template", m.template_name);
  append_json_member(out, "subject", m.subject);
  append_json_member(out, "text", m.text);
  append_json_member(out, "html", m.html);
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
