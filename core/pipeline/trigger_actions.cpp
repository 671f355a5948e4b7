// trigger_actions.cpp -- the identify events of a trigger's actions
// (trigger_actions.h), and Pipeline::apply_trigger_actions, which appends
// them to the log through the ingest path.
#include "pipeline/trigger_actions.h"

#include <algorithm>
#include <deque>

#include "common/civil_date.h"
#include "common/clock.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "pipeline/pipeline.h"
#include "segment/profile_subject.h"

namespace halo {

namespace {

// A JSON object built from (dotted path, JSON literal) leaves, members in
// the order they were first named.
struct JsonTree {
  std::vector<std::pair<std::string, JsonTree>> members;
  std::string literal;  // a leaf's JSON

  void put(std::string_view path, std::string value) {
    JsonTree *node = this;
    for (size_t start = 0;;) {
      const size_t dot = path.find('.', start);
      const std::string_view name = path.substr(start, dot - start);
      auto it = std::find_if(node->members.begin(), node->members.end(),
                             [&](const auto &m) { return m.first == name; });
      node = it != node->members.end() ? &it->second
                                       : &node->members.emplace_back(name, JsonTree{}).second;
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    node->literal = std::move(value);
  }

  void render(JsonWriter &w) const {
    w.begin_object();
    for (const auto &[name, child] : members) {
      w.key(name);
      if (child.members.empty()) {
        w.raw(child.literal);
      } else {
        child.render(w);
      }
    }
    w.end_object();
  }
};

bool is_trait_path(const std::string &path) {
  return path.starts_with("traits.") || path.starts_with("context.traits.");
}

// Where the action's event names the profile: the path and normalized
// value of the profile's strongest identifier (lowest priority number,
// then the order of identity.identifiers), at its first configured path
// that is not a trait. nullopt when it holds none the pipeline reads.
std::optional<std::pair<std::string, std::string>> carrier(const PipelineConfig &config,
                                                           const ProfileExport &profile) {
  const IdentifierSpec *best = nullptr;
  const std::string *value = nullptr;
  for (const IdentifierSpec &spec : config.identifiers) {
    if (spec.paths.empty() || (best && best->priority <= spec.priority)) continue;
    for (const auto &[type, held] : profile.identifiers) {
      if (type != spec.type) continue;
      best = &spec;
      value = &held;
      break;
    }
  }
  if (!best) return std::nullopt;
  auto path = std::find_if(best->paths.begin(), best->paths.end(),
                           [](const std::string &p) { return !is_trait_path(p); });
  return std::pair{path != best->paths.end() ? *path : best->paths.front(), *value};
}

// One identify event: the profile's identifier and `traits` (name, JSON
// literal), the names plain (config/trigger_config.cpp checks them).
std::string action_event(const std::pair<std::string, std::string> &who,
                         const std::string &message_id, int64_t at_ms,
                         const std::vector<std::pair<std::string, std::string>> &traits) {
  auto quoted = [](std::string_view s) {
    std::string text;
    append_json_string(text, s);
    return text;
  };
  JsonTree event;
  event.put("type", quoted("identify"));
  event.put("messageId", quoted(message_id));
  event.put("timestamp", quoted(format_iso8601_ms(at_ms)));
  event.put(who.first, quoted(who.second));
  for (const auto &[name, literal] : traits) event.put("traits." + name, literal);
  std::string out;
  JsonWriter w(out);
  event.render(w);
  return out;
}

// The traits set_trait writes for `profile` firing at `at_ms`, as (name,
// JSON literal): literals as configured, `from` values read now; a value
// the profile does not hold is left out.
std::vector<std::pair<std::string, std::string>> trait_values(const PipelineConfig::Trigger &t,
                                                              const ProfileExport &profile,
                                                              int64_t at_ms) {
  std::vector<std::pair<std::string, std::string>> out;
  const segment::ProfileSubject subject(profile, 0);
  for (const PipelineConfig::Trigger::TraitAction &a : t.set_traits) {
    if (a.from.empty()) {
      out.emplace_back(a.name, a.literal);
      continue;
    }
    std::string json;
    if (a.from == "fire_time") {
      append_json_string(json, format_iso8601_ms(at_ms));
    } else if (const TypedValue *v = subject.value(a.from); v && v->kind() != TypedKind::kNull) {
      v->append_json(json);
    } else {
      continue;
    }
    out.emplace_back(a.name, std::move(json));
  }
  return out;
}

}  // namespace

std::vector<std::string> trigger_action_events(const PipelineConfig &config,
                                               const PipelineConfig::Trigger &t,
                                               const ProfileExport &profile, const std::string &key,
                                               int64_t at_ms) {
  std::vector<std::string> events;
  const auto who = carrier(config, profile);
  if (!t.has_actions() || !who) return events;
  auto message_id = [&] { return key + "/" + std::to_string(events.size()); };
  if (auto traits = trait_values(t, profile, at_ms); !traits.empty()) {
    events.push_back(action_event(*who, message_id(), at_ms, traits));
  }
  for (const std::string &tag : t.add_tags) {
    std::string text;
    append_json_string(text, tag);
    events.push_back(action_event(*who, message_id(), at_ms, {{"tags", std::move(text)}}));
  }
  return events;
}

}  // namespace halo

namespace halo {

Status Pipeline::apply_trigger_actions(const std::vector<FiredAction> &fired, RunSummary *summary) {
  // The batch's events point into these (a deque never moves its strings).
  std::deque<std::string> texts;
  EventBatch batch;
  std::vector<MessageKey> keys;
  const int64_t now = wall_ms();
  for (const FiredAction &f : fired) {
    const PipelineConfig::Trigger &t = config_.triggers[f.trigger];
    std::vector<std::string> events = trigger_action_events(config_, t, f.profile, f.key, f.at_ms);
    if (events.empty()) {
      log_warn("triggers", "trigger " + t.name + ": profile " + std::to_string(f.profile.id) +
                               " holds no identifier the pipeline reads; its set_trait/add_tag "
                               "were not applied");
      continue;
    }
    const std::string &source = texts.emplace_back(std::string(kActionSourcePrefix) + t.name);
    for (std::string &event : events) {
      const std::string &raw = texts.emplace_back(std::move(event));
      const size_t before = batch.events.size();
      Rejection why;
      if (parse_->normalize_one(raw, source, now, batch, &why)) {
        keys.push_back(message_key(source, batch.events[before].message_id));
        continue;
      }
      // Only a rule of the pipeline (limits:, a block list) can refuse
      // what the checked configuration makes: kept, never silent.
      summary->rejected++;
      DeadLetter d{"validate", why.reason, "trigger " + t.name + ": " + why.message, source, "",
                   raw,        now};
      Status s = write([d = std::move(d)](Store &st) { return st.add_dead_letter(d); });
      if (!s.ok()) return s;
    }
  }
  if (batch.events.empty()) return Status::Ok();
  // Keys checked: each is new, its fire's timer is deleted in the same
  // commit that logs it (a fire never repeats after its commit).
  const uint64_t accepted = summary->accepted;
  Status s = ingest(batch, &keys, /*keys_checked=*/true, summary);
  const uint64_t logged = summary->accepted - accepted;
  summary->accepted = accepted;  // counts what sources sent
  summary->trigger_actions += logged;
  actions_logged_ = actions_logged_ || logged > 0;
  return s;
}

}  // namespace halo
