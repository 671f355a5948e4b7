// consent_events.cpp -- consent stated by events (docs/consent.md): a
// tracked `Unsubscribed`, `Consent Updated`, hard `Email Bounced` or `Email
// Marked as Spam` event adds consent ledger records for the event's
// addresses, in the commit that stores the event (never on a replay: the
// ledger already holds them, and a rebuild keeps it).
//
//   Unsubscribed          properties.channel (email, sms; absent: every
//                         channel the event has an address for) -> opt-out
//   Consent Updated       properties.channel (required), properties.opted_in
//                         (true or false, required)
//   Email Bounced         with properties.hard_bounce true (the address does
//                         not exist; the mail-bounces source sets it) ->
//                         opt-out of email; any other bounce states nothing
//   Email Marked as Spam  -> opt-out of email
//
// (The last two are Segment's email spec events,
// https://segment.com/docs/connections/spec/email/.)
//
// Each may carry properties.proof (text kept with the record; for a bounce
// without one, properties.diagnostic_code). The address
// is each of the event's identifiers of the channel's type (email for
// email, phone for sms), normalized; the record's time is the event's, so
// a late-arriving older event does not override a newer statement. An
// event whose consent cannot be used exactly (no such channel, no
// opted_in, no address) is stored as any event but adds nothing: it is
// counted and logged, never guessed.
#include "common/log.h"
#include "pipeline/channel_address.h"
#include "pipeline/pipeline.h"

namespace halo {

namespace {

constexpr std::string_view kUnsubscribed = "Unsubscribed";
constexpr std::string_view kConsentUpdated = "Consent Updated";
constexpr std::string_view kEmailBounced = "Email Bounced";
constexpr std::string_view kMarkedAsSpam = "Email Marked as Spam";
constexpr size_t kMaxProof = 512;

std::string_view text_of(const Field *f) {
  return f != nullptr && f->value.kind == HALO_VALUE_STRING ? f->value.text : std::string_view();
}

// Whether event i states consent at all: a bounce that is not hard is an
// event like any other.
bool states_consent(const EventBatch &batch, size_t i) {
  const Event &e = batch.events[i];
  if (e.type != HALO_EVENT_TRACK) return false;
  if (e.name == kEmailBounced) {
    const Field *hard = batch.find_field(i, "properties.hard_bounce");
    return hard != nullptr && hard->value.kind == HALO_VALUE_BOOL && hard->value.boolean;
  }
  return e.name == kUnsubscribed || e.name == kConsentUpdated || e.name == kMarkedAsSpam;
}

// The records event i states, or why it states none.
Result<std::vector<ConsentRecord>> records_of(const EventBatch &batch, size_t i) {
  const Event &e = batch.events[i];
  // An opt-out of the channel the event names (any, for Unsubscribed).
  const bool opt_out = e.name != kConsentUpdated;
  const std::string_view channel = e.name == kEmailBounced || e.name == kMarkedAsSpam
                                       ? std::string_view("email")
                                       : text_of(batch.find_field(i, "properties.channel"));
  if (!channel.empty() && channel_address_type(channel).empty()) {
    return Status::Invalid("properties.channel '" + std::string(channel.substr(0, 40)) +
                           "' is not email or sms");
  }
  if (!opt_out && channel.empty()) return Status::Invalid("no properties.channel");
  bool opted_in = false;
  if (!opt_out) {
    const Field *in = batch.find_field(i, "properties.opted_in");
    if (in == nullptr || in->value.kind != HALO_VALUE_BOOL) {
      return Status::Invalid("properties.opted_in is not true or false");
    }
    opted_in = in->value.boolean;
  }
  std::string proof = "event " + std::string(e.message_id);
  std::string_view note = text_of(batch.find_field(i, "properties.proof"));
  if (note.empty() && e.name == kEmailBounced) {
    note = text_of(batch.find_field(i, "properties.diagnostic_code"));  // the server's words
  }
  if (!note.empty()) {
    proof += ": " + std::string(note.substr(0, kMaxProof));
  }
  std::vector<ConsentRecord> out;
  for (std::string_view ch : {std::string_view("email"), std::string_view("sms")}) {
    if (!channel.empty() && ch != channel) continue;
    for (uint32_t k = e.id_begin; k < e.id_begin + e.id_count; ++k) {
      const Identifier &id = batch.identifiers[k];
      if (id.type != channel_address_type(ch)) continue;
      ConsentRecord r;
      r.channel = std::string(ch);
      r.address = std::string(id.value);
      r.opted_in = opted_in;
      r.reason = "event: " + std::string(e.name);
      r.source = "source " + std::string(e.source);
      r.proof = proof;
      r.at_ms = e.timestamp_ms;
      out.push_back(std::move(r));
    }
  }
  if (out.empty()) return Status::Invalid("the event has no address for the channel");
  return out;
}

}  // namespace

Status Pipeline::record_consent_events(const EventBatch &batch, RunSummary *summary) {
  auto records = std::make_shared<std::vector<ConsentRecord>>();
  for (size_t i = 0; i < batch.events.size(); ++i) {
    if (!states_consent(batch, i)) continue;
    const Event &e = batch.events[i];
    auto stated = records_of(batch, i);
    if (!stated.ok()) {
      ++summary->consent_events_unused;
      log_warn("consent", "event " + std::string(e.message_id) + " (" + std::string(e.name) +
                              ", source " + std::string(e.source) +
                              ") changes no consent: " + stated.status().message());
      continue;
    }
    for (ConsentRecord &r : *stated) records->push_back(std::move(r));
    ++summary->consent_events;
  }
  if (records->empty()) return Status::Ok();
  return write([records](Store &st) {
    Status w;
    for (size_t k = 0; w.ok() && k < records->size(); ++k) w = st.add_consent((*records)[k]);
    return w;
  });
}

}  // namespace halo
