// cmd_run.cpp -- `halo run`, `halo rebuild` and `halo validate`.
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "common/log.h"
#include "common/secrets.h"
#include "config/option_validation.h"
#include "config/pipeline_config.h"
#include "pipeline/pipeline.h"

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
        "summary-json", po::value(&o.summary_json), "also write the run summary as JSON to FILE");
  }
  po::options_description hidden;
  hidden.add_options()("pipeline", po::value(&o.pipeline));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("pipeline", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << "halo " << cmd << ": " << e.what() << "\n" << desc;
    return kUsage;
  }
  if (vm.count("help")) {
    std::cout << desc;
    return kOk;
  }
  if (o.pipeline.empty()) {
    std::cerr << "halo " << cmd << ": missing PIPELINE.yaml\n" << desc;
    return kUsage;
  }
  return -1;
}

int execute(const char *cmd, const Args &args, bool rebuild) {
  CommonOptions o;
  int rc = parse_common(cmd, args, o, true);
  if (rc >= 0) return rc;
  auto cfg = load_pipeline(o.pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  if (o.threads > 0) cfg.value().threads = o.threads;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  RunOptions ro;
  ro.progress = !o.quiet && isatty(STDERR_FILENO);
  ro.cancel = &g_cancel;
  ro.extra_plugin_dirs = o.plugin_dirs;
  if (const char *stop = std::getenv("HALO_TEST_EXIT_AFTER_EVENTS")) {
    ro.stop_after_events = std::strtoull(stop, nullptr, 10);
  }
  auto pipeline = Pipeline::open(cfg.value(), ro);
  if (!pipeline.ok()) return fail(kFailed, pipeline.status().message());
  RunSummary summary;
  Status s = rebuild ? pipeline.value()->rebuild(&summary) : pipeline.value()->run(&summary);
  if (!s.ok()) {
    return fail(s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound
                    ? kUsage
                    : kFailed,
                s.message());
  }
  if (!o.quiet) std::cout << summary.to_text();
  if (!o.summary_json.empty()) {
    std::ofstream out(o.summary_json);
    out << summary.to_json() << "\n";
    if (!out) return fail(kFailed, "cannot write " + o.summary_json);
  }
  // A signal that came after the exports were complete changes nothing.
  return summary.interrupted ? kInterrupted : kOk;
}

}  // namespace

int fail(int code, const std::string &message) {
  std::cerr << "halo: " << mask_secrets(message) << "\n";
  return code;
}

int cmd_run(const Args &args) {
  return execute("run", args, false);
}
int cmd_rebuild(const Args &args) {
  return execute("rebuild", args, true);
}

int cmd_validate(const Args &args) {
  CommonOptions o;
  int rc = parse_common("validate", args, o, false);
  if (rc >= 0) return rc;
  auto cfg = load_pipeline(o.pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  PluginCatalog catalog;
  std::vector<std::string> dirs = cfg.value().plugin_dirs;
  dirs.insert(dirs.end(), o.plugin_dirs.begin(), o.plugin_dirs.end());
  catalog.load_for(PluginCatalog::search_dirs(dirs), plugin_needs(cfg.value()));
  int errors = 0;
  auto check = [&](halo_plugin_kind kind, const std::string &where, const PluginUse &u) {
    const PluginInfo *info = catalog.find(kind, u.plugin);
    Status s = info ? validate_plugin_options(where, u, info->descriptor->options,
                                              info->descriptor->option_count)
                    : Status(StatusCode::kNotFound,
                             u.mark.str() + ": " + catalog.not_found(kind, u.plugin).message());
    if (!s.ok()) {
      std::cerr << s.message() << "\n";
      ++errors;
    }
  };
  const PipelineConfig &c = cfg.value();
  for (size_t i = 0; i < c.sources.size(); ++i)
    check(HALO_KIND_SOURCE, "sources[" + std::to_string(i) + "]", c.sources[i]);
  check(HALO_KIND_RESOLVER, "identity", resolver_plugin_use(c));
  for (size_t i = 0; i < c.features.size(); ++i)
    check(HALO_KIND_FEATURE, "features[" + std::to_string(i) + "]", c.features[i]);
  for (size_t i = 0; i < c.destinations.size(); ++i)
    check(HALO_KIND_DESTINATION, "destinations[" + std::to_string(i) + "]", c.destinations[i]);
  if (errors) return fail(kUsage, o.pipeline + ": " + std::to_string(errors) + " error(s)");
  std::cout << o.pipeline << ": ok (" << c.sources.size() << " sources, " << c.features.size()
            << " feature builders, " << c.destinations.size() << " destinations)\n";
  return kOk;
}

}  // namespace halo::cli
