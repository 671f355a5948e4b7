// delivery_report.cpp -- see delivery_report.h.
#include "delivery_report.h"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>

#include "common/bounce_status.h"
#include "common/json_text.h"

namespace halo::plugins::mail_bounces {

namespace {

struct Unref {
  void operator()(gpointer object) const { g_object_unref(object); }
};
template <class T>
using Owned = std::unique_ptr<T, Unref>;

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

// Parses `bytes` as a message (headers and body); null when GMime cannot.
Owned<GMimeMessage> parse_message(std::string_view bytes) {
  Owned<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  Owned<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  return Owned<GMimeMessage>(g_mime_parser_construct_message(parser.get(), nullptr));
}

// A part's content with its transfer encoding undone.
std::string decoded_content(GMimePart *part) {
  GMimeDataWrapper *content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  Owned<GMimeStream> out(g_mime_stream_mem_new());
  if (g_mime_data_wrapper_write_to_stream(content, out.get()) < 0) return {};
  GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return std::string(reinterpret_cast<const char *>(bytes->data), bytes->len);
}

bool is_type(GMimeObject *object, const char *type, const char *subtype) {
  GMimeContentType *ct = g_mime_object_get_content_type(object);
  return ct != nullptr && g_mime_content_type_is_type(ct, type, subtype);
}

// At most kMaxValueBytes of `s` when it is valid UTF-8, else "".
std::string kept(std::string_view s) {
  s = trim_ascii(s);
  if (!is_valid_utf8(s)) return {};
  return std::string(clip_utf8(s, kMaxValueBytes));
}

// "rfc822; user@example.com" -> "user@example.com"; "dns; mx.example" ->
// "mx.example": the value after its type (RFC 3464 section 2.1.2).
std::string_view after_type(std::string_view value) {
  const size_t semi = value.find(';');
  value = trim_ascii(semi == std::string_view::npos ? value : value.substr(semi + 1));
  if (value.size() >= 2 && value.front() == '<' && value.back() == '>') {
    value = value.substr(1, value.size() - 2);
  }
  return value;
}

// The field groups of a delivery-status body: each group a list of
// (lower-cased name, unfolded value), groups split by blank lines.
using Group = std::vector<std::pair<std::string, std::string>>;

std::vector<Group> field_groups(std::string_view body) {
  std::vector<Group> groups(1);
  while (!body.empty() && groups.size() <= kMaxRecipients + 1) {
    size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim_ascii(line).empty()) {
      if (!groups.back().empty()) groups.emplace_back();
      continue;
    }
    Group &g = groups.back();
    if ((line.front() == ' ' || line.front() == '\t') && !g.empty()) {
      std::string &value = g.back().second;  // a folded line continues the field
      if (value.size() < 4 * kMaxValueBytes) value += " " + std::string(trim_ascii(line));
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;  // not a field
    g.emplace_back(lower_ascii(trim_ascii(line.substr(0, colon))),
                   std::string(line.substr(colon + 1, 4 * kMaxValueBytes)));
  }
  if (groups.back().empty()) groups.pop_back();
  return groups;
}

std::string_view field(const Group &g, std::string_view name) {
  for (const auto &[n, v] : g) {
    if (n == name) return v;
  }
  return {};
}

std::optional<RecipientStatus> recipient_of(const Group &g) {
  RecipientStatus r;
  std::string_view address = field(g, "final-recipient");
  if (address.empty()) address = field(g, "original-recipient");
  r.address = kept(after_type(address));
  r.action = lower_ascii(kept(field(g, "action")));
  if (r.address.find('@') == std::string::npos || r.action.empty()) return std::nullopt;
  r.status = kept(field(g, "status"));
  r.status = r.status.substr(0, r.status.find_first_of(" \t("));  // "5.0.0 (permanent failure)"
  r.diagnostic = kept(field(g, "diagnostic-code"));
  r.remote_mta = kept(after_type(field(g, "remote-mta")));
  r.hard = r.action == "failed" && is_hard_bounce_status(r.status);
  return r;
}

// What a report's returned original (whole, message/rfc822, or its
// headers, text/rfc822-headers) says: its Message-ID and To addresses.
struct Original {
  std::string id;
  std::vector<std::string> to;
};

Original original_of(GMimeObject *part) {
  GMimeMessage *message = nullptr;
  Owned<GMimeMessage> parsed;
  if (GMIME_IS_MESSAGE_PART(part)) {
    message = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
  } else if (GMIME_IS_PART(part) && is_type(part, "text", "rfc822-headers")) {
    parsed = parse_message(decoded_content(GMIME_PART(part)));
    message = parsed.get();
  }
  Original out;
  if (message == nullptr) return out;
  if (const char *id = g_mime_message_get_message_id(message)) out.id = kept(id);
  InternetAddressList *to = g_mime_message_get_to(message);
  const int n = to ? internet_address_list_length(to) : 0;
  for (int i = 0; i < n && out.to.size() < kMaxRecipients; ++i) {
    InternetAddress *a = internet_address_list_get_address(to, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(a)) continue;
    std::string address = kept(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)));
    if (address.find('@') != std::string::npos) out.to.push_back(std::move(address));
  }
  return out;
}

// A delivery-status part: the per-message group, then one per recipient.
void read_delivery_status(const std::vector<Group> &groups, DeliveryReport &report) {
  if (groups.empty()) return;
  report.reporting_mta = kept(after_type(field(groups[0], "reporting-mta")));
  for (size_t g = 1; g < groups.size() && report.recipients.size() < kMaxRecipients; ++g) {
    if (auto r = recipient_of(groups[g])) report.recipients.push_back(std::move(*r));
  }
}

// A feedback-report part (RFC 5965 section 3.1): one group; the
// complaining recipients are its Original-Rcpt-To fields (often redacted
// by the mailbox provider: then the original's To).
void read_feedback(const std::vector<Group> &groups, DeliveryReport &report) {
  if (groups.empty()) return;
  const Group &g = groups[0];
  report.feedback_type = lower_ascii(kept(field(g, "feedback-type")));
  report.user_agent = kept(field(g, "user-agent"));
  if (report.feedback_type.empty()) return;
  for (const auto &[name, value] : g) {
    if (name != "original-rcpt-to" || report.recipients.size() >= kMaxRecipients) continue;
    RecipientStatus r;
    r.address = kept(after_type(value));
    r.action = report.feedback_type;
    if (r.address.find('@') != std::string::npos) report.recipients.push_back(std::move(r));
  }
}

}  // namespace

std::optional<DeliveryReport> read_delivery_report(std::string_view mail, std::string &why) {
  init_gmime();
  Owned<GMimeMessage> message = parse_message(mail);
  GMimeObject *body = message ? g_mime_message_get_mime_part(message.get()) : nullptr;
  if (body == nullptr || !GMIME_IS_MULTIPART(body) || !is_type(body, "multipart", "report")) {
    why =
        "not a delivery status notification or complaint report (no multipart/report body, "
        "RFC 6522)";
    return std::nullopt;
  }
  const char *type_parameter =
      g_mime_content_type_get_parameter(g_mime_object_get_content_type(body), "report-type");
  const std::string type = type_parameter ? lower_ascii(kept(type_parameter)) : std::string();
  DeliveryReport report;
  if (type == "feedback-report") {
    report.kind = ReportKind::kFeedback;
  } else if (type != "delivery-status") {
    why = "a report of type '" + type +
          "', neither delivery-status (RFC 3464) nor feedback-report (RFC 5965)";
    return std::nullopt;
  }
  const bool feedback = report.kind == ReportKind::kFeedback;
  if (const char *id = g_mime_message_get_message_id(message.get())) report.message_id = kept(id);
  if (GDateTime *date = g_mime_message_get_date(message.get())) {
    report.date_ms = static_cast<int64_t>(g_date_time_to_unix(date)) * 1000;
  }
  GMimeMultipart *parts = GMIME_MULTIPART(body);
  bool has_fields = false;
  Original original;
  for (int i = 0; i < g_mime_multipart_get_count(parts); ++i) {
    GMimeObject *part = g_mime_multipart_get_part(parts, i);
    if (!has_fields && GMIME_IS_PART(part) && is_type(part, "message", type.c_str())) {
      has_fields = true;
      const std::vector<Group> groups = field_groups(decoded_content(GMIME_PART(part)));
      feedback ? read_feedback(groups, report) : read_delivery_status(groups, report);
    } else if (original.id.empty() && i > 0) {
      original = original_of(part);
    }
  }
  report.original_message_id = original.id;
  if (feedback && report.recipients.empty() && !report.feedback_type.empty()) {
    for (std::string &address : original.to) {
      RecipientStatus r;
      r.address = std::move(address);
      r.action = report.feedback_type;
      report.recipients.push_back(std::move(r));
    }
  }
  if (report.recipients.empty()) {
    if (!has_fields) {
      why = "a " + type + " report without a message/" + type + " part";
    } else if (feedback) {
      why = report.feedback_type.empty()
                ? "a complaint report without a Feedback-Type"
                : "a complaint report without a recipient address (Original-Rcpt-To, or the "
                  "original's To; the mailbox provider may have redacted it)";
    } else {
      why =
          "a delivery status notification without a recipient it can read (Final-Recipient "
          "with an address, and Action)";
    }
    return std::nullopt;
  }
  return report;
}

}  // namespace halo::plugins::mail_bounces
