// trigger_config.cpp -- `triggers:` and the `templates:` their messages
// name (trigger_config.h).
#include "config/trigger_config.h"

#include <algorithm>
#include <map>

#include <halo/units.hpp>

#include "common/iso_time.h"
#include "common/json_number.h"
#include "common/json_writer.h"
#include "config/env_substitution.h"
#include "config/scalar_parse.h"

namespace halo {

namespace {

constexpr int64_t kMaxWaitMs = int64_t{366} * 24 * 60 * 60 * 1000;

// on: { entered: SEGMENT }, { exited: SEGMENT } or { event: NAME [, where: EXPR] }
bool read_on(MapReader &entry, Diagnostics &diags, PipelineConfig::Trigger &t) {
  YAML::Node on;
  if (!entry.require("on", "on: { entered: SEGMENT }") ||
      !entry.read_mapping("on", on, t.on_mark)) {
    return false;
  }
  MapReader map(on, entry.path_of("on"), {"entered", "exited", "event", "where"}, diags, t.on_mark);
  if (map.has("entered") + map.has("exited") + map.has("event") != 1) {
    diags.error(t.on_mark, entry.path_of("on"),
                "give one of entered: SEGMENT, exited: SEGMENT (the segment whose entries or "
                "exits start the trigger) or event: NAME (the event that starts it)");
    return false;
  }
  if (map.has("where")) {
    t.event_filter_mark = map.value_mark("where");
    if (!map.read_string("where", t.event_filter)) return false;
    if (!map.has("event") || t.event_filter.empty()) {
      diags.error(t.event_filter_mark, map.path_of("where"),
                  "where: EXPRESSION filters the events of `on: { event: NAME }` by their "
                  "fields, e.g. where: \"properties.revenue >= 1000000\"");
      return false;
    }
  }
  if (map.has("event")) {
    if (!map.read_string("event", t.event)) return false;
    if (!t.event.empty()) return true;
    diags.error(map.value_mark("event"), map.path_of("event"), "the event's name is empty");
    return false;
  }
  t.on_entry = map.has("entered");
  return map.read_string(t.on_entry ? "entered" : "exited", t.segment);
}

// unless: { event: NAME } or { event: [NAME, ...] }
bool read_unless(MapReader &entry, Diagnostics &diags, PipelineConfig::Trigger &t) {
  if (!entry.has("unless")) return true;
  YAML::Node unless;
  if (!entry.read_mapping("unless", unless, t.unless_mark)) return false;
  MapReader map(unless, entry.path_of("unless"), {"event"}, diags, t.unless_mark);
  if (!map.require("event", "event: Order Completed")) return false;
  bool ok = map.value("event").IsSequence()
                ? map.read_string_list("event", t.unless_events)
                : map.read_string("event", t.unless_events.emplace_back());
  if (!ok) return false;
  for (const std::string &name : t.unless_events) {
    if (!name.empty()) continue;
    diags.error(map.value_mark("event"), map.path_of("event"), "an event's name is empty");
    return false;
  }
  if (!t.unless_events.empty()) return true;
  diags.error(map.value_mark("event"), map.path_of("event"), "name at least one event");
  return false;
}

// send: { channel, destination, template, variables: { NAME: PATH } }
bool read_send(MapReader &entry, Diagnostics &diags, PipelineConfig::Trigger &t) {
  YAML::Node send;
  Mark at;
  if (!entry.has("send") && t.has_actions()) return true;
  if (!entry.require("send", "send: { channel: email, destination: NAME, template: NAME }") ||
      !entry.read_mapping("send", send, at)) {
    return false;
  }
  MapReader map(send, entry.path_of("send"), {"channel", "destination", "template", "variables"},
                diags, at);
  bool ok = true;
  for (auto [key, out] :
       {std::pair{"channel", &t.channel}, std::pair{"destination", &t.destination},
        std::pair{"template", &t.template_name}}) {
    if (!map.require(key, std::string(key) + ": NAME") || !map.read_string(key, *out)) {
      ok = false;
      continue;
    }
    if (!is_plain_name(*out)) {
      diags.error(map.value_mark(key), map.path_of(key),
                  std::string(key) + " '" + shorten_for_message(*out) + "' must match [a-z0-9_-]+");
      ok = false;
    }
  }
  YAML::Node variables;
  Mark vars_at;
  if (!map.read_mapping("variables", variables, vars_at)) return ok;
  for (const auto &kv : variables) {
    const std::string name = kv.first.Scalar();
    const std::string path = map.path_of("variables") + "." + name;
    std::string value;
    if (!read_string_node(kv.second, path, mark_or(kv.second, vars_at), diags, value)) {
      ok = false;
      continue;
    }
    const bool known = value == "profile_id" || value.starts_with("traits.") ||
                       value.starts_with("features.") || value.starts_with("identifiers.");
    if (!is_plain_name(name) || !known) {
      diags.error(mark_or(kv.second, vars_at), path,
                  "a variable is NAME ([a-z0-9_-]+): PATH (profile_id, traits.NAME, "
                  "features.NAME or identifiers.TYPE), not '" +
                      shorten_for_message(name) + ": " + shorten_for_message(value) + "'");
      ok = false;
      continue;
    }
    t.variables.emplace_back(name, value);
  }
  return ok;
}

constexpr size_t kMaxTraitNameBytes = 128, kMaxTraitValueBytes = 4096, kMaxTags = 20;

// A trait name an action may write: ASCII letters, digits, `_` and `-`, so
// that `traits.NAME` is one path of the identify event the action makes.
bool is_trait_name(const std::string &name) {
  if (name.empty() || name.size() > kMaxTraitNameBytes) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

// The identifier type whose configured paths read the trait `name` (a
// trait of an identify event is also read as an identifier there), or "".
std::string identifier_reading(const PipelineConfig &cfg, const std::string &name) {
  for (const IdentifierSpec &spec : cfg.identifiers) {
    for (const std::string &path : spec.paths) {
      if (path == "traits." + name || path == "context.traits." + name) return spec.type;
    }
  }
  return {};
}

// A set_trait value as the JSON literal the action writes: a quoted YAML
// scalar is text; unquoted, `true`/`false` are booleans and a JSON number
// is a number (its exact text); anything else unquoted is text. Null and
// non-scalars are refused (nullopt, reported).
std::optional<std::string> trait_literal(const YAML::Node &node, const std::string &path,
                                         const Mark &at, Diagnostics &diags) {
  const std::string &text = node.IsScalar() ? node.Scalar() : std::string();
  const bool plain = node.Tag() == "?" || node.Tag() == kEnvSubstitutedTag;
  if (!node.IsScalar() || (plain && (text == "null" || text == "~" || text.empty()))) {
    diags.error(at, path,
                "a trait's value is text, a number, true or false, not " + describe_node(node));
    return std::nullopt;
  }
  if (text.size() > kMaxTraitValueBytes) {
    diags.error(at, path, "a trait's value is at most 4096 bytes");
    return std::nullopt;
  }
  if (plain && (text == "true" || text == "false" || scan_json_number(text).valid)) {
    return text;
  }
  std::string json;
  append_json_string(json, text);
  return json;
}

// A computed set_trait value, `{ from: PATH }`: PATH is `fire_time` or a
// profile path (traits.NAME, features.NAME); "" when refused (reported).
std::string trait_source(Diagnostics &diags, const YAML::Node &node, const std::string &path,
                         const Mark &at) {
  MapReader map(node, path, {"from"}, diags, at);
  std::string from;
  if (!map.require("from", "from: features.NAME") || !map.read_string("from", from)) return "";
  const auto named = [&](std::string_view prefix) {
    return from.size() > prefix.size() && from.starts_with(prefix);
  };
  if (from == "fire_time" || named("traits.") || named("features.")) return from;
  diags.error(map.value_mark("from"), map.path_of("from"),
              "a computed trait comes from fire_time, traits.NAME or features.NAME, not '" +
                  shorten_for_message(from) + "'");
  return "";
}

// The kind of the value an action writes: `literal` as trait_literal()
// made it, or `from` (fire_time is a time; traits.NAME has its declared
// kind). nullopt when not known here (a feature's kind is known to the
// pipeline only once its builders describe them).
std::optional<TraitKind> action_value_kind(const PipelineConfig &cfg, const std::string &literal,
                                           const std::string &from) {
  if (from == "fire_time") return TraitKind::kTime;
  if (from.starts_with("traits.")) {
    const auto declared = cfg.trait_kinds.find(from.substr(7));
    if (declared == cfg.trait_kinds.end()) return std::nullopt;
    return declared->second;
  }
  if (!from.empty()) return std::nullopt;
  if (literal == "true" || literal == "false") return TraitKind::kBool;
  if (!literal.starts_with('"')) return TraitKind::kNumber;
  const std::string text = literal.substr(1, literal.size() - 2);  // ISO times need no escapes
  return parse_iso8601_ms(text) ? TraitKind::kTime : TraitKind::kText;
}

// A trait declared `declared` can hold a value of kind `value` (a time is
// also text).
bool holds(TraitKind declared, TraitKind value) {
  return declared == value || (declared == TraitKind::kText && value == TraitKind::kTime);
}

// set_trait: { NAME: VALUE | { from: PATH }, ... }
bool read_set_trait(MapReader &entry, Diagnostics &diags, const PipelineConfig &cfg,
                    PipelineConfig::Trigger &t) {
  YAML::Node traits;
  Mark at;
  if (!entry.has("set_trait")) return true;
  if (!entry.read_mapping("set_trait", traits, at)) return false;
  bool ok = true;
  for (const auto &kv : traits) {
    const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
    const std::string path = entry.path_of("set_trait") + "." + name;
    const Mark value_at = mark_or(kv.second, mark_or(kv.first, at));
    if (!is_trait_name(name)) {
      diags.error(mark_or(kv.first, at), path,
                  "a trait name is 1 to 128 ASCII letters, digits, '_' or '-', not '" +
                      shorten_for_message(name) + "'");
      ok = false;
      continue;
    }
    if (const std::string type = identifier_reading(cfg, name); !type.empty()) {
      diags.error(value_at, path,
                  "traits." + name + " is read as the identifier '" + type +
                      "' (identity.identifiers); a trigger does not write identifiers");
      ok = false;
      continue;
    }
    PipelineConfig::Trigger::TraitAction action{name, "", ""};
    if (kv.second.IsMap()) {
      action.from = trait_source(diags, kv.second, path, value_at);
      if (action.from.empty()) {
        ok = false;
        continue;
      }
    } else if (std::optional<std::string> literal =
                   trait_literal(kv.second, path, value_at, diags)) {
      action.literal = std::move(*literal);
    } else {
      ok = false;
      continue;
    }
    const auto declared = cfg.trait_kinds.find(name);
    const std::optional<TraitKind> kind = action_value_kind(cfg, action.literal, action.from);
    if (declared != cfg.trait_kinds.end() && kind && !holds(declared->second, *kind)) {
      diags.error(value_at, path,
                  "traits." + name + " is declared to hold " +
                      std::string(trait_kind_name(declared->second)) +
                      " (traits:); this action writes " + std::string(trait_kind_name(*kind)));
      ok = false;
      continue;
    }
    t.set_traits.push_back(std::move(action));
  }
  if (ok && t.set_traits.empty()) {
    diags.error(at, entry.path_of("set_trait"),
                "name at least one trait: set_trait: { NAME: VALUE }");
    return false;
  }
  return ok;
}

// add_tag: NAME or [NAME, ...]; the tags are kept in the trait `tags` with
// survivorship `all` (the default given here when `traits:` names no rule).
bool read_add_tag(MapReader &entry, Diagnostics &diags, PipelineConfig &cfg,
                  PipelineConfig::Trigger &t) {
  if (!entry.has("add_tag")) return true;
  const Mark at = entry.value_mark("add_tag");
  const bool ok = entry.value("add_tag").IsSequence()
                      ? entry.read_string_list("add_tag", t.add_tags)
                      : entry.read_string("add_tag", t.add_tags.emplace_back());
  if (!ok) return false;
  const bool fits = !t.add_tags.empty() && t.add_tags.size() <= kMaxTags &&
                    std::none_of(t.add_tags.begin(), t.add_tags.end(), [](const std::string &tag) {
                      return tag.empty() || tag.size() > kMaxTraitNameBytes;
                    });
  if (!fits) {
    diags.error(at, entry.path_of("add_tag"), "add_tag names 1 to 20 tags of 1 to 128 bytes");
    return false;
  }
  const auto declared = cfg.trait_kinds.find("tags");
  if (declared != cfg.trait_kinds.end() && declared->second != TraitKind::kText) {
    diags.error(at, entry.path_of("add_tag"),
                "add_tag adds text to the trait 'tags', which `traits:` declares to hold " +
                    std::string(trait_kind_name(declared->second)));
    return false;
  }
  auto [rule, added] = cfg.traits.emplace("tags", Survivorship::kAll);
  if (added || rule->second == Survivorship::kAll) return true;
  diags.error(at, entry.path_of("add_tag"),
              "add_tag adds to the trait 'tags', which keeps every value only with "
              "`traits: { tags: { survivorship: all } }`; its rule here is another");
  return false;
}

// Actions beside or instead of a message: at least one of send, set_trait
// and add_tag; a cap or holdout counts messages, so it needs a send.
bool read_actions(MapReader &entry, Diagnostics &diags, PipelineConfig &cfg,
                  PipelineConfig::Trigger &t) {
  bool ok = read_set_trait(entry, diags, cfg, t);
  ok = read_add_tag(entry, diags, cfg, t) && ok;
  if (!ok) return false;
  if (!entry.has("send") && !t.has_actions()) {
    diags.error(t.mark, entry.path(),
                "a trigger needs an action: send: { channel, destination, template }, "
                "set_trait: { NAME: VALUE } or add_tag: NAME");
    return false;
  }
  for (const char *key : {"cap", "holdout"}) {
    if (entry.has("send") || !entry.has(key)) continue;
    diags.error(entry.value_mark(key), entry.path_of(key),
                std::string(key) + " counts messages; a trigger without send makes none");
    ok = false;
  }
  return read_send(entry, diags, t) && ok;
}

bool read_wait_duration(const std::string &text, const Mark &at, const std::string &path,
                        Diagnostics &diags, int64_t &out) {
  std::optional<int64_t> ms = parse_duration_ms(text);
  if (!ms || *ms < 0 || *ms > kMaxWaitMs) {
    diags.error(at, path,
                "wait '" + shorten_for_message(text) +
                    "' must be a duration from 0s to 366d such as 1h or 7d");
    return false;
  }
  out = *ms;
  return true;
}

// wait: 1h, or wait: { for: 1h, until: "09:00" | best_send_hour, time_zone: Asia/Tehran }
bool read_wait(MapReader &entry, Diagnostics &diags, PipelineConfig::Trigger &t) {
  if (!entry.has("wait")) return true;
  t.wait_mark = entry.value_mark("wait");
  std::string text;
  if (entry.value("wait").IsScalar()) {
    return entry.read_string("wait", text) &&
           read_wait_duration(text, t.wait_mark, entry.path_of("wait"), diags, t.wait_ms);
  }
  YAML::Node wait;
  Mark at;
  if (!entry.read_mapping("wait", wait, at)) return false;
  MapReader map(wait, entry.path_of("wait"), {"for", "until", "time_zone"}, diags, at);
  bool ok = true;
  if (map.read_string("for", text)) {
    ok = read_wait_duration(text, map.value_mark("for"), map.path_of("for"), diags, t.wait_ms);
  }
  map.read_string("time_zone", t.time_zone);
  if (!map.require("until", "until: \"09:00\" or until: best_send_hour") ||
      !map.read_string("until", text)) {
    return false;
  }
  t.wait_until_best_hour = text == "best_send_hour";
  if (std::optional<int> minute = parse_minute_of_day(text)) t.wait_until_minute = *minute;
  if (!t.wait_until_best_hour && t.wait_until_minute < 0) {
    diags.error(map.value_mark("until"), map.path_of("until"),
                "until '" + shorten_for_message(text) +
                    "' must be a local time of day HH:MM such as \"09:00\" (quoted), or "
                    "best_send_hour");
    ok = false;
  }
  return ok;
}

bool read_trigger(MapReader &entry, Diagnostics &diags, PipelineConfig &cfg,
                  PipelineConfig::Trigger &t) {
  t.mark = entry.mark();
  bool ok = entry.require("name", "name: a unique name such as welcome") &&
            entry.read_string("name", t.name);
  if (ok && !is_plain_name(t.name)) {
    diags.error(entry.value_mark("name"), entry.path_of("name"),
                "trigger name '" + shorten_for_message(t.name) + "' must match [a-z0-9_-]+");
    ok = false;
  }
  entry.read_string("description", t.description);
  ok = read_on(entry, diags, t) && ok;
  ok = read_wait(entry, diags, t) && ok;
  ok = read_unless(entry, diags, t) && ok;
  if (entry.read_string("if", t.condition)) t.condition_mark = entry.value_mark("if");
  if (entry.has("holdout")) ok = entry.read_int("holdout", t.holdout_percent, 0, 100) && ok;
  ok = read_message_cap(entry, "cap", diags, t.cap) && ok;
  return read_actions(entry, diags, cfg, t) && ok;
}

}  // namespace

void read_triggers(const MapReader &top, Diagnostics &diags, PipelineConfig &cfg) {
  if (!top.has("triggers")) return;
  const YAML::Node list = top.value("triggers");
  const Mark at = top.value_mark("triggers");
  if (list.IsNull()) return;
  if (!expect_list(list, "triggers", at, diags, "a list of { name, on, send }")) return;
  std::map<std::string, Mark> names;
  for (size_t i = 0; i < list.size(); ++i) {
    MapReader entry(list[i], index_path("triggers", i),
                    {"name", "description", "on", "wait", "unless", "if", "holdout", "cap", "send",
                     "set_trait", "add_tag"},
                    diags, at);
    if (!entry.is_mapping()) continue;
    PipelineConfig::Trigger t;
    if (!read_trigger(entry, diags, cfg, t)) continue;
    auto [first, fresh] = names.emplace(t.name, entry.value_mark("name"));
    if (!fresh) {
      diags.error(entry.value_mark("name"), entry.path_of("name"),
                  "duplicate trigger name '" + t.name + "' (also at " + first->second.str() + ")");
      continue;
    }
    cfg.triggers.push_back(std::move(t));
  }
}

void read_templates(const MapReader &top, Diagnostics &diags, PipelineConfig &cfg) {
  constexpr size_t kMaxTemplates = 1'000, kMaxPart = 64 * 1024;
  if (!top.has("templates")) return;
  const YAML::Node list = top.value("templates");
  const Mark at = top.value_mark("templates");
  if (list.IsNull()) return;
  if (!expect_list(list, "templates", at, diags, "a list of { name, subject, text, html }")) return;
  if (list.size() > kMaxTemplates) {
    diags.error(at, "templates", "at most 1000 templates");
    return;
  }
  std::map<std::string, Mark> names;
  for (size_t i = 0; i < list.size(); ++i) {
    MapReader entry(list[i], index_path("templates", i), {"name", "subject", "text", "html"}, diags,
                    at);
    if (!entry.is_mapping()) continue;
    PipelineConfig::Template t;
    t.mark = entry.mark();
    if (!entry.require("name", "name: a unique name such as welcome") ||
        !entry.read_string("name", t.name)) {
      continue;
    }
    bool ok = true;
    if (!is_plain_name(t.name)) {
      diags.error(entry.value_mark("name"), entry.path_of("name"),
                  "template name '" + shorten_for_message(t.name) + "' must match [a-z0-9_-]+");
      ok = false;
    }
    for (auto [key, out] : {std::pair{"subject", &t.subject}, std::pair{"text", &t.text},
                            std::pair{"html", &t.html}}) {
      if (!entry.read_string(key, *out) || out->size() <= kMaxPart) continue;
      diags.error(entry.value_mark(key), entry.path_of(key),
                  std::string(key) + " is over 64 KiB (" + std::to_string(out->size()) + " bytes)");
      ok = false;
    }
    if (t.subject.empty() && t.text.empty() && t.html.empty()) {
      diags.error(t.mark, index_path("templates", i), "give at least one of subject, text, html");
      ok = false;
    }
    auto [first, fresh] = names.emplace(t.name, entry.value_mark("name"));
    if (!fresh) {
      diags.error(entry.value_mark("name"), entry.path_of("name"),
                  "duplicate template name '" + t.name + "' (also at " + first->second.str() + ")");
      ok = false;
    }
    if (ok) cfg.templates.push_back(std::move(t));
  }
}

}  // namespace halo
