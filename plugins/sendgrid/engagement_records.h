// engagement_records.h -- the `sendgrid` source's mapping of SendGrid Event
// Webhook events
// (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event)
// to Segment email spec events
// (https://segment.com/docs/connections/spec/email/) on the recipient's
// profile:
//
//   delivered                     Email Delivered
//   open                          Email Opened
//   click                         Email Link Clicked (properties.url)
//   bounce                        Email Bounced; hard_bounce true unless
//                                 its type is `blocked` (a refusal, not
//                                 an address that does not exist)
//   dropped                       Email Bounced, hard_bounce false
//   spamreport                    Email Marked as Spam
//   unsubscribe                   Unsubscribed (properties.channel email)
//   group_unsubscribe             Unsubscribed (properties.channel email,
//                                 properties.asm_group_id)
//   processed, deferred, others   nothing
//
// The record's messageId is `sendgrid:` + sg_event_id (SendGrid's unique
// id of the event, so a batch posted again is a duplicate), its timestamp
// the event's, the address at context.traits.email. Properties:
// email_id (sg_message_id), halo_message (the outbox id of a message
// Halo sent), and for bounces status, reason and type.
#pragma once

#include <optional>
#include <string>

#include "sendgrid_events.h"

namespace halo::plugins::sendgrid {

// Whether Halo records `e` at all (its name is in the table above).
bool recorded_event(const SendgridEvent &e);

// The Segment record (JSON) of `e`; nullopt for an event Halo does not
// record, or one without sg_event_id, email or a timestamp before the
// year 10000 (nothing could name or place it).
std::optional<std::string> engagement_record(const SendgridEvent &e);

}  // namespace halo::plugins::sendgrid
