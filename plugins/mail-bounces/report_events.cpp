// report_events.cpp -- see report_events.h.
#include "report_events.h"

#include "common/json_text.h"
#include "common/message_id.h"
#include "common/time_text.h"

namespace halo::plugins::mail_bounces {

namespace {

const char *event_name(const DeliveryReport &report, std::string_view action) {
  if (report.kind == ReportKind::kFeedback) {
    return action == "abuse" || action == "fraud" ? "Email Marked as Spam" : nullptr;
  }
  if (action == "failed") return "Email Bounced";
  if (action == "delivered") return "Email Delivered";
  return nullptr;
}

}  // namespace

std::vector<std::string> report_events(const DeliveryReport &report, std::string_view mail) {
  std::string report_id = report.message_id;
  if (report_id.empty()) {
    ContentIdBuilder content;
    content.begin();
    content.add(mail);
    report_id = std::string(content.finish());
  }
  std::vector<std::string> events;
  for (const RecipientStatus &r : report.recipients) {
    const char *name = event_name(report, r.action);
    if (name == nullptr) continue;
    const bool feedback = report.kind == ReportKind::kFeedback;
    std::string e = "{";
    append_json_member(e, "type", "track");
    append_json_member(e, "event", name);
    append_json_member(e, "messageId", (feedback ? "arf:" : "dsn:") + report_id + ":" + r.address);
    if (report.date_ms) append_json_member(e, "timestamp", format_iso8601(*report.date_ms));
    e += ",\"context\":{\"traits\":{";
    append_json_member(e, "email", r.address);
    e += "}},\"properties\":{";
    append_json_member(e, "channel", "email");
    append_json_member(e, "recipient", r.address);
    if (feedback) {
      append_json_member(e, "feedback_type", r.action);
      append_json_member(e, "user_agent", report.user_agent);
    } else {
      append_json_member(e, "action", r.action);
      append_json_member(e, "status", r.status);
      e += std::string(",\"hard_bounce\":") + (r.hard ? "true" : "false");
      append_json_member(e, "diagnostic_code", r.diagnostic);
      append_json_member(e, "remote_mta", r.remote_mta);
      append_json_member(e, "reporting_mta", report.reporting_mta);
    }
    append_json_member(e, "original_message_id", report.original_message_id);
    append_json_member(e, "report_message_id", report.message_id);
    e += "}}";
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace halo::plugins::mail_bounces
