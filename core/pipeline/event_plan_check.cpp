// event_plan_check.cpp -- see event_plan_check.h.
#include "pipeline/event_plan_check.h"

#include <string>

#include "config/suggest.h"

namespace halo {
namespace {

constexpr std::string_view kProperties = "properties.";

// The property a dotted event path names ("properties.revenue",
// "properties.shipping.city"), or "" for a path outside `properties`.
std::string property_of(std::string_view path) {
  if (!path.starts_with(kProperties)) return "";
  path.remove_prefix(kProperties.size());
  return std::string(path);
}

class EventPlanCheck {
 public:
  EventPlanCheck(const PipelineConfig &config, std::vector<SetupProblem> &problems)
      : config_(config), problems_(problems) {
    for (const auto &[name, schema] : config.events) names_.push_back(name);
  }

  // The schema of `event`, or nullptr after reporting it undeclared.
  const PipelineConfig::EventSchema *event(const std::string &event, const Mark &mark,
                                           const std::string &label) {
    const auto it = config_.events.find(event);
    if (it != config_.events.end()) return &it->second;
    report(mark, label,
           "event '" + event + "' is not declared under `events:`" +
               unknown_name_hint(event, names_, "events"));
    return nullptr;
  }

  // The event-history terms of `expr`: their events declared, and what a
  // sum, avg, min or max reads a declared number.
  void history(const segment::Expr &expr, const Mark &mark, const std::string &label) {
    for (const segment::HistoryTerm &t : expr.history()) {
      const PipelineConfig::EventSchema *schema = event(t.event, mark, label);
      if (schema == nullptr || t.field.empty() || schema->properties.empty()) continue;
      const std::string property = property_of(t.field);
      if (property.empty()) continue;
      const auto declared = schema->properties.find(property);
      if (declared == schema->properties.end()) {
        report(mark, label,
               t.op + " over " + t.field + " of '" + t.event +
                   "', which `events:` does not declare" +
                   unknown_name_hint(property, property_names(*schema), "properties"));
      } else if (declared->second != TraitKind::kNumber) {
        report(mark, label,
               t.op + " over " + t.field + " of '" + t.event + "', which `events:` declares " +
                   std::string(trait_kind_name(declared->second)) + ", not a number");
      }
    }
  }

  // A trigger's `on.where` over the properties of its event.
  void filter(const segment::Expr &where, const PipelineConfig::EventSchema &schema,
              const std::string &event, const Mark &mark, const std::string &label) {
    if (schema.properties.empty()) return;
    for (const std::string &path : where.paths()) {
      const std::string property = property_of(path);
      if (property.empty() || schema.properties.count(property)) continue;
      report(mark, label,
             path + ": '" + event + "' declares no property '" + property + "' under `events:`" +
                 unknown_name_hint(property, property_names(schema), "properties"));
    }
    auto kind_of = [&](std::string_view path) -> std::optional<TypedKind> {
      const auto declared = schema.properties.find(property_of(path));
      if (declared == schema.properties.end()) return std::nullopt;
      return typed_kind_of(declared->second);
    };
    for (const std::string &mismatch : where.kind_mismatches(kind_of)) {
      report(mark, label, mismatch);
    }
  }

 private:
  void report(const Mark &mark, const std::string &label, const std::string &what) {
    problems_.push_back({label, Status::Invalid(mark.str() + ": " + label + ": " + what)});
  }

  static std::vector<std::string> property_names(const PipelineConfig::EventSchema &schema) {
    std::vector<std::string> names;
    for (const auto &[name, kind] : schema.properties) names.push_back(name);
    return names;
  }

  const PipelineConfig &config_;
  std::vector<SetupProblem> &problems_;
  std::vector<std::string> names_;
};

}  // namespace

TypedKind typed_kind_of(TraitKind kind) {
  switch (kind) {
    case TraitKind::kNumber:
      return TypedKind::kDouble;
    case TraitKind::kBool:
      return TypedKind::kBool;
    case TraitKind::kText:
    case TraitKind::kTime:
      break;
  }
  return TypedKind::kString;
}

void check_declared_events(const PipelineConfig &config, const PluginInstances &out,
                           std::vector<SetupProblem> &problems) {
  if (config.events.empty()) return;
  EventPlanCheck check(config, problems);
  if (out.segments.size() == config.segments.size()) {
    for (size_t i = 0; i < config.segments.size(); ++i) {
      check.history(out.segments.expr(i), config.segments[i].expression_mark,
                    "segments[" + std::to_string(i) + "].expression");
    }
  }
  if (out.trigger_conditions.size() != config.triggers.size() ||
      out.trigger_filters.size() != config.triggers.size()) {
    return;  // a trigger did not parse: reported
  }
  for (size_t i = 0; i < config.triggers.size(); ++i) {
    const PipelineConfig::Trigger &t = config.triggers[i];
    const std::string where = "triggers[" + std::to_string(i) + "]";
    if (!t.event.empty()) {
      const PipelineConfig::EventSchema *schema = check.event(t.event, t.on_mark, where + ".on");
      if (schema != nullptr && out.trigger_filters[i]) {
        check.filter(*out.trigger_filters[i], *schema, t.event, t.event_filter_mark,
                     where + ".on.where");
      }
    }
    for (const std::string &event : t.unless_events) {
      check.event(event, t.unless_mark, where + ".unless");
    }
    if (out.trigger_conditions[i]) {
      check.history(*out.trigger_conditions[i], t.condition_mark, where + ".if");
    }
  }
}

}  // namespace halo
