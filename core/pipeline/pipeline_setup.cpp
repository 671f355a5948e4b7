// pipeline_setup.cpp -- loading plugins and creating the instances of a
// pipeline, shared by run, rebuild and validate (see pipeline_setup.h).
#include "pipeline/pipeline_setup.h"

#include <algorithm>
#include <map>

#include "common/log.h"
#include "config/suggest.h"
#include "consent/report_desk.h"
#include "http_server/server_hub.h"
#include "pipeline/event_plan_check.h"
#include "pipeline/send_time.h"
#include "segment/segment_set.h"
#include "store/store_path.h"

namespace halo {

namespace {

struct Kind {
  halo_plugin_kind kind;
  const char *word;  // "source", as in the instance label
  const char *key;   // "sources", the config key
};

// What every instance of the pipeline shares.
struct Context {
  const PipelineConfig &config;
  const PluginCatalog &catalog;
  const std::atomic<bool> *cancel;
  bool dry_run;
  bool serving;  // halo serve: destinations' routes are served
  // Where destinations' delivery reports go; null in `halo validate`.
  std::shared_ptr<ReportSink> reports;
};

// One desk for the pipeline's destinations, writing beside its writer.
std::shared_ptr<ReportSink> report_desk(const PipelineConfig &config, bool dry_run) {
  if (dry_run) return nullptr;
  return std::make_shared<consent::ReportDesk>(
      config.identifiers, [kind = config.store_kind, path = config.store_path] {
        return open_store(kind, path, {.beside_writer = true, .check_invariants = false});
      });
}

InstanceSetup setup_for(const Context &c, const Kind &k, const PluginUse &use,
                        const std::string &where) {
  InstanceSetup s;
  s.label = std::string(k.word) + " '" + use.name + "' (" + use.plugin + ")";
  s.where = where;
  s.base_dir = c.config.base_dir;
  s.cancel = c.cancel;
  s.dry_run = c.dry_run;
  s.retry = c.config.http.retry;  // http.retry.*: one budget per plugin call
  s.http_concurrency = static_cast<int>(use.concurrency);
  if (k.kind == HALO_KIND_DESTINATION) {
    s.dry_run = c.dry_run || !c.serving;  // routes checked, not served
    s.routes_until_destroy = true;
    s.reports = c.reports;
    s.report_name = use.name;
  }
  return s;
}

// Creates one instance of kind Inst for `use`, or records why not.
template <class Inst>
std::unique_ptr<Inst> create_one(const Context &c, const Kind &k, const PluginUse &use,
                                 const std::string &where, std::vector<SetupProblem> &problems) {
  const PluginInfo *info = c.catalog.find(k.kind, use.plugin);
  if (!info) {
    Status nf = c.catalog.not_found(k.kind, use.plugin);
    problems.push_back({where, Status(nf.code(), use.mark.str() + ": " + nf.message())});
    return nullptr;
  }
  auto inst = Inst::create(*info, use, setup_for(c, k, use, where));
  if (!inst.ok()) {
    problems.push_back({where, inst.status()});
    return nullptr;
  }
  return std::move(inst.value());
}

template <class Inst>
void create_all(const Context &c, const Kind &k, const std::vector<PluginUse> &uses,
                std::vector<std::unique_ptr<Inst>> &out, std::vector<SetupProblem> &problems) {
  out.clear();
  for (size_t i = 0; i < uses.size(); ++i) {
    std::string where = std::string(k.key) + "[" + std::to_string(i) + "]";
    auto inst = create_one<Inst>(c, k, uses[i], where, problems);
    if (inst) out.push_back(std::move(inst));
  }
}

bool is_config_error(const Status &s) {
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound;
}

bool declares_segment(const PipelineConfig &config, const std::string &name) {
  return std::any_of(config.segments.begin(), config.segments.end(),
                     [&](const PipelineConfig::Segment &s) { return s.name == name; });
}

// `text` (nullopt when empty) parsed in `scope`, or the error at `mark`
// under `label` ("triggers[0].if"), naming declared segments only.
Result<std::optional<segment::Expr>> parse_trigger_expr(const PipelineConfig &config,
                                                        const std::string &text, const Mark &mark,
                                                        const std::string &label,
                                                        segment::ExprScope scope) {
  if (text.empty()) return std::optional<segment::Expr>();
  segment::ExprError error;
  std::optional<segment::Expr> expr = segment::Expr::parse(text, error, {}, scope);
  if (!expr) {
    return Status::Invalid(mark.str() + ": " + label + ": column " + std::to_string(error.column) +
                           ": " + error.message);
  }
  for (const std::string &ref : expr->segments()) {
    if (declares_segment(config, ref)) continue;
    return Status::Invalid(mark.str() + ": " + label + ": in_segment(" + ref +
                           "): no segment named '" + ref + "' is declared");
  }
  return expr;
}

// Trigger `i`'s segment (when it starts on one) is declared, its wait's
// time zone known, and its `if` and `on.where` parse into `out`.
Status parse_trigger(const PipelineConfig &config, size_t i, PluginInstances &out) {
  const PipelineConfig::Trigger &t = config.triggers[i];
  const std::string where = "triggers[" + std::to_string(i) + "]";
  if (t.event.empty() && !declares_segment(config, t.segment)) {
    return Status::Invalid(t.on_mark.str() + ": " + where + ".on: no segment named '" + t.segment +
                           "' is declared under segments:");
  }
  if ((t.wait_until_minute >= 0 || t.wait_until_best_hour) && !find_time_zone(t.time_zone)) {
    return Status::Invalid(t.wait_mark.str() + ": " + where +
                           ".wait.time_zone: unknown time zone '" + t.time_zone +
                           "'; use an IANA name such as Asia/Tehran or UTC");
  }
  auto condition = parse_trigger_expr(config, t.condition, t.condition_mark, where + ".if",
                                      segment::ExprScope::kProfile);
  if (!condition.ok()) return condition.status();
  auto filter = parse_trigger_expr(config, t.event_filter, t.event_filter_mark, where + ".on.where",
                                   segment::ExprScope::kEvent);
  if (!filter.ok()) return filter.status();
  out.trigger_conditions.push_back(std::move(*condition));
  out.trigger_filters.push_back(std::move(*filter));
  return Status::Ok();
}

// Whether the destination named `name` is declared and delivers messages.
// `made` holds the instances of config.destinations in order.
bool delivers_messages(const PipelineConfig &config,
                       const std::vector<std::unique_ptr<DestinationInstance>> &made,
                       const std::string &name) {
  for (size_t d = 0; d < made.size(); ++d) {
    if (config.destinations[d].name == name && made[d]->delivers_messages()) return true;
  }
  return false;
}

// Every trigger sending to a destination that delivers messages names a
// declared template (its messages would be dead at delivery otherwise).
// `made` holds the instances of config.destinations in order, unless one
// failed (then that problem is reported already).
void check_message_templates(const PipelineConfig &config,
                             const std::vector<std::unique_ptr<DestinationInstance>> &made,
                             std::vector<SetupProblem> &problems) {
  if (made.size() != config.destinations.size()) return;
  for (size_t i = 0; i < config.triggers.size(); ++i) {
    const PipelineConfig::Trigger &t = config.triggers[i];
    if (!t.sends()) continue;
    const bool delivers = delivers_messages(config, made, t.destination);
    const bool declared =
        std::any_of(config.templates.begin(), config.templates.end(),
                    [&](const PipelineConfig::Template &m) { return m.name == t.template_name; });
    if (!delivers || declared) continue;
    const std::string where = "triggers[" + std::to_string(i) + "]";
    problems.push_back(
        {where,
         Status::Invalid(t.mark.str() + ": " + where + ".send.template: no template named '" +
                         t.template_name + "' is declared under templates:")});
  }
}

// Triggers whose messages no destination will take: they wait in the
// outbox, which the operator should hear of (a warning, not an error: the
// demo pipeline runs offline with its gateways left out). One line per
// destination name, naming its triggers.
void warn_of_waiting_messages(const PipelineConfig &config,
                              const std::vector<std::unique_ptr<DestinationInstance>> &made) {
  if (made.size() != config.destinations.size()) return;
  std::map<std::string, std::vector<std::string>> by_destination;  // name -> its triggers
  for (const PipelineConfig::Trigger &t : config.triggers) {
    if (t.sends() && !delivers_messages(config, made, t.destination)) {
      by_destination[t.destination].push_back(t.name);
    }
  }
  for (const auto &entry : by_destination) {
    const std::string &name = entry.first;  // named, not bound: the lambda captures it
    const auto &triggers = entry.second;
    std::string names;
    for (const std::string &t : triggers) names += (names.empty() ? "" : ", ") + t;
    const bool declared = std::any_of(config.destinations.begin(), config.destinations.end(),
                                      [&](const PluginUse &d) { return d.name == name; });
    log_warn("triggers", config.file + ": trigger(s) " + names + " send to '" + name + "', " +
                             (declared ? "a destination that does not deliver messages"
                                       : "which no destination under destinations: is named") +
                             "; their messages wait in the outbox (docs/messages.md)");
  }
}

// The feature a profile path reads ("features.order_count" ->
// "order_count"), or "" for any other path.
std::string feature_of(const std::string &path) {
  constexpr std::string_view kPrefix = "features.";
  if (!path.starts_with(kPrefix)) return {};
  return path.substr(kPrefix.size(), path.find('.', kPrefix.size()) - kPrefix.size());
}

using DescribedFeatures = std::vector<FeatureInstance::DescribedFeature>;

// What the pipeline's feature builders write (describe_features); nullopt
// when one does not say, or failed to (added to `problems`), or was not
// created (reported already).
std::optional<DescribedFeatures> written_features(const PipelineConfig &config,
                                                  PluginInstances &out,
                                                  std::vector<SetupProblem> &problems) {
  if (out.features.size() != config.features.size()) return std::nullopt;
  DescribedFeatures features;
  for (size_t i = 0; i < out.features.size(); ++i) {
    auto described = out.features[i]->describe_features();
    if (!described.ok()) {
      problems.push_back({"features[" + std::to_string(i) + "]", described.status()});
      return std::nullopt;
    }
    if (!*described) return std::nullopt;
    features.insert(features.end(), (*described)->begin(), (*described)->end());
  }
  return features;
}

// The kind a builder wrote for `path` ("features.NAME" exactly) when it
// named one; nullopt for any other path.
std::optional<TypedKind> feature_kind(const DescribedFeatures &features, std::string_view path) {
  for (const FeatureInstance::DescribedFeature &f : features) {
    if (path.size() == 9 + f.name.size() && path.starts_with("features.") &&
        path.substr(9) == f.name) {
      return f.kind;
    }
  }
  return std::nullopt;
}

// The kind a trait holds for the kind checks: a list when it keeps every
// value; else its declared kind (a time is stored as its ISO 8601 text);
// nullopt when nothing is declared.
std::optional<TypedKind> trait_kind(const PipelineConfig &config, std::string_view path) {
  if (!path.starts_with("traits.")) return std::nullopt;
  const std::string name(path.substr(7));
  const auto rule = config.traits.find(name);
  if (rule != config.traits.end() && rule->second == Survivorship::kAll) {
    return TypedKind::kStringList;
  }
  const auto declared = config.trait_kinds.find(name);
  if (declared == config.trait_kinds.end()) return std::nullopt;
  return typed_kind_of(declared->second);
}

// The declared kind of a trait an action copies a feature of kind `kind`
// into can hold it (a number, true or false, text; a time is text too).
bool trait_holds(TraitKind declared, TypedKind kind) {
  switch (kind) {
    case TypedKind::kInteger:
    case TypedKind::kDecimal:
    case TypedKind::kDouble:
      return declared == TraitKind::kNumber;
    case TypedKind::kBool:
      return declared == TraitKind::kBool;
    case TypedKind::kString:
      return declared == TraitKind::kText;
    case TypedKind::kTimestamp:
      return declared == TraitKind::kTime || declared == TraitKind::kText;
    case TypedKind::kStringList:
    case TypedKind::kNull:
      break;
  }
  return true;  // not judged
}

// No test of a segment or a trigger's `if` compares a trait or feature
// with a literal its kind can never equal (a number against text): traits
// by their declared kind, features by the kind their builders describe.
// When every feature builder names its features, each `features.` path a
// segment, a trigger's `if`, a trigger variable or an action reads is one
// of them too: a misspelt name would otherwise match nobody, silently.
// Segments and triggers that did not parse are reported already.
void check_paths_and_kinds(const PipelineConfig &config, PluginInstances &out,
                           std::vector<SetupProblem> &problems) {
  const std::optional<DescribedFeatures> written = written_features(config, out, problems);
  std::vector<std::string> names;
  if (written) {
    for (const FeatureInstance::DescribedFeature &f : *written) names.push_back(f.name);
  }
  auto check = [&](const std::string &path, const Mark &mark, const std::string &label) {
    const std::string feature = feature_of(path);
    if (!written || feature.empty() ||
        std::find(names.begin(), names.end(), feature) != names.end()) {
      return;
    }
    problems.push_back(
        {label, Status::Invalid(mark.str() + ": " + label + ": " + path +
                                ": no feature builder of the pipeline writes a "
                                "feature named '" +
                                feature + "'" + unknown_name_hint(feature, names, "features"))});
  };
  auto kind_of = [&](std::string_view path) -> std::optional<TypedKind> {
    if (std::optional<TypedKind> k = trait_kind(config, path)) return k;
    return written ? feature_kind(*written, path) : std::nullopt;
  };
  auto check_kinds = [&](const segment::Expr &expr, const Mark &mark, const std::string &label) {
    for (const std::string &mismatch : expr.kind_mismatches(kind_of)) {
      problems.push_back({label, Status::Invalid(mark.str() + ": " + label + ": " + mismatch)});
    }
  };
  for (size_t i = 0; i < out.segments.size() && out.segments.size() == config.segments.size();
       ++i) {
    const std::string label = "segments[" + std::to_string(i) + "].expression";
    for (const std::string &path : out.segments.expr(i).paths()) {
      check(path, config.segments[i].expression_mark, label);
    }
    check_kinds(out.segments.expr(i), config.segments[i].expression_mark, label);
  }
  if (out.trigger_conditions.size() != config.triggers.size()) return;  // one failed: reported
  for (size_t i = 0; i < config.triggers.size(); ++i) {
    const PipelineConfig::Trigger &t = config.triggers[i];
    const std::string where = "triggers[" + std::to_string(i) + "]";
    if (const std::optional<segment::Expr> &condition = out.trigger_conditions[i]) {
      for (const std::string &path : condition->paths()) {
        check(path, t.condition_mark, where + ".if");
      }
      check_kinds(*condition, t.condition_mark, where + ".if");
    }
    for (const auto &[name, path] : t.variables) {
      check(path, t.mark, where + ".send.variables." + name);
    }
    for (const PipelineConfig::Trigger::TraitAction &a : t.set_traits) {
      if (a.from.empty()) continue;
      const std::string label = where + ".set_trait." + a.name + ".from";
      check(a.from, t.mark, label);
      const auto declared = config.trait_kinds.find(a.name);
      const std::optional<TypedKind> kind = written && a.from.starts_with("features.")
                                                ? feature_kind(*written, a.from)
                                                : std::nullopt;
      if (declared == config.trait_kinds.end() || !kind || trait_holds(declared->second, *kind)) {
        continue;
      }
      problems.push_back({label, Status::Invalid(t.mark.str() + ": " + label + ": traits." +
                                                 a.name + " is declared to hold " +
                                                 std::string(trait_kind_name(declared->second)) +
                                                 " (traits:); " + a.from + " is of another kind")});
    }
  }
}

}  // namespace

Result<std::unique_ptr<ResolverInstance>> create_resolver(const PipelineConfig &config,
                                                          const PluginCatalog &catalog,
                                                          const std::atomic<bool> *cancel) {
  std::vector<SetupProblem> problems;
  const Context c{config, catalog, cancel, /*dry_run=*/false, /*serving=*/false, nullptr};
  auto resolver = create_one<ResolverInstance>(c, {HALO_KIND_RESOLVER, "resolver", "identity"},
                                               resolver_plugin_use(config), "identity", problems);
  if (!resolver) return combine_problems(problems);
  return resolver;
}

std::unique_ptr<PluginCatalog> load_pipeline_plugins(const PipelineConfig &config,
                                                     const std::vector<std::string> &extra_dirs) {
  auto catalog = std::make_unique<PluginCatalog>();
  std::vector<std::string> dirs = config.plugin_dirs;
  dirs.insert(dirs.end(), extra_dirs.begin(), extra_dirs.end());
  catalog->load_for(PluginCatalog::search_dirs(dirs), plugin_needs(config));
  return catalog;
}

std::vector<SetupProblem> create_plugin_instances(const PipelineConfig &config,
                                                  const PluginCatalog &catalog,
                                                  const std::atomic<bool> *cancel, bool dry_run,
                                                  bool serving, PluginInstances &out) {
  std::vector<SetupProblem> problems;
  const Context c{config, catalog, cancel, dry_run, serving, report_desk(config, dry_run)};
  // Before any plugin can add a route: the server starts on the first one.
  if (!dry_run) HttpServerHub::instance().configure(config.http.listen, config.http.limits);
  create_all(c, {HALO_KIND_SOURCE, "source", "sources"}, config.sources, out.sources, problems);
  out.resolver = create_one<ResolverInstance>(c, {HALO_KIND_RESOLVER, "resolver", "identity"},
                                              resolver_plugin_use(config), "identity", problems);
  if (config.has_linkage) {
    Diagnostics diags(config.file);
    linkage::LinkageConfig linkage;
    linkage::read_linkage_config(config.linkage, config.linkage_mark, diags, linkage,
                                 "identity.linkage");
    if (diags.ok()) {
      out.linkage = std::move(linkage);
    } else {
      problems.push_back({"identity.linkage", diags.status()});
    }
  }
  create_all(c, {HALO_KIND_FEATURE, "feature", "features"}, config.features, out.features,
             problems);
  create_all(c, {HALO_KIND_DESTINATION, "destination", "destinations"}, config.destinations,
             out.destinations, problems);
  check_message_templates(config, out.destinations, problems);
  warn_of_waiting_messages(config, out.destinations);
  for (size_t d = 0; d < config.destinations.size(); ++d) {
    const PluginUse &use = config.destinations[d];
    if (use.quiet_from_minute < 0 || find_time_zone(use.quiet_time_zone)) continue;
    const std::string where = "destinations[" + std::to_string(d) + "]";
    problems.push_back(
        {where, Status::Invalid(use.quiet_mark.str() + ": " + where +
                                ".quiet_hours.time_zone: unknown time zone '" +
                                use.quiet_time_zone + "'; use an IANA name such as Asia/Tehran")});
  }
  auto segments = segment::SegmentSet::parse(config.segments);
  if (segments.ok()) {
    out.segments = std::move(*segments);
  } else {
    problems.push_back({"segments", segments.status()});
  }
  for (size_t i = 0; i < config.triggers.size(); ++i) {
    Status parsed = parse_trigger(config, i, out);
    if (!parsed.ok()) problems.push_back({"triggers[" + std::to_string(i) + "]", parsed});
  }
  check_paths_and_kinds(config, out, problems);
  check_declared_events(config, out, problems);
  // A cap on a channel no trigger sends on is a misspelt channel.
  for (const auto &entry : config.consent.frequency_caps) {
    const std::string &channel = entry.first;  // named, not bound: the lambda captures it
    const bool sent_on =
        std::any_of(config.triggers.begin(), config.triggers.end(),
                    [&](const PipelineConfig::Trigger &t) { return t.channel == channel; });
    if (sent_on) continue;
    problems.push_back({"consent.frequency_caps",
                        Status::Invalid(config.file + ": consent.frequency_caps." + channel +
                                        ": no trigger sends on channel '" + channel + "'")});
  }
  for (const PipelineConfig::Template &t : config.templates) {
    auto compiled = delivery::MessageTemplate::compile(t);
    if (compiled.ok()) {
      out.templates.emplace(t.name, std::move(*compiled));
    } else {
      problems.push_back({"templates", compiled.status()});
    }
  }
  Status store = check_store_path(config.store_path);
  if (!store.ok()) problems.push_back({"store", store});
  return problems;
}

Result<std::unique_ptr<DestinationInstance>> create_destination_instance(
    const PipelineConfig &config, const PluginCatalog &catalog, const std::atomic<bool> *cancel,
    bool serving, size_t index) {
  std::vector<SetupProblem> problems;
  const Context c{config, catalog, cancel, /*dry_run=*/false, serving, report_desk(config, false)};
  auto inst = create_one<DestinationInstance>(
      c, {HALO_KIND_DESTINATION, "destination", "destinations"}, config.destinations.at(index),
      "destinations[" + std::to_string(index) + "]", problems);
  if (!inst) return combine_problems(problems);
  return inst;
}

Status combine_problems(const std::vector<SetupProblem> &problems) {
  if (problems.empty()) return Status::Ok();
  std::string message;
  bool config_error = false;
  for (const SetupProblem &p : problems) {
    if (!message.empty()) message += "\n";
    message += p.status.message();
    config_error = config_error || is_config_error(p.status);
  }
  return Status(config_error ? StatusCode::kInvalidArgument : problems.front().status.code(),
                message);
}

}  // namespace halo
