// pipeline.cpp -- opening a pipeline: store, plugins, instances, restored
// state. The batch loop is in ingest.cpp, the end of a run in finalize.cpp.
#include "pipeline/pipeline.h"

#include <chrono>
#include <thread>

#include "common/log.h"
#include "http_server/server_hub.h"
#include "normalize/identifiers.h"

namespace halo {

namespace {

NormalizeOptions normalize_options(const PipelineConfig &cfg) {
  NormalizeOptions o;
  o.limits = cfg.limits;
  o.identifiers.clear();
  for (const IdentifierSpec &s : cfg.identifiers) {
    IdentifierRule r;
    r.type = s.type;
    r.kind = s.kind == "email"   ? IdentifierRule::Kind::kEmail
             : s.kind == "phone" ? IdentifierRule::Kind::kPhone
                                 : IdentifierRule::Kind::kText;
    r.paths = s.paths;
    r.default_region = s.default_region;
    // Ignore values are written by people: compare them in normalized form.
    for (const std::string &v : s.ignore) {
      std::optional<std::string> n = r.kind == IdentifierRule::Kind::kEmail ? normalize_email(v)
                                     : r.kind == IdentifierRule::Kind::kPhone
                                         ? normalize_phone(v, r.default_region)
                                         : std::optional<std::string>(v);
      r.ignore.push_back(n.value_or(v));
    }
    o.identifiers.push_back(std::move(r));
  }
  return o;
}

int thread_count(const PipelineConfig &cfg) {
  if (cfg.threads > 0) return cfg.threads;
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 2 : static_cast<int>(hw);
}

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

Pipeline::Pipeline(const PipelineConfig &config, const RunOptions &options)
    : config_(config),
      options_(options),
      commit_flags_(new std::atomic<bool>[config.sources.size()]) {
  for (size_t i = 0; i < config.sources.size(); ++i) commit_flags_[i] = false;
}

Pipeline::~Pipeline() {
  // Queued writes end in a commit or stay uncommitted; the store rolls
  // back an open transaction when it closes.
  writer_.reset();
  // Instances before the catalog (explicit, although member order agrees).
  sources_.clear();
  resolver_.reset();
  features_.clear();
  destinations_.clear();
}

Result<std::unique_ptr<Pipeline>> Pipeline::open(const PipelineConfig &config,
                                                 const RunOptions &options) {
  std::unique_ptr<Pipeline> p(new Pipeline(config, options));
  // Invariants are checked by run() (restore_state); rebuild() recomputes
  // exactly the data they are about, so it must be able to open a store
  // that breaks them.
  auto store = Store::open(config.store_path, {.read_only = false, .check_invariants = false});
  if (!store.ok()) return store.status();
  p->store_ = std::move(store.value());
  Status s = p->load_plugins();
  if (!s.ok()) return s;
  p->parse_ = std::make_unique<ParseStage>(normalize_options(config), thread_count(config));
  return p;
}

Status Pipeline::load_plugins() {
  catalog_ = std::make_unique<PluginCatalog>();
  std::vector<std::string> dirs = config_.plugin_dirs;
  dirs.insert(dirs.end(), options_.extra_plugin_dirs.begin(), options_.extra_plugin_dirs.end());
  catalog_->load_for(PluginCatalog::search_dirs(dirs), plugin_needs(config_));
  return Status::Ok();
}

Status Pipeline::create_instances(bool restore) {
  auto setup = [&](const char *kind, const std::string &name, const std::string &plugin,
                   const std::string &where) {
    InstanceSetup s;
    s.label = std::string(kind) + " '" + name + "' (" + plugin + ")";
    s.where = where;
    s.base_dir = config_.base_dir;
    s.cancel = options_.cancel;
    s.retry = config_.http.retry;  // http.retry.*: one budget per plugin call
    return s;
  };
  auto located = [](const Mark &m, Status s) {
    return Status(s.code(), m.str() + ": " + s.message());
  };
  sources_.clear();
  features_.clear();
  destinations_.clear();
  // Before any plugin can add a route: the server starts on the first one.
  HttpServerHub::instance().configure(config_.http.listen, config_.http.limits);
  for (size_t i = 0; i < config_.sources.size(); ++i) {
    const PluginUse &u = config_.sources[i];
    const PluginInfo *info = catalog_->find(HALO_KIND_SOURCE, u.plugin);
    if (!info) return located(u.mark, catalog_->not_found(HALO_KIND_SOURCE, u.plugin));
    auto inst = SourceInstance::create(
        *info, u, setup("source", u.name, u.plugin, "sources[" + std::to_string(i) + "]"));
    if (!inst.ok()) return inst.status();
    if (restore) {
      auto c = store_->cursor(u.name);
      if (!c.ok()) return c.status();
      if (c->has_value()) {
        Status s = inst.value()->restore_cursor(**c);
        if (!s.ok()) return s;
      }
    }
    sources_.push_back(std::move(inst.value()));
  }
  PluginUse ru = resolver_plugin_use(config_);
  const PluginInfo *rinfo = catalog_->find(HALO_KIND_RESOLVER, ru.plugin);
  if (!rinfo) return located(ru.mark, catalog_->not_found(HALO_KIND_RESOLVER, ru.plugin));
  auto resolver =
      ResolverInstance::create(*rinfo, ru, setup("resolver", "identity", ru.plugin, "identity"));
  if (!resolver.ok()) return resolver.status();
  resolver_ = std::move(resolver.value());
  for (size_t i = 0; i < config_.features.size(); ++i) {
    const PluginUse &u = config_.features[i];
    const PluginInfo *info = catalog_->find(HALO_KIND_FEATURE, u.plugin);
    if (!info) return located(u.mark, catalog_->not_found(HALO_KIND_FEATURE, u.plugin));
    auto inst = FeatureInstance::create(
        *info, u, setup("feature", u.name, u.plugin, "features[" + std::to_string(i) + "]"));
    if (!inst.ok()) return inst.status();
    features_.push_back(std::move(inst.value()));
  }
  for (size_t i = 0; i < config_.destinations.size(); ++i) {
    const PluginUse &u = config_.destinations[i];
    const PluginInfo *info = catalog_->find(HALO_KIND_DESTINATION, u.plugin);
    if (!info) return located(u.mark, catalog_->not_found(HALO_KIND_DESTINATION, u.plugin));
    auto inst = DestinationInstance::create(
        *info, u,
        setup("destination", u.name, u.plugin, "destinations[" + std::to_string(i) + "]"));
    if (!inst.ok()) return inst.status();
    destinations_.push_back(std::move(inst.value()));
  }
  return Status::Ok();
}

Status Pipeline::restore_state() {
  Status s = store_->check_invariants();
  if (!s.ok()) return s;
  auto next = store_->next_profile_id();
  if (!next.ok()) return next.status();
  next_profile_id_ = *next;
  auto last = store_->last_sequence();
  if (!last.ok()) return last.status();
  last_sequence_ = *last;
  auto events = store_->event_count();
  if (!events.ok()) return events.status();
  seen_.reserve(*events + 1024);
  s = store_->scan_message_keys([&](const MessageKey *keys, size_t n) {
    for (size_t i = 0; i < n; ++i) seen_.insert(keys[i]);
  });
  if (!s.ok()) return s;
  // Identity links: handed to the resolver in chunks to bound memory.
  std::vector<std::string> strings;
  std::vector<halo_identity_link> links;
  s = store_->scan_identifiers([&](std::string_view type, std::string_view value, uint64_t p) {
    links.push_back({nullptr, 0, nullptr, 0, p});
    strings.emplace_back(type);
    strings.emplace_back(value);
    identifiers_.get_or_create(p).emplace_back(type, value);
  });
  if (!s.ok()) return s;
  for (size_t i = 0; i < links.size(); ++i) {
    links[i].type = strings[2 * i].data();
    links[i].type_len = strings[2 * i].size();
    links[i].value = strings[2 * i + 1].data();
    links[i].value_len = strings[2 * i + 1].size();
  }
  s = resolver_->restore(links);
  if (!s.ok()) return s;
  Status load_status;
  s = store_->scan_profiles([&](const StoredProfile &p) {
    Status l = profiles_.load(p.id, p.traits_json, p.updated_at_ms);
    if (!l.ok() && load_status.ok()) load_status = l;
  });
  if (!s.ok()) return s;
  if (!load_status.ok()) return load_status;
  profiles_.clear_changes();
  for (size_t i = 0; i < features_.size(); ++i) {
    std::vector<std::string> blobs;
    std::vector<halo_state_row> rows;
    s = store_->scan_feature_state(config_.features[i].name,
                                   [&](uint64_t id, const void *data, size_t len) {
                                     blobs.emplace_back(static_cast<const char *>(data), len);
                                     rows.push_back({id, nullptr, 0});
                                   });
    if (!s.ok()) return s;
    for (size_t k = 0; k < rows.size(); ++k) {
      rows[k].data = blobs[k].data();
      rows[k].len = blobs[k].size();
    }
    s = features_[i]->restore(rows);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

int Pipeline::priority_of(std::string_view source) const {
  for (const PluginUse &u : config_.sources) {
    if (u.name == source) return u.priority;
  }
  return 100;
}

Status Pipeline::run(RunSummary *summary) {
  CallWatchdog watchdog(config_.plugin_timeout_ms, options_.cancel);
  started_ = now_seconds();
  last_commit_ = started_;
  summary->store_path = config_.store_path;
  Status s = create_instances(/*restore=*/true);
  if (!s.ok()) return s;
  s = restore_state();
  if (!s.ok()) return s;
  // From here on every store write goes through the writer thread.
  writer_ = std::make_unique<StoreWriter>(*store_);
  for (auto &inst : sources_) {
    s = inst->start();
    if (!s.ok()) return s;
  }
  for (size_t i = 0; i < sources_.size(); ++i) {
    s = pull_source(i, summary);
    if (!s.ok()) return s;
    if (options_.cancel && options_.cancel->load()) break;
  }
  {
    StageTimer t(summary->stages.commit);
    s = commit();  // not waited for: finalize overlaps the writer
  }
  if (!s.ok()) return s;
  for (auto &inst : sources_) {
    Status st = inst->stop();
    if (!st.ok()) log_warn(inst->label(), st.message());
  }
  {
    StageTimer t(summary->stages.finalize);
    s = finalize(summary);  // ends with a commit the writer has completed
  }
  if (s.ok()) deliver_commits();
  return s;
}

Status Pipeline::rebuild(RunSummary *summary) {
  CallWatchdog watchdog(config_.plugin_timeout_ms, options_.cancel);
  started_ = now_seconds();
  summary->store_path = config_.store_path;
  Status s = create_instances(/*restore=*/false);
  if (!s.ok()) return s;
  s = begin_if_needed();
  if (!s.ok()) return s;
  s = write([](Store &st) { return st.clear_derived(); });
  if (!s.ok()) return s;
  next_profile_id_ = 1;
  EventBatch batch;
  Status inner;
  s = store_->scan_events([&](const std::vector<LoggedEvent> &logged) -> Status {
    batch.clear();
    for (const LoggedEvent &e : logged) {
      Rejection why;
      size_t before = batch.events.size();
      summary->records_read++;
      summary->input_bytes += e.raw.size();
      if (!parse_->normalize_one(e.raw, e.source, e.received_at_ms, batch, &why)) {
        // A rule change can make a logged event invalid; it is reported,
        // not silently lost, and stays in the log.
        log_warn("rebuild", "event " + std::to_string(e.sequence) + " no longer normalizes (" +
                                why.reason + "): " + why.message);
        summary->rejected++;
        continue;
      }
      batch.events[before].sequence = e.sequence;
    }
    return ingest(batch, /*keys=*/nullptr, summary);
  });
  if (!s.ok()) return s;
  s = commit();
  if (!s.ok()) return s;
  return finalize(summary);
}

}  // namespace halo
