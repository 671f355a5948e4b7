// events_config.cpp -- see events_config.h.
#include "config/events_config.h"

#include "config/scalar_parse.h"

namespace halo {
namespace {

constexpr size_t kMaxEventNameBytes = 200;
constexpr size_t kMaxPropertyNameBytes = 128;
constexpr size_t kMaxEvents = 10'000;

// A property name is a key under `properties`, or a dotted path of keys to
// a nested value (`shipping.city`): no empty key, short.
bool is_property_name(const std::string &name) {
  if (name.empty() || name.size() > kMaxPropertyNameBytes) return false;
  return name.front() != '.' && name.back() != '.' && name.find("..") == std::string::npos;
}

// The declared name of `schema` that `name` lies inside of
// (`shipping` for `shipping.city`), or "" when none does.
std::string declared_above(const PipelineConfig::EventSchema &schema, const std::string &name) {
  for (size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1)) {
    if (schema.properties.count(name.substr(0, dot))) return name.substr(0, dot);
  }
  return "";
}

void read_properties(const YAML::Node &node, const std::string &path, const Mark &at,
                     Diagnostics &diags, PipelineConfig::EventSchema &schema) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    diags.error(at, path,
                "expected a mapping of property names to kinds (e.g. { revenue: number }), got " +
                    describe_node(node));
    return;
  }
  for (const auto &entry : node) {
    std::string name, kind;
    if (!read_string_node(entry.first, path, at, diags, name)) continue;
    const std::string where = join_path(path, name);
    const Mark mark = mark_or(entry.second, mark_or(entry.first, at));
    if (!is_property_name(name)) {
      diags.error(mark_or(entry.first, at), where,
                  "a property name is a key under `properties`, or a dotted path of keys to a "
                  "nested value (shipping.city): no empty key, at most " +
                      std::to_string(kMaxPropertyNameBytes) + " bytes");
      continue;
    }
    if (!read_string_node(entry.second, where, mark, diags, kind)) continue;
    if (const std::optional<TraitKind> k = declared_kind(kind, mark, where, diags)) {
      schema.properties[name] = *k;
    }
  }
  // A declared property holds a value of its kind, so nothing can be
  // declared inside it: `shipping: text` and `shipping.city: text` are two
  // shapes of one property.
  for (const auto &[name, kind] : schema.properties) {
    const std::string above = declared_above(schema, name);
    if (above.empty()) continue;
    diags.error(at, join_path(path, name),
                "'" + name + "' lies inside '" + above + "', which is declared as a " +
                    std::string(trait_kind_name(schema.properties.at(above))) +
                    ": declare one of them (the nested one if '" + above + "' is an object)");
  }
}

}  // namespace

std::optional<TraitKind> declared_kind(const std::string &text, const Mark &mark,
                                       const std::string &path, Diagnostics &diags) {
  if (const std::optional<TraitKind> kind = trait_kind_from_name(text)) return kind;
  diags.error(mark, path,
              "unknown kind '" + shorten_for_message(text) + "' (one of number, text, bool, time)");
  return std::nullopt;
}

void read_events(const MapReader &top, Diagnostics &diags, PipelineConfig &cfg) {
  if (!top.has("events")) return;
  const YAML::Node events = top.value("events");
  const Mark at = top.value_mark("events");
  if (events.IsNull()) return;
  if (!events.IsMap()) {
    diags.error(at, "events",
                "expected a mapping of event names (e.g. Order Completed: { properties: { "
                "revenue: number } }), got " +
                    describe_node(events));
    return;
  }
  if (events.size() > kMaxEvents) {
    diags.error(at, "events",
                "declares " + std::to_string(events.size()) + " events, more than " +
                    std::to_string(kMaxEvents));
    return;
  }
  for (const auto &entry : events) {
    std::string name;
    if (!read_string_node(entry.first, "events", at, diags, name)) continue;
    const std::string path = join_path("events", name);
    const Mark mark = mark_or(entry.first, at);
    if (name.empty() || name.size() > kMaxEventNameBytes) {
      diags.error(mark, path,
                  "an event name is not empty and at most " + std::to_string(kMaxEventNameBytes) +
                      " bytes");
      continue;
    }
    PipelineConfig::EventSchema schema;
    schema.mark = mark;
    if (!entry.second.IsNull()) {
      MapReader spec(entry.second, path, {"properties"}, diags, mark);
      if (!spec.is_mapping()) continue;
      read_properties(spec.value("properties"), spec.path_of("properties"),
                      spec.value_mark("properties"), diags, schema);
    }
    cfg.events[name] = std::move(schema);
  }
}

}  // namespace halo
