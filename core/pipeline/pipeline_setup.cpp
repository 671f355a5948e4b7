// pipeline_setup.cpp -- loading plugins and creating the instances of a
// pipeline, shared by run, rebuild and validate (see pipeline_setup.h).
#include "pipeline/pipeline_setup.h"

#include "http_server/server_hub.h"
#include "store/store_path.h"

namespace halo {

namespace {

struct Kind {
  halo_plugin_kind kind;
  const char *word;  // "source", as in the instance label
  const char *key;   // "sources", the config key
};

InstanceSetup setup_for(const PipelineConfig &config, const Kind &k, const std::string &name,
                        const std::string &plugin, const std::string &where,
                        const std::atomic<bool> *cancel) {
  InstanceSetup s;
  s.label = std::string(k.word) + " '" + name + "' (" + plugin + ")";
  s.where = where;
  s.base_dir = config.base_dir;
  s.cancel = cancel;
  return s;
}

// Creates one instance of kind Inst for `use`, or records why not.
template <class Inst>
std::unique_ptr<Inst> create_one(const PipelineConfig &config, const PluginCatalog &catalog,
                                 const Kind &k, const PluginUse &use, const std::string &where,
                                 const std::atomic<bool> *cancel,
                                 std::vector<SetupProblem> &problems) {
  const PluginInfo *info = catalog.find(k.kind, use.plugin);
  if (!info) {
    Status nf = catalog.not_found(k.kind, use.plugin);
    problems.push_back({where, Status(nf.code(), use.mark.str() + ": " + nf.message())});
    return nullptr;
  }
  auto inst =
      Inst::create(*info, use, setup_for(config, k, use.name, use.plugin, where, cancel));
  if (!inst.ok()) {
    problems.push_back({where, inst.status()});
    return nullptr;
  }
  return std::move(inst.value());
}

template <class Inst>
void create_all(const PipelineConfig &config, const PluginCatalog &catalog, const Kind &k,
                const std::vector<PluginUse> &uses, const std::atomic<bool> *cancel,
                std::vector<std::unique_ptr<Inst>> &out, std::vector<SetupProblem> &problems) {
  out.clear();
  for (size_t i = 0; i < uses.size(); ++i) {
    std::string where = std::string(k.key) + "[" + std::to_string(i) + "]";
    auto inst = create_one<Inst>(config, catalog, k, uses[i], where, cancel, problems);
    if (inst) out.push_back(std::move(inst));
  }
}

bool is_config_error(const Status &s) {
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound;
}

}  // namespace

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
                                                  const std::atomic<bool> *cancel,
                                                  PluginInstances &out) {
  std::vector<SetupProblem> problems;
  // Before any plugin can add a route: the server starts on the first one
  // (plugins add routes in start, never in create).
  HttpServerHub::instance().configure(config.http.listen, config.http.limits);
  create_all(config, catalog, {HALO_KIND_SOURCE, "source", "sources"}, config.sources, cancel,
             out.sources, problems);
  out.resolver = create_one<ResolverInstance>(config, catalog,
                                              {HALO_KIND_RESOLVER, "resolver", "identity"},
                                              resolver_plugin_use(config), "identity", cancel,
                                              problems);
  create_all(config, catalog, {HALO_KIND_FEATURE, "feature", "features"}, config.features,
             cancel, out.features, problems);
  create_all(config, catalog, {HALO_KIND_DESTINATION, "destination", "destinations"},
             config.destinations, cancel, out.destinations, problems);
  Status store = check_store_path(config.store_path);
  if (!store.ok()) problems.push_back({"store", store});
  return problems;
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
