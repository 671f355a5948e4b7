// pipeline_setup.h -- what `halo run`, `halo rebuild` and `halo validate` do
// alike before any data moves: load the plugins a pipeline names, create
// every plugin instance (options validated, the plugin's create called, so
// its own config checks run; start is NOT called), and check the store path.
// validate uses exactly this code, so every configuration error a run would
// report, it reports too.
//
// Invariants: nothing here creates a file or directory (the store is not
// opened, no plugin is started: plugins must keep create free of side
// effects, see plugin.h). Every problem is collected, in config order
// (sources, identity, features, destinations, store), not only the first.
// With dry_run (validate) a route a plugin adds in create is not served.
// Lifetimes: the instances must be destroyed before the catalog that loaded
// their libraries. Not thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/pipeline_config.h"
#include "delivery/message_template.h"
#include "linkage/linkage_config.h"
#include "plugin_host/plugin_catalog.h"
#include "plugin_host/plugin_instance.h"
#include "segment/segment_set.h"

namespace halo {

// One configuration problem: where (a config key path such as "sources[1]",
// "identity", "store") and the Status the run would fail with.
struct SetupProblem {
  std::string where;
  Status status;
};

struct PluginInstances {
  std::vector<std::unique_ptr<SourceInstance>> sources;
  std::unique_ptr<ResolverInstance> resolver;
  std::vector<std::unique_ptr<FeatureInstance>> features;
  std::vector<std::unique_ptr<DestinationInstance>> destinations;
  // identity.linkage, checked (pipeline/profile_linker.cpp); empty when absent.
  std::optional<linkage::LinkageConfig> linkage;
  segment::SegmentSet segments;  // `segments:`, parsed
  // Per trigger (`triggers:`): its `if`, parsed; nullopt when it has none.
  std::vector<std::optional<segment::Expr>> trigger_conditions;
  // Per trigger: its `on.where` (ExprScope::kEvent); nullopt when it has none.
  std::vector<std::optional<segment::Expr>> trigger_filters;
  std::map<std::string, delivery::MessageTemplate> templates;  // `templates:`, compiled
};

// The catalog with the plugins `config` names, from its plugin_dirs, then
// `extra_dirs` (--plugin-dir), then the default search path.
std::unique_ptr<PluginCatalog> load_pipeline_plugins(const PipelineConfig &config,
                                                     const std::vector<std::string> &extra_dirs);

// Creates every instance into `out` (a failed one is left out) and returns
// every problem found, including the store path check. `cancel` is handed
// to the instances (SIGINT/SIGTERM); may be null. `dry_run` (validate):
// the instances will never be started, and an HTTP route a plugin adds in
// create is checked but not served. `serving` (halo serve): destinations'
// routes are served (they receive delivery reports); otherwise they are
// checked only, as a batch run ends before a report would come.
std::vector<SetupProblem> create_plugin_instances(const PipelineConfig &config,
                                                  const PluginCatalog &catalog,
                                                  const std::atomic<bool> *cancel, bool dry_run,
                                                  bool serving, PluginInstances &out);

// One more instance of the pipeline's resolver, as create_plugin_instances
// makes it (a rebuild resolves the log in timestamp order with it).
Result<std::unique_ptr<ResolverInstance>> create_resolver(const PipelineConfig &config,
                                                          const PluginCatalog &catalog,
                                                          const std::atomic<bool> *cancel);

// A fresh instance of destination `index` of `config` (a long-running
// pipeline delivers more than once; an instance is started and stopped
// once, plugin.h).
Result<std::unique_ptr<DestinationInstance>> create_destination_instance(
    const PipelineConfig &config, const PluginCatalog &catalog, const std::atomic<bool> *cancel,
    bool serving, size_t index);

// The problems as one Status: messages joined by newlines; the code is
// kInvalidArgument when any problem is a configuration error (so `halo`
// exits 2), else the first problem's code. Ok when there is none.
Status combine_problems(const std::vector<SetupProblem> &problems);

}  // namespace halo
