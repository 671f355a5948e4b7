// message_delivery.cpp -- the outbox's only way out (docs/messages.md):
// messages for a destination that delivers messages (deliver_messages,
// plugin ABI 1.2) are checked, rendered and handed over a page at a time;
// each outcome is recorded on the message in the commit that follows.
//
// Invariants: a message is durable in the outbox before any attempt (a
// trigger wrote it in an earlier commit); every attempt appends to its
// `attempts` and counts in `attempt_count`; a message leaves `pending` or
// `failed` only as `sent`, `dead` (its last attempt, or an outcome no retry
// can fix) or `suppressed` (the profile opted out of the channel, or has
// no address for it), each with its reason. A message is marked sent only
// after the plugin returned, so a crash in between sends it again with the
// same idempotency key (at least once; once where the receiver
// de-duplicates by the key). An address whose latest consent record
// (docs/consent.md) is an opt-out is suppressed like a trait opt-out; a
// receiver's opt-out or hard bounce adds such a record in the commit that
// records the outcome. Retries wait the destination's `retry.backoff`
// doubled per attempt (at most 6 h), with +-20% jitter, and at least the
// receiver's Retry-After. A destination's `rate_limit` and circuit breaker
// (delivery_gate.h) decide when a page may go at all.

#include <xxhash.h>

#include <algorithm>

#include "common/civil_date.h"
#include "common/clock.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "consent/unsubscribe_link.h"
#include "pipeline/channel_address.h"
#include "pipeline/pipeline.h"
#include "pipeline/pipeline_setup.h"
#include "pipeline/send_time.h"
#include "profile/profile_export.h"
#include "segment/profile_subject.h"
#include "store/profile_reads.h"

namespace halo {

namespace {

constexpr size_t kDeliveryPage = 100;
constexpr int64_t kMaxRetryDelayMs = int64_t{6} * 60 * 60 * 1000;

// The profile's address for the channel: the smallest of its identifiers
// of that type (a stable choice when it has several).
std::string recipient_of(const ProfileExport &p, std::string_view type) {
  std::string best;
  for (const auto &[t, v] : p.identifiers) {
    if (t == type && (best.empty() || v < best)) best = v;
  }
  return best;
}

// Why the profile must not get messages on `channel` ("" when it may): a
// trait `<channel>_opt_out` that is true, or `consent_<channel>` false.
std::string consent_block(const ProfileExport &p, const std::string &channel) {
  const segment::ProfileSubject subject(p, 0);
  const TypedValue *out = subject.value("traits." + channel + "_opt_out");
  if (out && out->kind() == TypedKind::kBool && out->as_bool()) {
    return "opted out of " + channel + " (traits." + channel + "_opt_out)";
  }
  const TypedValue *consent = subject.value("traits.consent_" + channel);
  if (consent && consent->kind() == TypedKind::kBool && !consent->as_bool()) {
    return "no consent for " + channel + " (traits.consent_" + channel + ")";
  }
  return "";
}

// When the destination's quiet hours around `now` end for the profile
// (in its features.time_zone when tzdata knows it, else the destination's
// zone); nullopt when `now` is outside them.
std::optional<int64_t> quiet_until(const PluginUse &use, const ProfileExport &p, int64_t now) {
  if (use.quiet_from_minute < 0) return std::nullopt;
  std::optional<cctz::time_zone> zone = own_time_zone(segment::ProfileSubject(p, 0));
  if (!zone) zone = find_time_zone(use.quiet_time_zone);  // checked at setup
  if (!zone || !in_local_span(now, *zone, use.quiet_from_minute, use.quiet_until_minute)) {
    return std::nullopt;
  }
  return next_local_time(now, *zone, use.quiet_until_minute);
}

// The delay before attempt `attempts + 1`: the backoff doubled per attempt
// made, capped, jittered by the key's hash, and at least `retry_after_ms`.
int64_t retry_delay(const PluginUse &use, const OutboxMessage &m, int64_t retry_after_ms) {
  int64_t delay = use.retry_backoff_ms;
  for (int64_t k = 1; k < m.attempt_count && delay < kMaxRetryDelayMs; ++k) delay *= 2;
  delay = std::min(delay, kMaxRetryDelayMs);
  const std::string seed = m.idempotency_key + "#" + std::to_string(m.attempt_count);
  const int64_t jitter = static_cast<int64_t>(XXH3_64bits(seed.data(), seed.size()) % 41) - 20;
  delay += delay * jitter / 100;
  return std::max(delay, retry_after_ms);
}

// Appends one attempt to the message's `attempts` JSON array.
void add_attempt(OutboxMessage &m, int64_t at_ms, const char *outcome, const std::string &detail) {
  std::string one;
  JsonWriter w(one);
  w.begin_object();
  w.key("at").string(format_iso8601_ms(at_ms));
  w.key("outcome").string(outcome);
  w.key("detail").string(detail);
  w.end_object();
  const bool empty = m.attempts.size() < 2 || m.attempts == "[]";
  m.attempts =
      empty ? "[" + one + "]" : m.attempts.substr(0, m.attempts.size() - 1) + "," + one + "]";
  ++m.attempt_count;
}

const char *outcome_name(int32_t outcome) {
  switch (outcome) {
    case HALO_MESSAGE_SENT:
      return "sent";
    case HALO_MESSAGE_FAILED:
      return "failed";
    case HALO_MESSAGE_OPTED_OUT:
      return "opted_out";
    case HALO_MESSAGE_BOUNCED:
      return "bounced";
    default:
      return "retry";
  }
}

// Why an address's latest consent record blocks sending, or "".
std::string ledger_block(const ConsentRecord &r) {
  if (r.opted_in) return "";
  return "opted out of " + r.channel + " (consent ledger: " + r.reason + " from " + r.source +
         " at " + format_iso8601_ms(r.at_ms) + ")";
}

// The ledger record a receiver's opt-out or hard bounce of `m` makes.
ConsentRecord receiver_record(const PluginUse &use, const OutboxMessage &m, bool bounce,
                              const std::string &detail, int64_t now) {
  ConsentRecord r;
  r.channel = m.channel;
  r.address = m.recipient;
  r.opted_in = false;
  r.reason = bounce ? "bounce" : "opted_out_at_receiver";
  r.source = "destination " + use.name + " (" + use.plugin + ")";
  r.proof = "message " + std::to_string(m.id) + ": " + detail;
  r.at_ms = now;
  return r;
}

// Applies one attempt's outcome to `m`; a receiver's opt-out or bounce
// also appends to `consent`.
// `polls`: the destination asks its receiver for reports (poll_receipts).
void record_outcome(const PluginUse &use, const halo_message_delivery::Outcome &o, bool polls,
                    int64_t now, OutboxMessage &m, std::vector<ConsentRecord> &consent,
                    RunSummary *summary) {
  const std::string detail =
      o.reported ? o.detail : std::string("the destination reported no outcome");
  add_attempt(m, now, outcome_name(o.reported ? o.outcome : HALO_MESSAGE_RETRY), detail);
  m.updated_at_ms = now;
  if (o.reported && o.outcome == HALO_MESSAGE_SENT) {
    m.status = "sent";
    m.reason.clear();
    m.provider_id = o.detail;
    m.sent_at_ms = now;
    m.polls = 0;
    m.next_poll_ms = polls ? now + use.receipt_poll_after_ms : 0;
    ++summary->messages_sent;
    return;
  }
  if (o.reported && (o.outcome == HALO_MESSAGE_OPTED_OUT || o.outcome == HALO_MESSAGE_BOUNCED)) {
    const bool bounce = o.outcome == HALO_MESSAGE_BOUNCED;
    consent.push_back(receiver_record(use, m, bounce, detail, now));
    m.status = bounce ? "dead" : "suppressed";
    m.reason = (bounce ? "bounced: " : "opted out at the receiver: ") + detail;
    ++(bounce ? summary->messages_dead : summary->messages_blocked);
    return;
  }
  const bool last = m.attempt_count >= use.retry_max_attempts;
  if ((o.reported && o.outcome == HALO_MESSAGE_FAILED) || last) {
    m.status = "dead";
    m.reason = last && !(o.reported && o.outcome == HALO_MESSAGE_FAILED)
                   ? "no attempt of " + std::to_string(m.attempt_count) + " succeeded: " + detail
                   : detail;
    ++summary->messages_dead;
    return;
  }
  m.status = "failed";
  m.reason = detail;
  m.next_attempt_ms = now + retry_delay(use, m, o.retry_after_ms);
  ++summary->messages_retrying;
}

}  // namespace

Result<bool> Pipeline::prepare_message(const PluginUse &use, OutboxMessage &m, PreparedMessage &out,
                                       RunSummary *summary) {
  const int64_t now = wall_ms();
  auto dead = [&](std::string why) {
    add_attempt(m, now, "failed", why);
    m.status = "dead";
    m.reason = std::move(why);
    m.updated_at_ms = now;
    ++summary->messages_dead;
    return false;
  };
  auto stored = read_live_profile_export(*store_, m.profile_id);  // merged since it was made
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return dead("profile " + std::to_string(m.profile_id) + " is gone");
  const ProfileExport &p = **stored;
  auto tmpl = templates_.find(m.template_name);
  if (tmpl == templates_.end()) {
    return dead("no template named '" + m.template_name + "' is declared under templates:");
  }
  std::string blocked = consent_block(p, m.channel);
  const std::string_view type = channel_address_type(m.channel);
  out.recipient = type.empty() ? "" : recipient_of(p, type);
  if (blocked.empty() && !type.empty() && out.recipient.empty()) {
    blocked = "the profile has no " + std::string(type) + " for channel " + m.channel;
  }
  if (blocked.empty() && !out.recipient.empty()) {
    auto latest = store_->latest_consent(m.channel, out.recipient);
    if (!latest.ok()) return latest.status();
    if (latest->has_value()) blocked = ledger_block(**latest);
  }
  if (!blocked.empty()) {
    m.status = "suppressed";
    m.reason = std::move(blocked);
    m.updated_at_ms = now;
    ++summary->messages_blocked;
    return false;
  }
  if (std::optional<int64_t> until = quiet_until(use, p, now)) {
    m.next_attempt_ms = *until;
    m.reason = "quiet hours until " + format_iso8601_ms(*until);
    m.updated_at_ms = now;
    ++summary->messages_deferred;
    return false;
  }
  if (!out.recipient.empty()) {
    out.unsubscribe_url =
        consent::unsubscribe_link(config_.consent.unsubscribe, m.id, m.channel, out.recipient);
  }
  out.rendered = tmpl->second.render(m.variables, p.id, out.unsubscribe_url);
  return true;
}

Status Pipeline::deliver_outbox(size_t d, RunSummary *summary) {
  if (!destinations_[d]->delivers_messages()) return Status::Ok();
  const PluginUse &use = config_.destinations[d];
  while (delivery_gates_.size() <= d) {
    delivery_gates_.emplace_back(config_.destinations[delivery_gates_.size()]);
  }
  const DeliveryGate &gate = delivery_gates_[d];
  bool started = false;
  Status s;
  for (uint64_t after = 0; s.ok();) {
    // SIGINT/SIGTERM: the page delivered last is committed; the rest waits.
    if (options_.cancel && options_.cancel->load()) break;
    if (gate.open(wall_ms())) break;  // its messages wait for the cooldown
    s = drain_writer();               // the last page's outcomes are visible to the next scan
    std::vector<OutboxMessage> page;
    if (s.ok()) {
      s = store_->scan_deliverable_messages(use.name, wall_ms(), after,
                                            gate.page_limit(kDeliveryPage),
                                            [&](const OutboxMessage &m) { page.push_back(m); });
    }
    if (!s.ok() || page.empty()) break;
    after = page.back().id;
    if (!started) {
      s = start_destination(d);
      if (!s.ok()) return s;
      started = true;
    }
    bool stop = false;
    s = deliver_page(d, page, stop, summary);
    if (stop) break;
  }
  if (s.ok()) s = poll_receipts(d, started, summary);
  if (!started) return s;
  Status stopped = destinations_[d]->stop();
  destination_spent_[d] = true;
  return s.ok() ? stopped : s;
}

bool Pipeline::wait_for_gate(DeliveryGate &gate, size_t n) {
  for (int64_t wait; (wait = gate.wait_ms(n, wall_ms())) > 0;) {
    if (options_.cancel && options_.cancel->load()) return false;
    current_clock().sleep_for(std::chrono::milliseconds(std::min<int64_t>(wait, 50)));
  }
  return true;
}

Status Pipeline::deliver_page(size_t d, std::vector<OutboxMessage> &page, bool &stop,
                              RunSummary *summary) {
  std::vector<PreparedMessage> prepared;
  std::vector<size_t> sending;  // indexes into `page`
  prepared.reserve(page.size());
  for (size_t i = 0; i < page.size(); ++i) {
    PreparedMessage p;
    auto ready = prepare_message(config_.destinations[d], page[i], p, summary);
    if (!ready.ok()) return ready.status();
    if (!*ready) continue;
    prepared.push_back(std::move(p));
    sending.push_back(i);
  }
  std::vector<halo_message> batch;
  for (size_t k = 0; k < sending.size(); ++k) {
    OutboxMessage &m = page[sending[k]];
    const PreparedMessage &p = prepared[k];
    m.recipient = p.recipient;  // what its unsubscribe link opts out
    halo_message h{};
    h.struct_size = sizeof(halo_message);
    h.attempt = static_cast<uint32_t>(m.attempt_count + 1);
    h.id = m.id;
    h.profile_id = m.profile_id;
    auto set = [](const std::string &s, const char *&data, size_t &len) {
      data = s.data();
      len = s.size();
    };
    set(m.idempotency_key, h.idempotency_key, h.idempotency_key_len);
    set(m.trigger, h.trigger, h.trigger_len);
    set(m.channel, h.channel, h.channel_len);
    set(p.recipient, h.recipient, h.recipient_len);
    set(m.template_name, h.template_name, h.template_name_len);
    set(p.rendered.subject, h.subject, h.subject_len);
    set(p.rendered.text, h.text, h.text_len);
    set(p.rendered.html, h.html, h.html_len);
    set(m.variables, h.variables_json, h.variables_json_len);
    set(p.unsubscribe_url, h.unsubscribe_url, h.unsubscribe_url_len);
    batch.push_back(h);
  }
  DeliveryGate &gate = delivery_gates_[d];
  if (!wait_for_gate(gate, batch.size())) {  // stopping: these wait, untouched
    batch.clear();
    sending.clear();
    stop = true;
  }
  gate.take(batch.size(), wall_ms());
  halo_message_delivery outcomes;
  Status call = destinations_[d]->deliver_messages(batch, outcomes);
  if (!call.ok()) {  // the kernel goes on; this destination waits for a later run
    log_warn("deliver", call.message() + "; its messages are retried later");
    stop = true;
  }
  const int64_t now = wall_ms();
  auto consent = std::make_shared<std::vector<ConsentRecord>>();
  for (size_t k = 0; k < sending.size(); ++k) {
    const halo_message_delivery::Outcome &o = outcomes.outcomes[k];
    record_outcome(config_.destinations[d], o, destinations_[d]->polls_receipts(), now,
                   page[sending[k]], *consent, summary);
    if (gate.record(!o.reported || o.outcome == HALO_MESSAGE_RETRY, now)) {
      log_warn("deliver", destinations_[d]->label() + ": " +
                              std::to_string(config_.destinations[d].breaker_failures) +
                              " messages in a row were not delivered; circuit open, nothing is "
                              "handed to it until " +
                              format_iso8601_ms(gate.open_until_ms()));
      stop = true;
    }
  }
  auto updates = std::make_shared<std::vector<OutboxMessage>>(std::move(page));
  Status s = begin_if_needed();
  if (s.ok()) {
    s = write([updates, consent](Store &st) {
      Status w;
      for (size_t k = 0; w.ok() && k < updates->size(); ++k) w = st.update_delivery((*updates)[k]);
      for (size_t k = 0; w.ok() && k < consent->size(); ++k) w = st.add_consent((*consent)[k]);
      return w;
    });
  }
  // Sent is durable as soon as it can be: a crash now would send again.
  return s.ok() ? commit() : s;
}

}  // namespace halo
