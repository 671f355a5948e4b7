// trigger_consumer.cpp -- triggers (docs/triggers.md): segment entries and
// exits, and the events a trigger starts on, schedule durable timers;
// timers that are due make messages in the outbox. Runs after segment
// membership, before delivery.
//
// An event's timer is written in the commit that stores the event
// (schedule_event_triggers, from the ingest path), never on a replay, and
// its occurrence is the event's log sequence; an event the trigger's
// `on.where` does not hold for (read from the event's own fields, as
// stored) schedules nothing; at fire time its message
// follows the profile into the one it was merged into since. A trigger's
// `unless` events cancel a timer when the profile's latest such event (a
// `last` feature of the segment-history builder) is at or after the
// timer's start.
//
// A timer is due `wait` after the change (the change's reference time),
// or with `wait: { until: ... }` at the next local time of day after that:
// a fixed "HH:MM" in the trigger's time zone, or the profile's best send
// hour as its features held it when the change was read (for an event,
// whose timer is stored before features are emitted: when `for` has
// passed, moving the timer once; best_hour_due).
//
// Each trigger reads the segment changes after its own cursor (meta
// "trigger:NAME"). A trigger the store has not seen starts at the changes
// that exist when it first runs, so a new trigger acts on entries from then
// on, never on the history. Timers, messages and cursors commit in the
// transaction of the run's other consumers, so a run killed anywhere
// schedules or fires again from the last commit; a message's idempotency
// key (trigger:profile:occurrence, the occurrence being the segment change
// that started it) keeps a fire that is repeated from making a second
// message. A rebuild keeps timers, messages and cursors (they are not
// derived data) and records no segment change that did not happen, so it
// schedules nothing again.
//
// At fire time the trigger's `if` is evaluated on the profile as stored
// then (a false `if`, a profile merged away since, a `cap` the trigger
// already reached for the profile, or the channel's frequency cap across
// triggers makes a `suppressed` message; caps count messages by when they
// fired); a `holdout` share of profiles, chosen by a
// hash of the idempotency key, gets a `held_out` message instead of a `pending` one, so uplift can
// be measured against them.

#include <xxhash.h>

#include <algorithm>
#include <charconv>

#include "common/clock.h"
#include "common/iso_time.h"
#include "common/json_writer.h"
#include "pipeline/pipeline.h"
#include "pipeline/segment_history.h"
#include "pipeline/send_time.h"
#include "segment/event_subject.h"
#include "segment/profile_subject.h"
#include "store/profile_reads.h"

namespace halo {

namespace {

constexpr size_t kTriggerPage = 1'000;

std::string cursor_key(const PipelineConfig::Trigger &t) {
  return "trigger:" + t.name;
}

std::optional<uint64_t> read_cursor(const std::optional<std::string> &text) {
  uint64_t v = 0;
  if (!text) return std::nullopt;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return v;
}

int64_t saturating_add(int64_t a, int64_t b) {
  int64_t out = 0;
  return __builtin_add_overflow(a, b, &out) ? INT64_MAX : out;
}

// The message's variables: each path's value on the profile as JSON
// (null when the profile has none).
std::string render_variables(const PipelineConfig::Trigger &t, const ProfileExport &p) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  const segment::ProfileSubject subject(p, 0);
  for (const auto &[name, path] : t.variables) {
    w.key(name);
    if (path == "profile_id") {
      w.string(std::to_string(p.id));
      continue;
    }
    const TypedValue *v = subject.value(path);
    std::string json;
    if (v) v->append_json(json);
    w.raw(v ? json : "null");
  }
  w.end_object();
  return out;
}

// The minute of the day a profile's `features.best_send_hour` (0 .. 23)
// starts, and the zone it is meant in (`features.time_zone` when tzdata
// knows it, else `zone`); nullopt without a usable hour.
std::optional<std::pair<int, cctz::time_zone>> best_send_time(const ProfileExport &profile,
                                                              const cctz::time_zone &zone) {
  const segment::ProfileSubject subject(profile, 0);
  const TypedValue *value = subject.value("features.best_send_hour");
  int64_t hour = -1;
  if (value && value->kind() == TypedKind::kInteger) hour = value->as_integer();
  if (value && value->kind() == TypedKind::kDecimal) {  // "9" from an exact-number builder
    const std::string_view text = value->text();
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), hour);
    if (ec != std::errc() || end != text.data() + text.size()) hour = -1;
  }
  if (hour < 0 || hour > 23) return std::nullopt;
  return std::pair{static_cast<int>(hour) * 60, own_time_zone(subject).value_or(zone)};
}

// The start of `profile`'s best send hour at or after `after_ms` (in the
// zone above, `t`'s by default); `after_ms` when it has no usable hour.
int64_t next_best_hour(const PipelineConfig::Trigger &t,
                       const std::optional<ProfileExport> &profile, int64_t after_ms) {
  const std::optional<cctz::time_zone> zone = find_time_zone(t.time_zone);  // checked at setup
  if (!zone || !profile) return after_ms;
  auto best = best_send_time(*profile, *zone);
  return best ? next_local_time(after_ms, best->second, best->first) : after_ms;
}

// When the wait of `t` that started at `start_ms` ends, without a best
// send hour: `for` after it, then on to the next "HH:MM" of `until`.
int64_t fixed_wait_end(const PipelineConfig::Trigger &t, int64_t start_ms) {
  const int64_t after = saturating_add(start_ms, t.wait_ms);
  if (t.wait_until_minute < 0) return after;
  const std::optional<cctz::time_zone> zone = find_time_zone(t.time_zone);  // checked at setup
  return zone ? next_local_time(after, *zone, t.wait_until_minute) : after;
}

// When the wait of `t` that started at `start_ms` ends: `for` after it,
// then on to the next local time of day `until` names.
Result<int64_t> wait_end(Store &store, const PipelineConfig::Trigger &t, uint64_t profile_id,
                         int64_t start_ms) {
  if (!t.wait_until_best_hour) return fixed_wait_end(t, start_ms);
  auto stored = read_profile_export(store, profile_id);
  if (!stored.ok()) return stored.status();
  return next_best_hour(t, *stored, saturating_add(start_ms, t.wait_ms));
}

// Whether `t` already made its cap of messages for the profile in the
// window ending at `due_ms`: those stored, and those of this page
// (`page`, not yet written; the last one is the message being decided).
Result<bool> reached_cap(Store &store, const PipelineConfig::Trigger &t, uint64_t profile_id,
                         int64_t due_ms, const std::vector<OutboxMessage> &page) {
  if (t.cap.messages == 0) return false;
  const int64_t since = t.cap.window_start(due_ms);
  auto stored = store.count_trigger_messages(t.name, profile_id, since);
  if (!stored.ok()) return stored.status();
  uint64_t made = *stored;
  for (size_t k = 0; k + 1 < page.size(); ++k) {
    const OutboxMessage &m = page[k];
    made += m.trigger == t.name && m.profile_id == profile_id && m.status != "suppressed" &&
            m.fired_at_ms >= since;
  }
  return made >= static_cast<uint64_t>(t.cap.messages);
}

// Whether the profile already had its `channel`'s cap of messages
// (consent.frequency_caps) in the window ending at `due_ms`, from any
// trigger: those stored and those of this page, held-out and suppressed
// ones left out (they are never sent).
Result<bool> reached_channel_cap(Store &store, const std::map<std::string, MessageCap> &caps,
                                 const std::string &channel, uint64_t profile_id, int64_t due_ms,
                                 const std::vector<OutboxMessage> &page) {
  auto cap = caps.find(channel);
  if (cap == caps.end()) return false;
  const int64_t since = cap->second.window_start(due_ms);
  auto stored = store.count_channel_messages(channel, profile_id, since);
  if (!stored.ok()) return stored.status();
  uint64_t made = *stored;
  for (size_t k = 0; k + 1 < page.size(); ++k) {
    const OutboxMessage &m = page[k];
    made += m.channel == channel && m.profile_id == profile_id && m.status != "suppressed" &&
            m.status != "held_out" && m.fired_at_ms >= since;
  }
  return made >= static_cast<uint64_t>(cap->second.messages);
}

// The time of the profile's latest event named `event`, as the history
// builder keeps it (segment_history.h); nullopt when it has none.
std::optional<int64_t> last_event_at(const segment::ProfileSubject &subject,
                                     const std::string &event) {
  const TypedValue *v = subject.value("features." + last_event_term(event).feature);
  if (v && v->kind() == TypedKind::kTimestamp) return v->as_integer();
  if (v && v->kind() == TypedKind::kString) return parse_iso8601_ms(std::string(v->text()));
  return std::nullopt;
}

// The first of `t`'s `unless` events that happened at or after `started_ms`
// on the profile; nullptr when none did.
const std::string *cancelling_event(const PipelineConfig::Trigger &t,
                                    const segment::ProfileSubject &subject, int64_t started_ms) {
  for (const std::string &event : t.unless_events) {
    std::optional<int64_t> at = last_event_at(subject, event);
    if (at && *at >= started_ms) return &event;
  }
  return nullptr;
}

// The profile a due timer's message is for, as stored now: the timer's
// own; for a trigger on an event, the one it was merged into since (the
// event happened to that person). nullopt for a profile merged away since
// on a segment trigger (the other profile's own entry counts).
Result<std::optional<ProfileExport>> fire_profile(Store &store, const PipelineConfig::Trigger &t,
                                                  const TriggerTimer &timer) {
  return t.event.empty() ? read_profile_export(store, timer.profile_id)
                         : read_live_profile_export(store, timer.profile_id);
}

// For a trigger on an event waiting `until: best_send_hour`: when its due
// timer should fire instead -- the start of `profile`'s (its fire_profile)
// best send hour at or after `for` ended, read now (the timer was stored
// with the event, before the profile's features were emitted) -- or the
// due time itself.
// A timer is moved at most once: only while it is still due when `for`
// ends.
int64_t best_hour_due(const PipelineConfig::Trigger &t, const TriggerTimer &timer,
                      const std::optional<ProfileExport> &profile) {
  if (t.event.empty() || !t.wait_until_best_hour ||
      timer.due_ms != saturating_add(timer.started_at_ms, t.wait_ms)) {
    return timer.due_ms;
  }
  return next_best_hour(t, profile, timer.due_ms);
}

// Decides the message a due timer of `t` makes for `profile` (its
// fire_profile), the last of `page`: `suppressed` with the reason,
// `held_out`, or `pending` with its variables rendered.
Status decide_message(Store &store, const PipelineConfig &config, const PipelineConfig::Trigger &t,
                      const std::optional<segment::Expr> &condition, const TriggerTimer &timer,
                      const std::optional<ProfileExport> &profile, int64_t as_of_ms,
                      std::vector<OutboxMessage> &page) {
  OutboxMessage &m = page.back();
  m.variables = "{}";
  m.status = "suppressed";
  if (!profile) {
    m.reason = "merged";
    return Status::Ok();
  }
  const ProfileExport &p = *profile;
  m.profile_id = p.id;
  const segment::ProfileSubject subject(p, as_of_ms);
  if (const std::string *event = cancelling_event(t, subject, timer.started_at_ms)) {
    m.reason = "unless: " + *event;
    return Status::Ok();
  }
  if (condition && !condition->matches(subject)) {
    m.reason = "if";
    return Status::Ok();
  }
  auto capped = reached_cap(store, t, p.id, timer.due_ms, page);
  if (!capped.ok()) return capped.status();
  if (*capped) {
    m.reason = "cap";
    return Status::Ok();
  }
  // Before the hold-out draw: the held-out group is those who would have
  // been sent a message.
  auto channel_capped = reached_channel_cap(store, config.consent.frequency_caps, t.channel, p.id,
                                            timer.due_ms, page);
  if (!channel_capped.ok()) return channel_capped.status();
  if (*channel_capped) {
    m.reason = "frequency cap: " + t.channel;
    return Status::Ok();
  }
  m.variables = render_variables(t, p);
  const uint64_t draw = XXH3_64bits(m.idempotency_key.data(), m.idempotency_key.size()) % 100;
  m.status = static_cast<int64_t>(draw) < t.holdout_percent ? "held_out" : "pending";
  return Status::Ok();
}

}  // namespace

Status Pipeline::schedule_event_triggers(const EventBatch &batch) {
  if (event_triggers_.empty()) return Status::Ok();
  auto timers = std::make_shared<std::vector<TriggerTimer>>();
  for (size_t i = 0; i < batch.events.size(); ++i) {
    const Event &e = batch.events[i];
    for (size_t k : event_triggers_) {
      const PipelineConfig::Trigger &t = config_.triggers[k];
      if (e.name != t.event) continue;
      const std::optional<segment::Expr> &filter = trigger_filters_[k];
      if (filter && !filter->matches(segment::EventSubject(batch, i, filter->paths()))) continue;
      timers->push_back({0, t.name, profile_ids_[i], e.sequence, fixed_wait_end(t, e.timestamp_ms),
                         e.timestamp_ms});
    }
  }
  if (timers->empty()) return Status::Ok();
  return write([timers](Store &st) {
    Status w;
    for (size_t k = 0; w.ok() && k < timers->size(); ++k) w = st.add_trigger_timer((*timers)[k]);
    return w;
  });
}

Status Pipeline::start_trigger_cursors() {
  if (config_.triggers.empty()) return Status::Ok();
  Status s = drain_writer();
  if (!s.ok()) return s;
  std::optional<uint64_t> last;
  for (const PipelineConfig::Trigger &t : config_.triggers) {
    auto stored = store_->get_meta(cursor_key(t));
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) continue;
    if (!last) {
      auto found = store_->last_segment_change();
      if (!found.ok()) return found.status();
      last = *found;
    }
    s = begin_if_needed();
    if (s.ok()) {
      s = write([key = cursor_key(t), at = std::to_string(*last)](Store &st) {
        return st.set_meta(key, at);
      });
    }
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Pipeline::schedule_triggers() {
  if (config_.triggers.empty()) return Status::Ok();
  Status s = drain_writer();
  if (!s.ok()) return s;
  std::vector<uint64_t> cursors;
  uint64_t after = UINT64_MAX;
  for (const PipelineConfig::Trigger &t : config_.triggers) {
    auto stored = store_->get_meta(cursor_key(t));
    if (!stored.ok()) return stored.status();
    std::optional<uint64_t> cursor = read_cursor(*stored);
    if (!cursor) {
      return Status::Corruption("store " + store_->path() + ": meta '" + cursor_key(t) +
                                "' is not a number; run `halo store check`");
    }
    cursors.push_back(*cursor);
    after = std::min(after, *cursor);
  }
  auto timers = std::make_shared<std::vector<TriggerTimer>>();
  uint64_t last = after;
  for (;;) {
    size_t read = 0;
    s = store_->scan_segment_changes(last, kTriggerPage, [&](const SegmentChange &c) {
      ++read;
      last = c.id;
      for (size_t i = 0; i < config_.triggers.size(); ++i) {
        const PipelineConfig::Trigger &t = config_.triggers[i];
        const std::vector<std::string> &names = t.on_entry ? c.entered : c.exited;
        if (c.id <= cursors[i] || !t.event.empty() ||
            std::find(names.begin(), names.end(), t.segment) == names.end()) {
          continue;
        }
        timers->push_back(
            {0, t.name, c.profile_id, c.id, c.at_ms, c.at_ms});  // due: wait_end below
      }
    });
    if (!s.ok()) return s;
    if (read == 0) break;
  }
  if (last == after) return Status::Ok();  // nothing new
  for (TriggerTimer &timer : *timers) {
    const auto t =
        std::find_if(config_.triggers.begin(), config_.triggers.end(),
                     [&](const PipelineConfig::Trigger &c) { return c.name == timer.trigger; });
    auto due = wait_end(*store_, *t, timer.profile_id, timer.due_ms);
    if (!due.ok()) return due.status();
    timer.due_ms = *due;
  }
  s = begin_if_needed();
  if (!s.ok()) return s;
  std::vector<std::string> keys;
  for (const PipelineConfig::Trigger &t : config_.triggers) keys.push_back(cursor_key(t));
  return write([timers, keys, at = std::to_string(last)](Store &st) {
    Status w;
    for (size_t k = 0; w.ok() && k < timers->size(); ++k) w = st.add_trigger_timer((*timers)[k]);
    for (size_t k = 0; w.ok() && k < keys.size(); ++k) w = st.set_meta(keys[k], at);
    return w;
  });
}

Status Pipeline::fire_due_triggers(int64_t as_of_ms, RunSummary *summary) {
  if (config_.triggers.empty()) return Status::Ok();
  const int64_t now = wall_ms();
  for (;;) {
    Status s = drain_writer();  // the last page's timers are gone before the next scan
    std::vector<TriggerTimer> due;
    if (s.ok()) {
      s = store_->scan_due_trigger_timers(as_of_ms, kTriggerPage,
                                          [&](const TriggerTimer &t) { due.push_back(t); });
    }
    if (!s.ok()) return s;
    if (due.empty()) return Status::Ok();
    auto messages = std::make_shared<std::vector<OutboxMessage>>();
    std::vector<FiredAction> actions;
    auto fired = std::make_shared<std::vector<uint64_t>>();
    auto moved = std::make_shared<std::vector<TriggerTimer>>();  // due later, at a best hour
    for (const TriggerTimer &timer : due) {
      fired->push_back(timer.id);
      size_t i = 0;
      while (i < config_.triggers.size() && config_.triggers[i].name != timer.trigger) ++i;
      if (i == config_.triggers.size()) continue;  // trigger removed from the pipeline: dropped
      const PipelineConfig::Trigger &t = config_.triggers[i];
      auto profile = fire_profile(*store_, t, timer);
      if (!profile.ok()) return profile.status();
      const int64_t best = best_hour_due(t, timer, *profile);
      if (best > timer.due_ms) {
        moved->push_back(timer);
        moved->back().id = 0;
        moved->back().due_ms = best;
        continue;
      }
      OutboxMessage &m = messages->emplace_back();
      m.idempotency_key =
          t.name + ":" + std::to_string(timer.profile_id) + ":" + std::to_string(timer.occurrence);
      m.trigger = t.name;
      m.profile_id = timer.profile_id;
      m.channel = t.channel;
      m.destination = t.destination;
      m.template_name = t.template_name;
      m.created_at_ms = m.updated_at_ms = now;
      m.fired_at_ms = timer.due_ms;
      s = decide_message(*store_, config_, t, trigger_conditions_[i], timer, *profile, as_of_ms,
                         *messages);
      if (!s.ok()) return s;
      // Actions go with a message to send; a trigger without `send` acts
      // unless something suppressed it, and keeps no message.
      if (t.has_actions() && messages->back().status == "pending") {
        actions.push_back({i, **profile, m.idempotency_key, timer.due_ms});
      }
      if (!t.sends()) messages->pop_back();
    }
    for (const OutboxMessage &m : *messages) {
      ++(m.status == "pending"    ? summary->messages_queued
         : m.status == "held_out" ? summary->messages_held_out
                                  : summary->messages_suppressed);
    }
    s = begin_if_needed();
    if (s.ok()) {
      s = write([messages, fired, moved](Store &st) {
        Status w;
        for (size_t k = 0; w.ok() && k < messages->size(); ++k) {
          auto added = st.add_message((*messages)[k]);  // false: made before, kept as it was
          w = added.status();
        }
        for (size_t k = 0; w.ok() && k < fired->size(); ++k)
          w = st.delete_trigger_timer((*fired)[k]);
        for (size_t k = 0; w.ok() && k < moved->size(); ++k) w = st.add_trigger_timer((*moved)[k]);
        return w;
      });
    }
    if (s.ok()) s = apply_trigger_actions(actions, summary);
    if (!s.ok()) return s;
  }
}

}  // namespace halo
