// cmd_run.cpp -- `halo run`, `halo rebuild`, `halo model fit`, `halo serve` and
// `halo validate`.
#include <unistd.h>
#include <halo/units.hpp>

#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/cli.h"
#include "cli/deadletter_filter.h"
#include "cli/log_options.h"
#include "cli/pipeline_command_line.h"
#include "common/clock.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/secrets.h"
#include "config/option_validation.h"
#include "config/pipeline_config.h"
#include "consent/unsubscribe_desk.h"
#include "http_server/server_hub.h"
#include "pipeline/pipeline.h"
#include "pipeline/pipeline_setup.h"
#include "pipeline/segment_history.h"

namespace po = boost::program_options;

namespace halo::cli {

namespace {

std::atomic<bool> g_cancel{false};

// The first SIGINT/SIGTERM asks the run to stop at the next batch boundary.
// A second one exits at once: a plugin stuck in a call that never returns
// would otherwise keep the run waiting forever. That is safe: commits made so
// far are durable and each source re-reads from its last committed cursor.
void on_signal(int) {
  if (!g_cancel.exchange(true)) return;
  static const char kMessage[] = "halo: interrupted again, exiting without waiting for the run\n";
  ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);  // async-signal-safe
  (void)ignored;
  _exit(kInterrupted);
}

struct CommonOptions {
  std::string pipeline;
  std::vector<std::string> plugin_dirs;
  std::string summary_json;
  bool quiet = false;
  int threads = 0;
  LogOptions log;
  std::string format = "text";   // validate only
  std::string interval = "60s";  // serve only
};

// Parses `halo <cmd> PIPELINE [options]`; returns -1 to continue, else an
// exit code (help printed or usage error).
int parse_common(const char *cmd, const Args &args, CommonOptions &o, bool with_run_flags) {
  po::options_description desc(std::string("usage: halo ") + cmd + " PIPELINE.yaml [options]");
  desc.add_options()("help,h", "show this help")(
      "plugin-dir", po::value(&o.plugin_dirs), "extra directory to load plugins from (repeatable)");
  if (with_run_flags) {
    desc.add_options()("quiet,q", po::bool_switch(&o.quiet), "no progress and no summary")(
        "threads", po::value(&o.threads),
        "worker threads for parsing (default: pipeline or cores)")(
        "summary-json", po::value(&o.summary_json)->value_name("FILE"),
        "also write the run summary as JSON to FILE; '-' writes it to stdout and the text "
        "summary to stderr");
  }
  add_log_options(desc, o.log);
  if (std::string_view(cmd) == "serve") {
    desc.add_options()("interval", po::value(&o.interval)->value_name("DURATION"),
                       "wait between two passes, e.g. 30s, 5m, 1h (default 60s)");
  }
  if (std::string_view(cmd) == "validate") {
    desc.add_options()("format", po::value(&o.format), "text (default) or json: one JSON object");
  }
  int rc = parse_pipeline_command(cmd, args, desc, o.pipeline);
  if (rc >= 0) return rc;
  return apply_log_options(cmd, o.log);
}

// The text summary on stdout (stderr when --summary-json - puts the JSON on
// stdout) unless -q, and the JSON summary where --summary-json says.
int write_summary(const RunSummary &summary, const CommonOptions &o) {
  const bool json_on_stdout = o.summary_json == "-";
  if (!o.quiet) (json_on_stdout ? std::cerr : std::cout) << summary.to_text();
  if (json_on_stdout) {
    std::cout << summary.to_json() << "\n" << std::flush;
    if (!std::cout) return fail(kFailed, "cannot write the summary to stdout");
  } else if (!o.summary_json.empty()) {
    std::ofstream out(o.summary_json);
    out << summary.to_json() << "\n";
    if (!out) return fail(kFailed, "cannot write " + o.summary_json);
  }
  return kOk;
}

// What one pass of a pipeline does.
enum class Pass { kRun, kRebuild, kRefit };

// One run, rebuild or refit, each with a pipeline of its own (plugins,
// store, identity decisions loaded afresh).
Status one_pass(const PipelineConfig &cfg, const RunOptions &ro, Pass pass, RunSummary *summary) {
  auto pipeline = Pipeline::open(cfg, ro);
  if (!pipeline.ok()) return pipeline.status();
  switch (pass) {
    case Pass::kRebuild:
      return pipeline.value()->rebuild(summary);
    case Pass::kRefit:
      return pipeline.value()->refit(summary);
    case Pass::kRun:
      break;
  }
  return pipeline.value()->run(summary);
}

// A rebuild whose log pass gave other profiles than timestamp order hands
// that resolution back (RunSummary::timestamp_order, timestamp_order.h); a
// second rebuild applies it, and its summary replaces the first.
Status apply_timestamp_order(const PipelineConfig &cfg, const RunOptions &ro, RunSummary &summary) {
  if (!summary.timestamp_order) return Status::Ok();
  RunOptions again = ro;
  again.timestamp_order = std::move(summary.timestamp_order);
  RunSummary rebuilt;
  Status s = one_pass(cfg, again, Pass::kRebuild, &rebuilt);
  summary = std::move(rebuilt);
  return s;
}

// One run (or rebuild) of a loaded pipeline, then the rebuilds its identity
// decisions call for; returns its exit code.
int run_pass(const PipelineConfig &cfg, const CommonOptions &o, Pass pass,
             bool keep_polling = false) {
  RunOptions ro;
  ro.keep_polling = keep_polling;
  ro.progress = !o.quiet && isatty(STDERR_FILENO);
  ro.cancel = &g_cancel;
  ro.extra_plugin_dirs = o.plugin_dirs;
  // Test hook: leave (exit 3) once features are committed, before delivery.
  ro.exit_before_delivery = std::getenv("HALO_TEST_EXIT_BEFORE_DELIVERY") != nullptr;
  if (const char *stop = std::getenv("HALO_TEST_EXIT_AFTER_EVENTS")) {
    ro.stop_after_events = std::strtoull(stop, nullptr, 10);
  }
  // run()/rebuild() take the store's writer lock (store/store_lock.h) once
  // every plugin instance exists and before anything is written: a second
  // run or rebuild on the store stops there with kBusy (exit 4).
  RunSummary summary;
  Status s = one_pass(cfg, ro, pass, &summary);
  if (s.ok() && pass == Pass::kRebuild) s = apply_timestamp_order(cfg, ro, summary);
  // Identity decisions the pass made (values quarantined, profiles linked
  // by identity.linkage) apply from the next event on: a rebuild applies
  // them to every stored event, and resolves in timestamp order what
  // arrived out of it (order_watch.cpp). A rebuild makes only decisions
  // not made yet, so the rounds end.
  bool decided = !summary.quarantined.empty() || summary.probabilistic_links > 0 ||
                 summary.timestamp_order != nullptr;
  bool quarantined = !summary.quarantined.empty();
  while (s.ok() && decided && !summary.interrupted) {
    RunSummary rebuilt;
    // A run's own timestamp-order resolution, applied at once.
    rebuilt.timestamp_order = std::move(summary.timestamp_order);
    RunOptions again = ro;
    // Links over unchanged records and profiles would come out the same;
    // a quarantine changes the profiles the records belong to.
    again.skip_linkage = !quarantined;
    if (!rebuilt.timestamp_order) s = one_pass(cfg, again, Pass::kRebuild, &rebuilt);
    if (s.ok()) s = apply_timestamp_order(cfg, again, rebuilt);
    quarantined = !rebuilt.quarantined.empty();
    summary.rebuilt_in_timestamp_order |= rebuilt.rebuilt_in_timestamp_order;
    summary.profiles = rebuilt.profiles;
    summary.dead_letters_total = rebuilt.dead_letters_total;
    summary.review_pairs += rebuilt.review_pairs;
    summary.rebuilt_for_identity = true;
    summary.quarantined.insert(summary.quarantined.end(), rebuilt.quarantined.begin(),
                               rebuilt.quarantined.end());
    summary.probabilistic_links += rebuilt.probabilistic_links;
    decided = !rebuilt.quarantined.empty() || rebuilt.probabilistic_links > 0;
  }
  // A run that failed after SIGINT/SIGTERM (a plugin call cut short, say)
  // was interrupted first: 130, with what failed.
  if (!s.ok() && g_cancel.load()) return fail(kInterrupted, "interrupted: " + s.message());
  if (!s.ok()) return fail(s);
  int rc = write_summary(summary, o);
  if (rc != kOk) return rc;
  // A signal that came after the exports were complete changes nothing.
  if (summary.interrupted) return kInterrupted;
  if (size_t failed = summary.failed_sources()) {
    return fail(kFailed, std::to_string(failed) + " of " + std::to_string(summary.sources.size()) +
                             " sources failed (named above); all else this run read is committed");
  }
  return kOk;
}

int execute(const char *cmd, const Args &args, Pass pass) {
  CommonOptions o;
  int rc = parse_common(cmd, args, o, true);
  if (rc >= 0) return rc;
  auto cfg = load_pipeline(o.pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  if (o.threads > 0) cfg.value().threads = o.threads;
  install_stop_signals();
  if (pass == Pass::kRefit) {
    // A refit reads no source: without a store there is nothing to fit.
    auto store = open_store(cfg.value().store_kind, cfg.value().store_path, {.read_only = true});
    if (!store.ok()) {
      return fail(store.status().code() == StatusCode::kNotFound ? kNotFound : kFailed,
                  store.status().message() + " (run the pipeline first)");
    }
  }
  return run_pass(cfg.value(), o, pass);
}

// Sleeps up to `ms`, in short slices so a stop signal ends the wait at once.
void wait_unless_stopped(int64_t ms) {
  wait_unless(std::chrono::milliseconds(ms), [] { return g_cancel.load(); });
}

}  // namespace

int fail(int code, const std::string &message) {
  std::cerr << "halo: " << mask_secrets(message) << "\n";
  return code;
}

int exit_code_of(const Status &s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
      return kUsage;
    case StatusCode::kBusy:
      return kBusy;
    default:
      return kFailed;
  }
}

int fail(const Status &s) {
  return fail(exit_code_of(s), s.message());
}

const std::atomic<bool> *install_stop_signals() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  return &g_cancel;
}

int cmd_run(const Args &args) {
  return execute("run", args, Pass::kRun);
}

int cmd_model_fit(const Args &args) {
  return execute("model fit", args, Pass::kRefit);
}
int cmd_rebuild(const Args &args) {
  return execute("rebuild", args, Pass::kRebuild);
}

namespace {

// The unsubscribe route (consent.unsubscribe, docs/consent.md): GET and
// POST on its path, for the whole of serve (the pipeline inside may stop
// and start again). No route when the pipeline declares no link.
Result<std::vector<RouteLease>> serve_unsubscribe(const PipelineConfig &cfg) {
  std::vector<RouteLease> leases;
  const UnsubscribeConfig &u = cfg.consent.unsubscribe;
  if (u.url.empty()) return leases;
  HttpServerHub &hub = HttpServerHub::instance();
  hub.configure(cfg.http.listen, cfg.http.limits);
  auto desk = std::make_shared<consent::UnsubscribeDesk>(u, [&cfg] {
    return open_store(cfg.store_kind, cfg.store_path,
                      {.beside_writer = true, .check_invariants = false});
  });
  for (const char *method : {"GET", "POST"}) {
    auto lease = hub.add_route(
        method, u.path,
        [desk](const ServerRequest &request, ServerResponse &response) {
          response = desk->handle(request);
        },
        "");
    if (!lease.ok()) return lease.status();
    leases.push_back(std::move(lease).value());
  }
  log_info("serve", "unsubscribe links answered on " + u.path + " (port " +
                        std::to_string(hub.port()) + ")");
  return leases;
}

}  // namespace

// `halo serve`: one long-running pipeline (RunOptions::keep_polling) until
// SIGTERM or SIGINT: sources polled at their poll_interval (--interval for
// those without one), change-log consumers caught up while the sources are
// quiet. A signal finishes the batch in progress and its commit; serve then
// exits 0: stopping is its normal end. A pipeline that fails (exit 1) or
// finds the store busy (exit 4) is reported and started again after the
// interval; a configuration error (exit 2) ends serve.
int cmd_serve(const Args &args) {
  CommonOptions o;
  int rc = parse_common("serve", args, o, true);
  if (rc >= 0) return rc;
  std::optional<int64_t> interval_ms = parse_duration_ms(o.interval);
  if (!interval_ms || *interval_ms <= 0) {
    return fail(kUsage, "serve: --interval takes a duration such as 30s, 5m or 1h, not '" +
                            o.interval + "'");
  }
  auto cfg = load_pipeline(o.pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  if (o.threads > 0) cfg.value().threads = o.threads;
  // --interval is the poll interval of every source without its own.
  for (PluginUse &u : cfg.value().sources) {
    if (!u.poll_interval_set) u.poll_interval_ms = *interval_ms;
  }
  install_stop_signals();
  // One address for the whole of serve; stopped on every way out of here,
  // after the routes below are gone and before static destruction.
  HttpServerHub::instance().stay_up();
  struct ServerStop {
    ~ServerStop() { HttpServerHub::instance().shut_down(); }
  } server_stop;
  auto unsubscribe = serve_unsubscribe(cfg.value());
  if (!unsubscribe.ok()) return fail(kUsage, unsubscribe.status().message());
  // One long-running pipeline: sources polled, consumers kept caught up,
  // until a signal. A pipeline that fails (a store error, the store busy)
  // is logged and started again after the interval.
  while (!g_cancel.load()) {
    rc = run_pass(cfg.value(), o, Pass::kRun, /*keep_polling=*/true);
    if (rc == kUsage) return rc;
    if (g_cancel.load()) break;
    log_warn("serve", "the pipeline stopped (exit " + std::to_string(rc) + "); starting again in " +
                          o.interval);
    wait_unless_stopped(*interval_ms);
  }
  if (!o.quiet) std::cerr << "halo: serve stopped by signal\n";
  return kOk;
}

namespace {

struct ValidateReport {
  std::string pipeline;
  std::vector<SetupProblem> problems;
  size_t sources = 0, features = 0, destinations = 0;
};

// One problem per line: a load_pipeline() failure, or an instance whose
// plugin reported several config errors, holds one located message a line.
void add_lines(const std::string &where, const Status &s, std::vector<SetupProblem> &out) {
  size_t from = 0;
  const std::string &m = s.message();
  while (from <= m.size()) {
    size_t nl = m.find('\n', from);
    std::string line = m.substr(from, nl == std::string::npos ? std::string::npos : nl - from);
    if (!line.empty()) out.push_back({where, Status(s.code(), line)});
    if (nl == std::string::npos) break;
    from = nl + 1;
  }
}

std::string validate_json(const ValidateReport &r) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("pipeline").string(r.pipeline);
  w.key("ok").raw(r.problems.empty() ? "true" : "false");
  w.key("errors").begin_array();
  for (const SetupProblem &p : r.problems) {
    w.begin_object();
    w.key("where").string(p.where);
    w.key("message").string(mask_secrets(p.status.message()));
    w.end_object();
  }
  w.end_array();
  w.key("sources").number(static_cast<int64_t>(r.sources));
  w.key("features").number(static_cast<int64_t>(r.features));
  w.key("destinations").number(static_cast<int64_t>(r.destinations));
  w.end_object();
  return out;
}

// Loads the pipeline and creates (then destroys) every plugin instance with
// the code `halo run` uses; nothing is started and no file is created.
ValidateReport validate_pipeline(const CommonOptions &o) {
  ValidateReport r;
  r.pipeline = o.pipeline;
  auto cfg = load_pipeline(o.pipeline);
  if (!cfg.ok()) {
    add_lines("pipeline", cfg.status(), r.problems);
    return r;
  }
  r.sources = cfg.value().sources.size();
  r.features = cfg.value().features.size();
  r.destinations = cfg.value().destinations.size();
  const PipelineConfig c = with_segment_history(cfg.value());
  CallWatchdog watchdog(c.plugin_timeout_ms, nullptr);
  std::unique_ptr<PluginCatalog> catalog = load_pipeline_plugins(c, o.plugin_dirs);
  PluginInstances instances;  // destroyed before the catalog
  for (const SetupProblem &p : create_plugin_instances(c, *catalog, nullptr, /*dry_run=*/true,
                                                       /*serving=*/false, instances)) {
    add_lines(p.where, p.status, r.problems);
  }
  return r;
}

}  // namespace

int cmd_validate(const Args &args) {
  CommonOptions o;
  int rc = parse_common("validate", args, o, false);
  if (rc >= 0) return rc;
  if (o.format != "text" && o.format != "json") {
    return fail(kUsage, "validate: --format must be text or json, not '" + o.format + "'");
  }
  ValidateReport r = validate_pipeline(o);
  if (o.format == "json") {
    std::cout << validate_json(r) << "\n";
    return r.problems.empty() ? kOk : kUsage;
  }
  for (const SetupProblem &p : r.problems) std::cerr << mask_secrets(p.status.message()) << "\n";
  if (!r.problems.empty()) {
    return fail(kUsage, o.pipeline + ": " + std::to_string(r.problems.size()) + " error(s)");
  }
  std::cout << o.pipeline << ": ok (" << r.sources << " sources, " << r.features
            << " feature builders, " << r.destinations << " destinations)\n";
  return kOk;
}

}  // namespace halo::cli
