// delivery_report.h -- one email read as a report about mail sent earlier:
// a delivery status notification (DSN, RFC 3464), which a server sends
// back to a message's sender when it could not (or could, or can not yet)
// deliver it, or a complaint report (ARF, RFC 5965), which a mailbox
// provider's feedback loop sends when a recipient marked a message as
// spam.
//
// Both are `multipart/report` messages (RFC 6522). A DSN's
// `message/delivery-status` part holds a group of fields about the message
// (Reporting-MTA, Arrival-Date) and then one group per recipient
// (Final-Recipient, Action, Status, Remote-MTA, Diagnostic-Code), groups
// separated by blank lines. A complaint's `message/feedback-report` part
// holds one group (Feedback-Type, User-Agent, Original-Rcpt-To, ...). A
// third part may return the original message or its headers, whose
// Message-ID says which message it was (and, for a complaint whose
// Original-Rcpt-To is absent, whose To says who complained).
//
// The MIME structure is GMime's (https://github.com/jstedfast/gmime); the
// delivery-status fields are read here. Limits (hostile input): the mail is
// at most what the caller read (the source's max_report_bytes), at most
// kMaxRecipients recipient groups are read, and every value kept is clipped
// to kMaxValueBytes of valid UTF-8.
//
// Invariants: read_delivery_report never throws on any input; a recipient
// kept has an address with an '@' and an action (a complaint's: its
// Feedback-Type); `hard` is true only for Action `failed` with an
// addressing status (common/bounce_status.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins::mail_bounces {

inline constexpr size_t kMaxRecipients = 1000;
inline constexpr size_t kMaxValueBytes = 998;  // RFC 5322's longest line

enum class ReportKind { kDeliveryStatus, kFeedback };

struct RecipientStatus {
  // Final-Recipient (else Original-Recipient), without "rfc822;"; a
  // complaint's Original-Rcpt-To (else the original's To)
  std::string address;
  std::string action;      // failed, delayed, delivered, relayed, expanded; a complaint's
                           // Feedback-Type (abuse, fraud, ...); lower case
  std::string status;      // the enhanced status code, e.g. 5.1.1
  std::string diagnostic;  // Diagnostic-Code, e.g. "smtp; 550 5.1.1 <x@y>: unknown user"
  std::string remote_mta;  // Remote-MTA without its type, e.g. mx.example.com
  bool hard = false;       // failed, and the address does not exist
};

struct DeliveryReport {
  ReportKind kind = ReportKind::kDeliveryStatus;
  std::string message_id;                   // the report's own Message-ID, without <>
  std::optional<int64_t> date_ms;           // its Date header, when it has a valid one
  std::string reporting_mta;                // Reporting-MTA without its type (a DSN)
  std::string feedback_type;                // Feedback-Type, lower case (a complaint)
  std::string user_agent;                   // User-Agent: who sent the complaint
  std::string original_message_id;          // of the message it reports on, without <>
  std::vector<RecipientStatus> recipients;  // in the report's order
};

// The report `mail` holds, or nullopt with `why` set when it is neither
// (an auto-reply, spam) or names no recipient.
std::optional<DeliveryReport> read_delivery_report(std::string_view mail, std::string &why);

}  // namespace halo::plugins::mail_bounces
