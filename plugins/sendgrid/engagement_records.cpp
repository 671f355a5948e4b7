// engagement_records.cpp -- see engagement_records.h.
#include "engagement_records.h"

#include <array>
#include <string_view>
#include <utility>

#include "common/json_text.h"
#include "common/time_text.h"

namespace halo::plugins::sendgrid {

namespace {

// SendGrid's event name -> the Segment email spec event.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kNames = {{
    {"delivered", "Email Delivered"},
    {"open", "Email Opened"},
    {"click", "Email Link Clicked"},
    {"bounce", "Email Bounced"},
    {"dropped", "Email Bounced"},
    {"spamreport", "Email Marked as Spam"},
    {"unsubscribe", "Unsubscribed"},
    {"group_unsubscribe", "Unsubscribed"},
}};

std::string_view segment_name(std::string_view event) {
  for (const auto &[sendgrid, segment] : kNames) {
    if (sendgrid == event) return segment;
  }
  return {};
}

void append_properties(std::string &out, const SendgridEvent &e) {
  out += R"(,"properties":{)";
  const size_t empty = out.size();
  auto member = [&](std::string_view name, const std::string &value) {
    if (!value.empty()) append_json_member(out, name, value);
  };
  member("email_id", e.sg_message_id);
  if (e.halo_message != 0) member("halo_message", std::to_string(e.halo_message));
  if (e.event == "click") member("url", e.url);
  if (e.event == "unsubscribe" || e.event == "group_unsubscribe") member("channel", "email");
  if (e.event == "bounce" || e.event == "dropped") {
    member("type", e.type);
    member("status", e.status);
    member("reason", e.reason);
    if (out.size() > empty) out += ',';
    out += R"("hard_bounce":)";
    out += e.event == "bounce" && e.type != "blocked" ? "true" : "false";
  }
  out += '}';
}

}  // namespace

bool recorded_event(const SendgridEvent &e) {
  return !segment_name(e.event).empty();
}

std::optional<std::string> engagement_record(const SendgridEvent &e) {
  const std::string_view name = segment_name(e.event);
  constexpr int64_t kYear10000 = 253'402'300'800;  // seconds: later is no event time
  if (name.empty() || e.sg_event_id.empty() || e.email.empty() || e.timestamp_s <= 0 ||
      e.timestamp_s >= kYear10000) {
    return std::nullopt;
  }
  std::string out = R"({"type":"track")";
  append_json_member(out, "event", name);
  append_json_member(out, "messageId", "sendgrid:" + e.sg_event_id);
  append_json_member(out, "timestamp", format_iso8601(e.timestamp_s * 1000));
  out += R"(,"context":{"traits":{)";
  append_json_member(out, "email", e.email);
  out += "}}";
  append_properties(out, e);
  out += '}';
  return out;
}

}  // namespace halo::plugins::sendgrid
