// pipeline_config.cpp -- loading and validating the top level of a pipeline
// file: version, store, plugin_dirs, run, and the delegation of identity and
// the plugin lists to their readers.
#include "config/pipeline_config.h"

#include <filesystem>
#include <new>

#include "common/iso_time.h"
#include "config/events_config.h"
#include "config/http_config.h"
#include "config/identity_config.h"
#include "config/limits_config.h"
#include "config/map_reader.h"
#include "config/pipeline_file.h"
#include "config/plugin_uses.h"
#include "config/scalar_parse.h"
#include "config/suggest.h"
#include "config/trigger_config.h"
#include "config/yaml_limits.h"
#include "store/store_kind.h"

namespace halo {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTopKeys = {"version",  "store",     "plugin_dirs", "run",
                                           "identity", "sources",   "features",    "destinations",
                                           "limits",   "http",      "traits",      "segments",
                                           "triggers", "templates", "consent",     "events"};
const std::vector<std::string> kStoreKeys = {"kind", "path", "cache_bytes",
                                             "log_compression_level"};
const std::vector<std::string> kRunKeys = {
    "batch_size", "threads", "as_of", "commit_every", "commit_interval_ms", "plugin_timeout_ms"};

std::string resolve_path(const std::string &base_dir, const std::string &path) {
  const fs::path p(path);
  return (p.is_absolute() ? p : fs::path(base_dir) / p).lexically_normal().string();
}

// Version first: a file of another version may use other keys entirely, so
// nothing else is checked when it is wrong.
bool read_version(MapReader &top, Diagnostics &diags) {
  if (!top.require("version", "`version: 1` at the top of the file")) return false;
  int64_t version = 0;
  if (!top.read_int("version", version, INT64_MIN, INT64_MAX)) return false;
  if (version == 1) return true;
  diags.error(top.value_mark("version"), "version",
              "unsupported version " + std::to_string(version) +
                  " (this halo reads version 1 pipeline files; write `version: 1`)");
  return false;
}

void read_store(const MapReader &top, Diagnostics &diags, PipelineConfig &cfg) {
  if (!top.has("store")) {
    diags.error(top.mark(), "store",
                "missing required key 'store' (add `store: { kind: sqlite, path: var/halo.db }`)");
    return;
  }
  MapReader store(top.value("store"), "store", kStoreKeys, diags, top.value_mark("store"));
  if (!store.is_mapping()) return;
  // The kinds are open_store()'s (store/store_kind.h), so what passes here opens.
  cfg.store_kind = store_kinds().front();
  if (store.read_string("kind", cfg.store_kind) && !is_store_kind(cfg.store_kind)) {
    std::vector<std::string> all = store_kinds();
    all.insert(all.end(), planned_store_kinds().begin(), planned_store_kinds().end());
    const std::string message = is_planned_store_kind(cfg.store_kind)
                                    ? planned_store_kind_message(cfg.store_kind)
                                    : "unknown store kind '" + shorten_for_message(cfg.store_kind) +
                                          "'" + unknown_name_hint(cfg.store_kind, all, "kinds");
    diags.error(store.value_mark("kind"), "store.kind", message);
  }
  std::string path;
  if (store.require("path", "path: var/halo.db") && store.read_string("path", path)) {
    cfg.store_path = resolve_path(cfg.base_dir, path);
  }
  // Absent or `auto`: the cache follows the store (store_kind.h).
  const YAML::Node cache = store.value("cache_bytes");
  const bool is_auto = cache.IsScalar() && cache.Scalar() == "auto";
  int64_t cache_bytes = 0;
  if (store.has("cache_bytes") && !is_auto) {
    if (cache.IsScalar() && !parse_strict_int(cache.Scalar())) {
      diags.error(store.value_mark("cache_bytes"), "store.cache_bytes",
                  "expected a number of bytes or auto, got " + describe_node(cache));
    } else if (store.read_int("cache_bytes", cache_bytes, kMinStoreCacheBytes,
                              kMaxStoreCacheBytes)) {
      cfg.store_cache_bytes = cache_bytes;
    }
  }
  int64_t level = 0;
  if (store.read_int("log_compression_level", level, kMinLogCompressionLevel,
                     kMaxLogCompressionLevel)) {
    cfg.store_log_compression_level = static_cast<int>(level);
  }
}

void read_plugin_dirs(MapReader &top, PipelineConfig &cfg) {
  std::vector<std::string> dirs;
  if (!top.read_string_list("plugin_dirs", dirs)) return;
  for (const std::string &dir : dirs) cfg.plugin_dirs.push_back(resolve_path(cfg.base_dir, dir));
}

void read_run(const MapReader &top, Diagnostics &diags, PipelineConfig &cfg) {
  MapReader run(top.value("run"), "run", kRunKeys, diags, top.value_mark("run"));
  if (!run.is_mapping()) return;
  int64_t value = 0;
  if (run.read_int("batch_size", value, 1, 1 << 24)) cfg.batch_size = static_cast<size_t>(value);
  if (run.read_int("threads", value, 0, 1024)) cfg.threads = static_cast<int>(value);
  if (run.read_int("commit_every", value, 1, int64_t{1} << 40)) {
    cfg.commit_every = static_cast<size_t>(value);
  }
  if (run.read_int("commit_interval_ms", value, 1, int64_t{1} << 40)) {
    cfg.commit_interval_ms = value;
  }
  if (run.read_int("plugin_timeout_ms", value, 0, int64_t{1} << 40)) {
    cfg.plugin_timeout_ms = value;
  }
  std::string as_of;
  if (run.read_string("as_of", as_of)) {
    cfg.as_of_ms = parse_iso8601_ms(as_of);
    if (!cfg.as_of_ms) {
      diags.error(run.value_mark("as_of"), "run.as_of",
                  "expected an ISO-8601 UTC timestamp such as 2026-01-01T00:00:00Z, got '" +
                      shorten_for_message(as_of) + "'");
    }
  }
}

// traits: { NAME: { survivorship: RULE, kind: KIND }, ... }, each entry
// with at least one of the two.
void read_traits(const MapReader &top, Diagnostics &diags, PipelineConfig &cfg) {
  if (!top.has("traits")) return;
  const YAML::Node traits = top.value("traits");
  const Mark at = top.value_mark("traits");
  if (traits.IsNull()) return;
  if (!traits.IsMap()) {
    diags.error(at, "traits", "expected a mapping of trait names, got " + describe_node(traits));
    return;
  }
  for (const auto &entry : traits) {
    std::string name;
    if (!read_string_node(entry.first, "traits", at, diags, name)) continue;
    const std::string path = join_path("traits", name);
    MapReader rule(entry.second, path, {"survivorship", "kind"}, diags, mark_or(entry.first, at));
    if (!rule.is_mapping()) continue;
    if (!rule.has("kind") && !rule.require("survivorship", "survivorship: most_recent")) continue;
    std::string text;
    if (rule.has("kind") && rule.read_string("kind", text)) {
      if (const std::optional<TraitKind> kind =
              declared_kind(text, rule.value_mark("kind"), rule.path_of("kind"), diags)) {
        cfg.trait_kinds[name] = *kind;
      }
    }
    if (!rule.has("survivorship") || !rule.read_string("survivorship", text)) continue;
    if (const std::optional<Survivorship> s = survivorship_from_name(text)) {
      cfg.traits[name] = *s;
      continue;
    }
    std::string names;
    for (const auto &[known, ignored] : kSurvivorshipNames) {
      names += (names.empty() ? "" : ", ") + std::string(known);
    }
    diags.error(rule.value_mark("survivorship"), rule.path_of("survivorship"),
                "unknown survivorship '" + shorten_for_message(text) + "' (one of " + names + ")");
  }
}

// segments: [ { name, expression, description }, ... ]
void read_segments(const MapReader &top, Diagnostics &diags, PipelineConfig &cfg) {
  if (!top.has("segments")) return;
  const YAML::Node list = top.value("segments");
  const Mark at = top.value_mark("segments");
  if (list.IsNull()) return;
  if (!expect_list(list, "segments", at, diags, "a list of { name, expression }")) return;
  std::map<std::string, Mark> names;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string path = index_path("segments", i);
    MapReader entry(list[i], path, {"name", "expression", "description"}, diags, at);
    if (!entry.is_mapping()) continue;
    PipelineConfig::Segment s;
    const bool named = entry.require("name", "name: a unique name such as at_risk") &&
                       entry.read_string("name", s.name);
    const bool expressed = entry.require("expression", "expression: features.orders >= 2") &&
                           entry.read_string("expression", s.expression);
    entry.read_string("description", s.description);
    if (!named || !expressed) continue;
    if (!is_plain_name(s.name)) {
      diags.error(entry.value_mark("name"), entry.path_of("name"),
                  "segment name '" + shorten_for_message(s.name) + "' must match [a-z0-9_-]+");
      continue;
    }
    auto [first, fresh] = names.emplace(s.name, entry.value_mark("name"));
    if (!fresh) {
      diags.error(entry.value_mark("name"), entry.path_of("name"),
                  "duplicate segment name '" + s.name + "' (also at " + first->second.str() + ")");
      continue;
    }
    s.expression_mark = entry.value_mark("expression");
    cfg.segments.push_back(std::move(s));
  }
}

void read_sections(MapReader &top, Diagnostics &diags, PipelineConfig &cfg) {
  read_store(top, diags, cfg);
  read_plugin_dirs(top, cfg);
  read_run(top, diags, cfg);
  read_http(top, diags, cfg.http);
  read_consent(top, diags, cfg.consent);
  read_identity(top.value("identity"), top.value_mark("identity"), diags, cfg);
  read_limits(top.value("limits"), top.value_mark("limits"), diags, cfg);
  read_traits(top, diags, cfg);
  read_events(top, diags, cfg);
  read_segments(top, diags, cfg);
  read_triggers(top, diags, cfg);
  read_templates(top, diags, cfg);
  cfg.sources = read_plugin_uses(top.value("sources"), "sources", PluginRole::kSource, true,
                                 top.value_mark("sources"), diags);
  cfg.features = read_plugin_uses(top.value("features"), "features", PluginRole::kFeature, false,
                                  top.value_mark("features"), diags);
  cfg.destinations =
      read_plugin_uses(top.value("destinations"), "destinations", PluginRole::kDestination, false,
                       top.value_mark("destinations"), diags);
}

// Size, alias expansion and depth are bounded before any tree is walked.
Result<YAML::Node> parse_yaml(const std::string &text, const std::string &file) {
  return load_bounded_yaml(text, file);
}

Result<PipelineConfig> validate(YAML::Node root, const std::string &file, const EnvLookup &env) {
  const Mark top_mark{file, 1, 1};
  if (!root.IsDefined() || root.IsNull()) {
    return Status::Invalid(format_config_error(
        top_mark, "", "the pipeline file is empty (start it with `version: 1`)"));
  }
  if (!root.IsMap()) {
    return Status::Invalid(format_config_error(
        mark_or(root, top_mark), "",
        "expected a mapping at the top level (version:, store:, sources:, ...), got " +
            std::string(root.IsSequence() ? "a list" : "a single value")));
  }
  Status env_status = substitute_env_in_tree(root, file, env);
  if (!env_status.ok()) return env_status;

  Diagnostics diags(file);
  MapReader top(root, "", kTopKeys, diags, top_mark);
  if (!read_version(top, diags)) return diags.status();
  PipelineConfig cfg;
  if (file.empty()) {  // text with no file behind it: paths are relative to the cwd
    cfg.base_dir = fs::current_path().string();
  } else {
    cfg.file = fs::absolute(fs::path(file)).lexically_normal().string();
    cfg.base_dir = fs::path(cfg.file).parent_path().string();
  }
  read_sections(top, diags, cfg);
  if (!diags.ok()) return diags.status();
  return cfg;
}

}  // namespace

// Copy-assignment by construction: the copy constructor copies every field
// (yaml-cpp nodes share their tree, which is what a copy of a parsed file
// wants), and no field can be forgotten here as fields are added. Assigning
// a Node instead would write through to the tree it referred to. The copy
// is made first, so a failure leaves *this as it was.
PluginUse &PluginUse::operator=(const PluginUse &other) {
  if (this == &other) return *this;
  PluginUse copy(other);
  this->~PluginUse();
  return *new (this) PluginUse(std::move(copy));
}

PipelineConfig &PipelineConfig::operator=(const PipelineConfig &other) {
  if (this == &other) return *this;
  PipelineConfig copy(other);
  this->~PipelineConfig();
  return *new (this) PipelineConfig(std::move(copy));
}

PluginUse resolver_plugin_use(const PipelineConfig &cfg) {
  PluginUse use;
  use.name = "identity";
  use.plugin = cfg.resolver;
  // A copy (Clone: yaml-cpp nodes share structure) with the kernel's
  // identifier list as the resolver's `identifiers` option, so there is one
  // place to declare identifier types.
  use.config.reset(YAML::Clone(cfg.resolver_config));
  if (!use.config.IsMap()) use.config.reset(YAML::Node(YAML::NodeType::Map));
  if (!use.config["identifiers"]) {
    YAML::Node list(YAML::NodeType::Sequence);
    for (const IdentifierSpec &id : cfg.identifiers) {
      YAML::Node entry(YAML::NodeType::Map);
      entry["type"] = id.type;
      entry["priority"] = id.priority;
      entry["max_per_profile"] = id.max_per_profile;
      if (id.limit_window_ms > 0) entry["window"] = std::to_string(id.limit_window_ms) + "ms";
      list.push_back(entry);
    }
    use.config["identifiers"] = list;
  }
  use.mark = cfg.resolver_mark;
  use.config_mark = cfg.resolver_config_mark;
  return use;
}

Result<PipelineConfig> parse_pipeline(const std::string &yaml_text,
                                      const std::string &file_for_messages, const EnvLookup &env) {
  Result<YAML::Node> root = parse_yaml(yaml_text, file_for_messages);
  if (!root.ok()) return root.status();
  try {
    return validate(root.value(), file_for_messages, env);
  } catch (const YAML::Exception &e) {
    // Defensive: the readers check node types first, so this means a bug.
    return Status::Internal(file_for_messages +
                            ": unexpected YAML error: " + shorten_for_message(e.what(), 200));
  }
}

Result<PipelineConfig> load_pipeline(const std::string &path, const EnvLookup &env) {
  Result<std::string> text = read_pipeline_file(path);
  if (!text.ok()) return text.status();
  return parse_pipeline(text.value(), path, env);
}

}  // namespace halo
