// sendgrid_events_fuzz.cpp -- an Event Webhook body comes from anyone who
// can reach `halo serve` (plugins/sendgrid/sendgrid_events.h). For any
// bytes the parser returns nothing or at most kMaxEvents events with their
// fields within their caps; every event maps to one action; the source's
// record of an event is valid JSON exactly when the event is recorded and
// placeable; the body never passes as signed by a key it was not signed
// with. The same bytes as a request to the OAuth Token URL (header and
// body) get a JSON answer of the documented statuses, and as a bearer
// token never authorize.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/json_text.h"
#include "engagement_records.h"
#include "sendgrid_events.h"
#include "webhook_oauth.h"

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
  constexpr int64_t kNow = 1767607200;
  const WebhookTokens tokens("client", "secret");
  const size_t half = size / 2;
  const TokenAnswer a = tokens.answer(body.substr(0, half), body.substr(half), kNow);
  if (a.status != 200 && a.status != 400 && a.status != 401) std::abort();
  if (!halo::plugins::is_valid_json(a.body)) std::abort();
  // Passing would take an HMAC-SHA256 under the secret, which the fuzzer
  // cannot make: any pass is a flaw in the check.
  if (tokens.authorizes(body, kNow)) std::abort();
  return 0;
}
