// report_events.h -- the events a report states, as Segment-spec track
// events (https://segment.com/docs/connections/spec/email/): for a delivery
// status notification, one `Email Bounced` per recipient whose Action is
// `failed` and one `Email Delivered` per recipient whose Action is
// `delivered` (`delayed`, `relayed` and `expanded` are not final and state
// nothing); for a complaint of Feedback-Type `abuse` or `fraud`, one `Email
// Marked as Spam` per complaining recipient (`not-spam`, `virus` and
// `other` state nothing).
//
// Each event names its recipient at `context.traits.email` (an identifier
// path the kernel reads for `email` by default, docs/pipeline.md), is timed
// by the report's Date (without one the kernel times it on receipt), and
// has a message id stable across runs and copies of the mail: the report's
// Message-ID (else the hash of the whole mail) and the recipient, so a
// report read twice is a duplicate.
//
//   {"type":"track","event":"Email Bounced","messageId":"dsn:<id>:<address>",
//    "timestamp":"2026-12-01T10:00:00.000Z","context":{"traits":{"email":"x@y"}},
//    "properties":{"channel":"email","recipient":"x@y","action":"failed",
//                  "status":"5.1.1","hard_bounce":true,"diagnostic_code":"smtp; 550 ...",
//                  "remote_mta":"mx.y","reporting_mta":"mail.shop","original_message_id":"..",
//                  "report_message_id":".."}}
//   {"type":"track","event":"Email Marked as Spam","messageId":"arf:<id>:<address>",
//    ..., "properties":{"channel":"email","recipient":"x@y","feedback_type":"abuse",
//                       "user_agent":"..","original_message_id":"..","report_message_id":".."}}
//
// Invariants: every event is one line of valid JSON (values are valid
// UTF-8, delivery_report.h); `hard_bounce` is what the kernel's consent
// ledger reads (docs/consent.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "delivery_report.h"

namespace halo::plugins::mail_bounces {

std::vector<std::string> report_events(const DeliveryReport &report, std::string_view mail);

}  // namespace halo::plugins::mail_bounces
