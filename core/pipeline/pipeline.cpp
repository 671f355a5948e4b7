// pipeline.cpp -- opening a pipeline: store, plugins, instances, restored
// state. The batch loop is in ingest.cpp, the end of a run in finalize.cpp.
#include "pipeline/pipeline.h"

#include <cctype>
#include <limits>
#include <thread>

#include "common/clock.h"
#include "common/log.h"
#include "normalize/identifiers.h"
#include "pipeline/pipeline_setup.h"
#include "pipeline/segment_history.h"

namespace halo {

namespace {

NormalizeOptions normalize_options(const PipelineConfig &cfg) {
  NormalizeOptions o;
  o.limits = cfg.limits;
  o.trait_kinds.insert(cfg.trait_kinds.begin(), cfg.trait_kinds.end());
  for (const auto &[event, schema] : cfg.events) {
    if (schema.properties.empty()) continue;
    o.event_properties[event].insert(schema.properties.begin(), schema.properties.end());
  }
  o.identifiers.clear();
  for (const IdentifierSpec &s : cfg.identifiers) {
    IdentifierRule r;
    r.type = s.type;
    r.kind = identifier_kind(s.kind);
    r.paths = s.paths;
    r.default_region = s.default_region;
    r.block_placeholders = s.block_placeholders;
    r.priority = s.priority;
    // Block lists are written by people: compare values in normalized form;
    // a pattern with `*` cannot be normalized and is kept as written
    // (emails lower-cased).
    for (const std::string &v : s.ignore) {
      if (v.find('*') != std::string::npos) {
        std::string pattern = v;
        if (r.kind == IdentifierRule::Kind::kEmail) {
          for (char &c : pattern)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        r.ignore.push_back(std::move(pattern));
        continue;
      }
      r.ignore.push_back(normalize_identifier(r.kind, v, r.default_region).value_or(v));
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

}  // namespace

Pipeline::Pipeline(const PipelineConfig &config, const RunOptions &options)
    : config_(with_segment_history(config)),
      options_(options),
      profiles_(config.traits),
      commit_flags_(new std::atomic<bool>[config.sources.size()]) {
  for (size_t i = 0; i < config.sources.size(); ++i) commit_flags_[i] = false;
  for (const IdentifierSpec &spec : config.identifiers) {
    if (spec.limit_window_ms > 0) windowed_types_.push_back(spec.type);
  }
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
  // The store is opened by run()/rebuild() once every instance exists, so
  // a configuration error leaves no file behind.
  Status s = p->load_plugins();
  if (!s.ok()) return s;
  p->normalize_options_ = normalize_options(config);
  p->parse_threads_ = thread_count(config);
  p->parse_ = std::make_unique<ParseStage>(p->normalize_options_, p->parse_threads_);
  return p;
}

Status Pipeline::load_plugins() {
  catalog_ = load_pipeline_plugins(config_, options_.extra_plugin_dirs);
  return Status::Ok();
}

// The same code `halo validate` runs (pipeline_setup.h): every problem is
// reported at once, and nothing has been written when one is found.
Status Pipeline::create_instances() {
  PluginInstances made;
  Status s = combine_problems(create_plugin_instances(
      config_, *catalog_, options_.cancel, /*dry_run=*/false, options_.keep_polling, made));
  if (!s.ok()) return s;
  sources_ = std::move(made.sources);
  resolver_ = std::move(made.resolver);
  features_ = std::move(made.features);
  destinations_ = std::move(made.destinations);
  linkage_ = std::move(made.linkage);
  segments_ = std::move(made.segments);
  trigger_conditions_ = std::move(made.trigger_conditions);
  trigger_filters_ = std::move(made.trigger_filters);
  templates_ = std::move(made.templates);
  for (size_t i = 0; i < config_.triggers.size(); ++i) {
    if (!config_.triggers[i].event.empty()) event_triggers_.push_back(i);
  }
  return Status::Ok();
}

// The pipeline file's store settings. Invariants are checked by run()
// (restore_state); rebuild() recomputes exactly the data they are about, so
// it must be able to open a store that breaks them.
StoreOpenOptions Pipeline::store_options(bool read_only) const {
  return {.read_only = read_only,
          .check_invariants = false,
          .cache_bytes = config_.store_cache_bytes,
          .log_compression_level = config_.store_log_compression_level};
}

Status Pipeline::open_store() {
  auto store = halo::open_store(config_.store_kind, config_.store_path, store_options(false));
  if (!store.ok()) return store.status();
  store_ = std::move(store.value());
  return apply_identity_decisions();
}

// Identity decisions apply in runs and rebuilds alike, before any record
// is parsed: identifiers detached by an operator (`halo identity unmerge`)
// or quarantined link nothing -- they are blocked like the identifier's
// block list --, a detached record keeps only its strongest identifier,
// and an identifier with a probabilistic link brings its link key
// (normalizer.h).
Status Pipeline::apply_identity_decisions() {
  bool any = false;
  Status s = store_->scan_linked_identifiers([&](const LinkedIdentifier &link) {
    normalize_options_.linked[linked_key(link.type, link.value)] = link.key;
    any = true;
  });
  if (!s.ok()) return s;
  s = store_->scan_detached_identifiers(
      [&](std::string_view type, std::string_view value, int64_t, std::string_view) {
        for (IdentifierRule &rule : normalize_options_.identifiers) {
          if (rule.type != type) continue;
          rule.detached.emplace_back(value);
          any = true;
        }
      });
  if (!s.ok()) return s;
  s = store_->scan_detached_records(
      [&](std::string_view source, std::string_view message_id, int64_t, std::string_view) {
        normalize_options_.detached_records.insert(detached_record_key(source, message_id));
        any = true;
      });
  if (!s.ok()) return s;
  if (any) parse_ = std::make_unique<ParseStage>(normalize_options_, parse_threads_);
  return Status::Ok();
}

Status Pipeline::restore_cursors() {
  for (size_t i = 0; i < sources_.size(); ++i) {
    auto c = store_->cursor(config_.sources[i].name);
    if (!c.ok()) return c.status();
    if (!c->has_value()) continue;
    Status s = sources_[i]->restore_cursor(**c);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Pipeline::restore_state() {
  Status s = store_->check_invariants();
  if (!s.ok()) return s;
  auto next = store_->next_profile_id();
  if (!next.ok()) return next.status();
  next_profile_id_ = *next;
  // No profile was ever stored: no links, profiles or feature state to load
  // (and no reason to look identifiers up batch by batch).
  if (next_profile_id_ == 1) state_restored_ = true;
  auto last = store_->last_sequence();
  if (!last.ok()) return last.status();
  last_sequence_ = *last;
  if (last_sequence_ == 0) keys_loaded_ = keys_all_read_ = true;  // an empty log has no keys
  committed_next_profile_id_ = next_profile_id_;
  auto last_change = store_->last_change_sequence();
  if (!last_change.ok()) return last_change.status();
  last_change_ = *last_change;
  s = warn_new_segment_history();
  if (!s.ok()) return s;
  return read_features_position();
}

// Event history a segment reads for the first time is counted from the
// events read from now on (docs/segments.md): say so when profiles exist.
Status Pipeline::warn_new_segment_history() {
  if (next_profile_id_ == 1) return Status::Ok();
  for (const PluginUse &u : config_.features) {
    if (u.name != kSegmentHistoryFeature) continue;
    auto has = store_->has_feature_state(u.name);
    if (!has.ok()) return has.status();
    if (*has) continue;
    log_warn("segments",
             "the event history the segments read (count, sum, did ...) is new to this store: "
             "it counts only events read from now on; run `halo rebuild` to count the stored "
             "events too");
  }
  return Status::Ok();
}

int Pipeline::priority_of(std::string_view source) const {
  for (const PluginUse &u : config_.sources) {
    if (u.name == source) return u.priority;
  }
  return 100;
}

Status Pipeline::prepare_writer(RunSummary *summary) {
  started_ = steady_seconds();
  last_commit_ = started_;
  summary->store_path = config_.store_path;
  Status s = create_instances();
  if (!s.ok()) return s;
  return open_store();  // takes the store's writer lock
}

Status Pipeline::run(RunSummary *summary) {
  CallWatchdog watchdog(config_.plugin_timeout_ms, options_.cancel);
  Status s = prepare_writer(summary);
  if (!s.ok()) return s;
  s = restore_cursors();
  if (!s.ok()) return s;
  s = restore_state();  // the rest loads when needed (working_set.cpp)
  if (!s.ok()) return s;
  decides_identity_ = true;
  quarantine_after_sequence_ = last_sequence_;
  watch_arrival_order_ = true;
  // From here on every store write goes through the writer thread.
  writer_ = std::make_unique<StoreWriter>(*store_);
  summary->sources.clear();
  for (const PluginUse &u : config_.sources) summary->sources.push_back({u.name, ""});
  // A source that cannot start or fails for good is reported and skipped;
  // the others still run (everything a start or read failure returns comes
  // from the plugin, never from the store).
  std::vector<size_t> started;
  for (size_t i = 0; i < sources_.size(); ++i) {
    s = sources_[i]->start();
    if (s.ok()) started.push_back(i);
    if (!s.ok()) source_failed(i, s, summary);
  }
  s = read_sources(started, summary);
  if (!s.ok()) return s;
  {
    StageTimer t(summary->stages.commit);
    s = commit();  // not waited for: finalize overlaps the writer
  }
  if (!s.ok()) return s;
  for (size_t i : started) {
    Status st = sources_[i]->stop();
    if (!st.ok()) log_warn(sources_[i]->label(), st.message());
  }
  {
    StageTimer t(summary->stages.finalize);
    s = finalize(summary);  // ends with a commit the writer has completed
  }
  if (s.ok()) deliver_commits();
  return s;
}

void Pipeline::source_failed(size_t index, const Status &why, RunSummary *summary) {
  const std::string &name = config_.sources[index].name;
  log_error("pipeline", why.message() + " -- source '" + name +
                            "' stopped here; the other sources go on and the run will exit 1");
  if (index < summary->sources.size()) summary->sources[index].error = why.message();
}

Status Pipeline::rebuild(RunSummary *summary) {
  CallWatchdog watchdog(config_.plugin_timeout_ms, options_.cancel);
  started_ = steady_seconds();
  summary->store_path = config_.store_path;
  Status s = create_instances();
  if (!s.ok()) return s;
  if (options_.timestamp_order) {
    // Step 2 (timestamp_order.h): the limits lifted; the unused
    // identifiers are left out instead.
    PipelineConfig lifted = config_;
    for (IdentifierSpec &spec : lifted.identifiers) {
      spec.max_per_profile = std::numeric_limits<int>::max();
      spec.limit_window_ms = 0;
    }
    auto resolver = create_resolver(lifted, *catalog_, options_.cancel);
    if (!resolver.ok()) return resolver.status();
    resolver_ = std::move(resolver.value());
  }
  s = open_store();
  if (!s.ok()) return s;
  s = begin_if_needed();
  if (!s.ok()) return s;
  s = write([](Store &st) { return st.clear_derived(); });
  if (!s.ok()) return s;
  next_profile_id_ = 1;
  committed_next_profile_id_ = 1;
  decides_identity_ = true;
  quarantine_after_sequence_ = 0;  // every refused link is new
  last_change_ = 0;
  state_restored_ = true;           // the derived state is empty now
  features_position_known_ = true;  // cleared with the derived tables
  features_position_.reset();
  s = rebuild_from_log(summary);
  if (s.ok()) s = commit();
  if (!s.ok()) return s;
  if (options_.timestamp_order) {
    s = record_timestamp_order_refusals(*options_.timestamp_order, summary);
    summary->rebuilt_in_timestamp_order = true;
  } else {
    s = check_timestamp_order(summary);
    // Another rebuild applies it (cmd_run.cpp): no export of these profiles.
    if (s.ok() && summary->timestamp_order) return commit();
  }
  if (!s.ok()) return s;
  return finalize(summary);
}

Status Pipeline::rebuild_from_log(RunSummary *summary) {
  EventBatch batch;
  const uint64_t blocked_before = parse_->blocked_identifiers();
  int64_t latest_ms = std::numeric_limits<int64_t>::min();
  Status s = store_->scan_events([&](const std::vector<LoggedEvent> &logged) -> Status {
    batch.clear();
    for (const LoggedEvent &e : logged) {
      const size_t before = batch.events.size();
      if (!normalize_logged(e, batch, summary)) continue;
      const int64_t at = batch.events[before].timestamp_ms;
      log_out_of_timestamp_order_ = log_out_of_timestamp_order_ || at < latest_ms;
      latest_ms = std::max(latest_ms, at);
      if (options_.timestamp_order) as_in_timestamp_order(batch, before);
    }
    return ingest(batch, /*keys=*/nullptr, /*keys_checked=*/false, summary);
  });
  summary->blocked_identifiers += parse_->blocked_identifiers() - blocked_before;
  return s;
}

bool Pipeline::normalize_logged(const LoggedEvent &e, EventBatch &batch, RunSummary *summary) {
  Rejection why;
  const size_t at = batch.events.size();
  summary->records_read++;
  summary->input_bytes += e.raw.size();
  if (!parse_->normalize_one(e.raw, e.source, e.received_at_ms, batch, &why)) {
    // A rule change can make a logged event invalid; it is reported,
    // not silently lost, and stays in the log.
    log_warn("rebuild", "event " + std::to_string(e.sequence) + " no longer normalizes (" +
                            why.reason + "): " + why.message);
    summary->rejected++;
    return false;
  }
  batch.events[at].sequence = e.sequence;
  return true;
}

Status Pipeline::check_timestamp_order(RunSummary *summary) {
  // Without a refused link no limit bound: every order gives these
  // profiles -- unless a window counts link times, which follow the order.
  if (!log_out_of_timestamp_order_ || (summary->conflicts == 0 && windowed_types_.empty())) {
    return Status::Ok();
  }
  auto order = resolve_in_timestamp_order();
  if (!order.ok()) return order.status();
  auto same = matches_timestamp_order(**order);
  if (!same.ok()) return same.status();
  if (*same) return Status::Ok();
  log_info("identity",
           "events of the log arrived out of timestamp order where identity limits decide; "
           "rebuilding identities in timestamp order");
  summary->timestamp_order = std::move(order.value());
  return Status::Ok();
}

Status Pipeline::refit(RunSummary *summary) {
  CallWatchdog watchdog(config_.plugin_timeout_ms, options_.cancel);
  Status s = prepare_writer(summary);
  if (!s.ok()) return s;
  if (!any_fits()) {
    return Status(StatusCode::kInvalidArgument,
                  "no feature builder of this pipeline has a population step to fit (clv and "
                  "rfm have one)");
  }
  s = restore_state();
  if (!s.ok()) return s;
  fit_always_ = true;
  return finalize(summary);  // fit, emit, deliver; the one commit
}

}  // namespace halo
