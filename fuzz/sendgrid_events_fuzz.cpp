// sendgrid_events_fuzz.cpp -- an Event Webhook body comes from anyone who
// can reach `halo serve` (plugins/sendgrid/sendgrid_events.h). For any
// bytes the parser returns nothing or at most kMaxEvents events with their
// fields within their caps; every event maps to one action; the source's
// record of an event is valid JSON exactly when the event is recorded and
// placeable; the body never passes as signed by a key it was not signed
// with.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/json_text.h"
#include "engagement_records.h"
#include "sendgrid_events.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace halo::plugins::sendgrid;
  const std::string_view body(reinterpret_cast<const char *>(data), size);
  const auto events = parse_events(body);
  if (events) {
    if (events->size() > kMaxEvents) std::abort();
    for (const SendgridEvent &e : *events) {
      if (e.event.size() > 64 || e.email.size() > 320 || e.reason.size() > 256) std::abort();
      const EventAction a = action_of(e);
      if (a.kind == EventAction::Kind::kReceipt && (a.receipt < 1 || a.receipt > 4)) std::abort();
      if (a.kind == EventAction::Kind::kReceipt && e.halo_message == 0) std::abort();
      const std::optional<std::string> record = engagement_record(e);
      if (record && (!recorded_event(e) || !halo::plugins::is_valid_json(*record))) std::abort();
    }
  }
  // The input as a key, a timestamp and a signature: never valid.
  if (event_signature_valid(body, "1588788367", "[]", "MEUCIQCtIHJeH93Y")) std::abort();
  if (event_signature_valid("", body, body, body)) std::abort();
  return 0;
}
