// events_config.cpp -- see events_config.h.
#include "config/events_config.h"

#include <algorithm>
#include <map>

#include "config/scalar_parse.h"

namespace halo {
namespace {

constexpr size_t kMaxEventNameBytes = 200;
constexpr size_t kMaxPropertyNameBytes = 128;
constexpr size_t kMaxEvents = 10'000;

constexpr std::string_view kEach = "[]";

// Calls fn(key, lists) for each '.'-separated key of a property name, with
// the key's `[]` marks taken off and counted (`products[]` -> products, 1),
// until fn returns false; returns whether every call returned true.
template <class Fn>
bool each_key(std::string_view name, Fn &&fn) {
  for (size_t begin = 0; begin <= name.size();) {
    const size_t end = std::min(name.find('.', begin), name.size());
    std::string_view key = name.substr(begin, end - begin);
    size_t lists = 0;
    for (; key.ends_with(kEach); ++lists) key.remove_suffix(kEach.size());
    if (!fn(key, lists)) return false;
    begin = end + 1;
  }
  return true;
}

// A property name is a key under `properties`, or a dotted path of keys to
// a nested value (`shipping.city`), where a key followed by `[]` is a list
// and what follows names each of its elements (`products[].sku`, `tags[]`;
// `[]` again for a list of lists): no empty key, no other brackets, short.
bool is_property_name(const std::string &name) {
  if (name.empty() || name.size() > kMaxPropertyNameBytes) return false;
  return each_key(name, [](std::string_view key, size_t) {
    return !key.empty() && key.find_first_of("[]") == std::string_view::npos;
  });
}

// `name` without its list marks: the nested keys it names.
std::string without_lists(const std::string &name) {
  std::string out;
  each_key(name, [&](std::string_view key, size_t) {
    out.append(out.empty() ? "" : ".").append(key);
    return true;
  });
  return out;
}

// The declared name among `declared` (keys without list marks -> name)
// that `name` lies inside of (`shipping` for `shipping.city`, `products[]`
// for `products[].sku`), or "" when none does.
std::string declared_above(const std::map<std::string, std::string> &declared,
                           const std::string &name) {
  const std::string keys = without_lists(name);
  for (size_t dot = keys.find('.'); dot != std::string::npos; dot = keys.find('.', dot + 1)) {
    if (const auto above = declared.find(keys.substr(0, dot)); above != declared.end()) {
      return above->second;
    }
  }
  return "";
}

// Every key path a declared name passes through, with how many `[]` follow
// it there (0: an object or the value itself): two names must agree, or
// one says `products` is a list and the other an object.
void check_list_shapes(const PipelineConfig::EventSchema &schema, const std::string &path,
                       const std::map<std::string, Mark> &marks, Diagnostics &diags) {
  std::map<std::string, std::pair<size_t, std::string>> shapes;  // keys -> ([] count, name)
  for (const auto &entry : schema.properties) {
    const std::string &name = entry.first;  // a plain reference: lambdas may not capture bindings
    std::string keys;
    const bool agree = each_key(name, [&](std::string_view key, size_t lists) {
      keys.append(keys.empty() ? "" : ".").append(key);
      const auto [seen, fresh] = shapes.try_emplace(keys, lists, name);
      if (fresh || seen->second.first == lists) return true;
      diags.error(marks.at(name), join_path(path, name),
                  "'" + name + "' and '" + seen->second.second + "' give '" + keys +
                      "' two shapes (a list is marked `[]` after its key, the same in every "
                      "name that passes through it)");
      return false;
    });
    if (!agree) return;
  }
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
  std::map<std::string, Mark> marks;  // of each declared name, for the errors below
  for (const auto &entry : node) {
    std::string name, kind;
    if (!read_string_node(entry.first, path, at, diags, name)) continue;
    const std::string where = join_path(path, name);
    const Mark mark = mark_or(entry.second, mark_or(entry.first, at));
    if (!is_property_name(name)) {
      diags.error(mark_or(entry.first, at), where,
                  "a property name is a key under `properties`, or a dotted path of keys to a "
                  "nested value (shipping.city), with `[]` after the key of a list to name its "
                  "elements (products[].sku, tags[]): no empty key, no other brackets, at most " +
                      std::to_string(kMaxPropertyNameBytes) + " bytes");
      continue;
    }
    if (!read_string_node(entry.second, where, mark, diags, kind)) continue;
    if (const std::optional<TraitKind> k = declared_kind(kind, mark, where, diags)) {
      schema.properties[name] = *k;
      marks.insert_or_assign(name, mark_or(entry.first, at));
    }
  }
  // A declared property holds a value of its kind, so nothing can be
  // declared inside it: `shipping: text` and `shipping.city: text` are two
  // shapes of one property.
  std::map<std::string, std::string> declared;
  for (const auto &[name, kind] : schema.properties) declared.emplace(without_lists(name), name);
  for (const auto &[name, kind] : schema.properties) {
    const std::string above = declared_above(declared, name);
    if (above.empty()) continue;
    diags.error(marks.at(name), join_path(path, name),
                "'" + name + "' lies inside '" + above + "', which is declared as a " +
                    std::string(trait_kind_name(schema.properties.at(above))) +
                    ": declare one of them (the nested one if '" + above + "' is an object)");
  }
  check_list_shapes(schema, path, marks, diags);
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
