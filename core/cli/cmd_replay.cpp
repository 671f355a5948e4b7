// cmd_replay.cpp -- `halo deadletters replay PIPELINE [filters] [--from FILE]`:
// dead-lettered records through the pipeline again (pipeline/replay.h says
// what happens to each and what cannot be replayed).
//
// It opens the pipeline like `halo run` (Pipeline::open: the same store
// and plugins, the same exclusive use of the store) and stops like it on
// SIGINT/SIGTERM (130; nothing of an unfinished replay is committed past
// the records already done). Exit codes: 0 done (records that failed again
// are kept as dead letters, as in a run), 1 the replay failed, 2 usage or
// configuration error (also a bad --from file: then nothing is replayed),
// 3 the store does not exist or a --from line names a dead letter that is
// gone or changed (the other lines are replayed), 130 interrupted.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli.h"
#include "cli/deadletter_filter.h"
#include "cli/log_options.h"
#include "cli/pipeline_command_line.h"
#include "common/clock.h"
#include "config/pipeline_config.h"
#include "pipeline/pipeline.h"
#include "pipeline/replay.h"
#include "pipeline/replay_file.h"

namespace po = boost::program_options;

namespace halo::cli {

namespace {

struct ReplayOptions {
  std::string pipeline, from;
  std::vector<std::string> plugin_dirs;
  bool quiet = false;
  DeadLetterFilterOptions filter;
  LogOptions log;
};

// -1 to go on, else the exit code (help printed or usage error).
int parse(const Args &args, ReplayOptions &o) {
  po::options_description desc(
      "usage: halo deadletters replay PIPELINE.yaml [filters] [--from FILE]\n"
      "sends dead-lettered records through normalize, resolve and features again, then\n"
      "computes features and exports like a run. A record that lands leaves the dead\n"
      "letters; one that fails again stays, with the new reason. Not replayable (reported,\n"
      "kept): stage feature (fix the builder, then `halo rebuild`), stage source (no\n"
      "record), stage parse without --from");
  desc.add_options()("help,h", "show this help")(
      "from", po::value(&o.from)->value_name("FILE"),
      "replay exactly these dead letters with fixed records: JSON Lines {\"id\": N, \"raw\": "
      "\"...\"} as `halo deadletters --format jsonl` writes them (cannot be combined with "
      "filters)")("plugin-dir", po::value(&o.plugin_dirs)->value_name("DIR"),
                  "extra directory to load plugins from (repeatable)")(
      "quiet,q", po::bool_switch(&o.quiet), "no report");
  add_dead_letter_filter_options(desc, o.filter);
  add_log_options(desc, o.log);
  int rc = parse_pipeline_command("deadletters replay", args, desc, o.pipeline);
  if (rc >= 0) return rc;
  const DeadLetterFilterOptions &f = o.filter;
  if (!o.from.empty() && !(f.source + f.reason + f.stage + f.since + f.limit).empty()) {
    std::cerr << "halo deadletters replay: --from replays exactly the file's dead letters; "
                 "leave out --source, --reason, --stage, --since and --limit\n";
    return kUsage;
  }
  return apply_log_options("deadletters replay", o.log);
}

// The request from the options; -1 in `rc` to go on, else an exit code.
ReplayRequest make_request(const ReplayOptions &o, int &rc) {
  ReplayRequest request;
  rc = -1;
  if (o.from.empty()) {
    auto filter = make_dead_letter_filter(o.filter, wall_ms());
    if (!filter.ok()) {
      rc = fail(kUsage, filter.status().message());
    } else {
      request.filter = *filter;
    }
    return request;
  }
  std::ifstream in(o.from, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    rc = fail(kUsage, "cannot read --from file " + o.from);
    return request;
  }
  auto fixes = parse_replay_file(text.view(), o.from);
  if (!fixes.ok()) {
    rc = fail(kUsage, fixes.status().message());
  } else if (fixes->empty()) {
    rc = fail(kUsage, o.from + ": no dead letters in the file");
  } else {
    request.fixes = std::move(fixes).value();
  }
  return request;
}

void print_report(const ReplayReport &r, const RunSummary &summary, const std::string &pipeline) {
  std::cout << "replayed " << r.selected << " dead letter(s) of " << summary.store_path << "\n"
            << "  landed        " << r.landed << " (stored as events; dead letters deleted)\n"
            << "  duplicates    " << r.duplicates
            << " (already stored: same source and messageId; dead letters deleted)\n"
            << "  failed again  " << r.failed << " (kept, with the new stage and reason)\n";
  for (const auto &[stage, n] : r.skipped) {
    std::cout << "  skipped       " << n << " of stage " << stage << ": "
              << replay_refusal(stage, false) << "\n";
  }
  std::cout << "profiles        " << summary.profiles << "; dead letters left "
            << summary.dead_letters_total << " (list them with `halo deadletters " << pipeline
            << "`)\n";
  if (summary.interrupted) {
    std::cout << "INTERRUPTED     the replay stopped early; what it did is committed, "
                 "profile exports were NOT replaced\n";
  }
}

}  // namespace

int cmd_deadletters_replay(const Args &args) {
  ReplayOptions o;
  int rc = parse(args, o);
  if (rc >= 0) return rc;
  ReplayRequest request = make_request(o, rc);
  if (rc >= 0) return rc;
  auto cfg = load_pipeline(o.pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  if (!std::ifstream(cfg.value().store_path)) {
    return fail(kNotFound, "no store at " + cfg.value().store_path +
                               " yet: nothing to replay (run `halo run " + o.pipeline + "` first)");
  }
  const std::atomic<bool> *cancel = install_stop_signals();
  RunOptions ro;
  ro.cancel = cancel;
  ro.extra_plugin_dirs = o.plugin_dirs;
  auto pipeline = Pipeline::open(cfg.value(), ro);
  if (!pipeline.ok()) return fail(pipeline.status());
  ReplayReport report;
  RunSummary summary;
  Status s = pipeline.value()->replay(request, &report, &summary);
  if (!s.ok() && cancel->load()) return fail(kInterrupted, "interrupted: " + s.message());
  if (!s.ok()) return fail(s);
  if (!o.quiet) print_report(report, summary, o.pipeline);
  for (const std::string &p : report.problems) std::cerr << "halo: " << p << "\n";
  if (summary.interrupted) return kInterrupted;
  return report.problems.empty() ? kOk : kNotFound;
}

}  // namespace halo::cli
