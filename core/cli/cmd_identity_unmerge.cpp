// cmd_identity_unmerge.cpp -- undoing a wrong merge:
//   halo identity unmerge PIPELINE --detach TYPE=VALUE [--note TEXT]
//   halo identity unmerge PIPELINE --reattach TYPE=VALUE
//   halo identity unmerge PIPELINE --detach-record MESSAGE_ID --source NAME [--note TEXT]
//   halo identity unmerge PIPELINE --reattach-record MESSAGE_ID --source NAME
//   halo identity unmerge PIPELINE --list
// --detach records that the identifier links nothing any more (an operator's
// decision, kept by the store across runs and rebuilds), resolves again
// the events of the profile that held it (Pipeline::split; a rebuild,
// `halo rebuild`, when they are not that profile's alone), and prints how
// the profile was split. --detach-record does the same for one source
// record: it keeps only its strongest identifier. --reattach and
// --reattach-record remove the decision and link again what it kept apart
// (Pipeline::rejoin; a rebuild where that would not give what a rebuild
// gives). docs/cli.md defines the output.
#include <boost/program_options.hpp>

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>

#include "cli/cli.h"
#include "cli/pipeline_command_line.h"
#include "cli/profile_lookup.h"
#include "common/clock.h"
#include "common/iso_time.h"
#include "common/log.h"
#include "pipeline/log_carriers.h"
#include "pipeline/pipeline.h"

namespace halo::cli {

namespace po = boost::program_options;

namespace {

std::optional<std::pair<std::string, std::string>> parse_type_value(const std::string &text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) return std::nullopt;
  return std::pair<std::string, std::string>{text.substr(0, eq), text.substr(eq + 1)};
}

int list_detached(const PipelineConfig &cfg) {
  auto store = open_read_only(cfg);
  if (!store.ok()) return open_failed(store.status());
  auto print = [](std::string_view prefix) {
    return [prefix](std::string_view a, std::string_view b, int64_t at_ms, std::string_view note) {
      std::cout << format_iso8601_ms(at_ms) << "  " << prefix << a << " " << b
                << (note.empty() ? "" : "  (" + std::string(note) + ")") << "\n";
    };
  };
  Status s = (*store)->scan_detached_identifiers(print(""));
  if (s.ok()) s = (*store)->scan_detached_records(print("record of source "));
  return s.ok() ? kOk : fail(kFailed, s.message());
}

// What an identity edit made on its own (Pipeline::split or rejoin) did,
// for the log: `done` when it was made, else `not_alone` -- "WHAT is not
// ... on its own" -- and `why`.
struct EditOutcome {
  std::string done, not_alone, why;
};

// Runs `edit` on the pipeline; a rebuild when it was refused (the log line
// says why). The pipeline closes -- rolling a refused edit back -- before
// the rebuild opens the store.
int edit_or_rebuild(const PipelineConfig &cfg, const std::string &pipeline,
                    const std::function<Status(Pipeline &, RunSummary &, EditOutcome &)> &edit) {
  RunOptions ro;
  ro.cancel = install_stop_signals();
  RunSummary summary;
  EditOutcome outcome;
  Status s = [&] {
    auto p = Pipeline::open(cfg, ro);
    return p.ok() ? edit(**p, summary, outcome) : p.status();
  }();
  if (!s.ok() && ro.cancel->load()) return fail(kInterrupted, "interrupted: " + s.message());
  if (!s.ok()) return fail(s);
  if (outcome.why.empty()) {
    log_info("identity", outcome.done + "; nothing else recomputed");
    return kOk;
  }
  log_info("identity", outcome.not_alone + " on its own (" + outcome.why +
                           "): recomputing everything from the event log");
  return cmd_rebuild({pipeline, "-q"});
}

// The events of `profile` (0: of the decision's record) resolved again on
// their own (Pipeline::split), or a rebuild.
int split_or_rebuild(const PipelineConfig &cfg, const std::string &pipeline, uint64_t profile,
                     const UnmergeDecision &decision) {
  return edit_or_rebuild(cfg, pipeline, [&](Pipeline &p, RunSummary &summary, EditOutcome &out) {
    SplitReport report;
    Status s = p.split(profile, decision, &report, &summary);
    const std::string which = "profile " + std::to_string(report.profile);
    out.done = which + " split: its " + std::to_string(report.events) + " events resolved again";
    out.not_alone = which + " is not split";
    out.why = report.refused;
    return s;
  });
}

// What `decision` (just removed) kept apart linked again on its own
// (Pipeline::rejoin), or a rebuild.
int rejoin_or_rebuild(const PipelineConfig &cfg, const std::string &pipeline,
                      const UnmergeDecision &decision) {
  return edit_or_rebuild(cfg, pipeline, [&](Pipeline &p, RunSummary &summary, EditOutcome &out) {
    RejoinReport report;
    Status s = p.rejoin(decision, &report, &summary);
    const std::string what =
        decision.source.empty() ? decision.type + " " + decision.value
                                : "record " + decision.message_id + " of source " + decision.source;
    out.done = what + " linked again: its " + std::to_string(report.events) + " events joined " +
               std::to_string(report.profiles) + " profile(s)";
    out.not_alone = what + " is not linked again";
    out.why = report.refused;
    return s;
  });
}

// --detach-record / --reattach-record: the decision, the split (or a rebuild), and the
// profile count before and after.
int unmerge_record(const PipelineConfig &cfg, const std::string &pipeline,
                   const std::string &message_id, const std::string &source,
                   const std::string &note, bool detach) {
  const bool known = std::any_of(cfg.sources.begin(), cfg.sources.end(),
                                 [&](const PluginUse &s) { return s.name == source; });
  if (!known) return fail(kUsage, "--source '" + source + "' is not a source of " + pipeline);
  uint64_t before = 0;
  {
    auto store = open_read_only(cfg);
    if (!store.ok()) return open_failed(store.status());
    auto found = record_sequences(**store, source, message_id);
    if (!found.ok()) return fail(kFailed, found.status().message());
    if (found->empty()) {
      return fail(kNotFound,
                  "no record '" + message_id + "' of source '" + source + "' in the event log");
    }
    auto count = (*store)->profile_count();
    if (!count.ok()) return fail(kFailed, count.status().message());
    before = *count;
  }
  int rc = write_store_decision(cfg, [&](Store &st) {
    return detach ? st.detach_record(source, message_id, wall_ms(), note)
                  : st.reattach_record(source, message_id);
  });
  if (rc != kOk) return rc;
  const UnmergeDecision decision{.source = source, .message_id = message_id};
  rc = detach ? split_or_rebuild(cfg, pipeline, 0, decision)
              : rejoin_or_rebuild(cfg, pipeline, decision);
  if (rc != kOk) return rc;
  auto store = open_read_only(cfg);
  if (!store.ok()) return open_failed(store.status());
  auto after = (*store)->profile_count();
  if (!after.ok()) return fail(kFailed, after.status().message());
  std::cout << (detach ? "detached" : "reattached") << " record " << message_id << " of source "
            << source << "; profiles: " << before << " before, " << *after << " now\n";
  return kOk;
}

// The profiles now holding what `before` (identifiers of one profile) held.
int print_split(const PipelineConfig &cfg, uint64_t old_id,
                const std::vector<std::pair<std::string, std::string>> &before,
                const std::string &type, const std::string &value) {
  auto store = open_read_only(cfg);
  if (!store.ok()) return open_failed(store.status());
  std::map<uint64_t, std::vector<std::string>> now;  // profile -> identifiers
  std::vector<std::string> unlinked;
  for (const auto &[t, v] : before) {
    auto pid = (*store)->find_profile(t, v);
    if (!pid.ok()) return fail(kFailed, pid.status().message());
    (pid->has_value() ? now[**pid] : unlinked).push_back(t + " " + v);
  }
  std::cout << "detached " << type << " " << value << "; profile " << old_id << " held "
            << before.size() << " identifiers, now in " << now.size() << " profile(s):\n";
  for (const auto &[id, ids] : now) {
    std::cout << "  profile " << id << ":";
    for (const std::string &i : ids) std::cout << " " << i << ";";
    std::cout << "\n";
  }
  for (const std::string &i : unlinked) std::cout << "  in no profile: " << i << "\n";
  return kOk;
}

}  // namespace

int cmd_identity_unmerge(const Args &args) {
  std::string pipeline, detach, reattach, detach_record, reattach_record, source, note;
  bool list = false;
  po::options_description desc(
      "usage: halo identity unmerge PIPELINE.yaml --detach TYPE=VALUE [--note TEXT]\n"
      "       halo identity unmerge PIPELINE.yaml --reattach TYPE=VALUE | --list\n"
      "       halo identity unmerge PIPELINE.yaml --detach-record MESSAGE_ID --source NAME\n"
      "       halo identity unmerge PIPELINE.yaml --reattach-record MESSAGE_ID --source NAME\n"
      "  --detach: the identifier links nothing from now on (a shared family phone, a wrong\n"
      "  email); the events of the profile that held it are resolved again from the event\n"
      "  log (everything is, as `halo rebuild`, when they are not that profile's alone) and\n"
      "  the split is printed. --detach-record: one source record keeps only its strongest\n"
      "  identifier. --reattach, --reattach-record: undo one, linking again the profiles it\n"
      "  kept apart. The decisions are kept by the store");
  desc.add_options()("help,h", "show this help")(
      "detach", po::value(&detach)->value_name("TYPE=VALUE"), "identifier to detach")(
      "note", po::value(&note)->value_name("TEXT"), "why (kept with the decision)")(
      "reattach", po::value(&reattach)->value_name("TYPE=VALUE"), "undo a detach")(
      "detach-record", po::value(&detach_record)->value_name("MESSAGE_ID"),
      "record to detach (with --source)")("reattach-record",
                                          po::value(&reattach_record)->value_name("MESSAGE_ID"),
                                          "undo a --detach-record (with --source)")(
      "source", po::value(&source)->value_name("NAME"), "the record's source")(
      "list", po::bool_switch(&list), "list the detached identifiers and records");
  if (int code = parse_pipeline_command("identity unmerge", args, desc, pipeline); code >= 0) {
    return code;
  }
  if (!detach.empty() + !reattach.empty() + !detach_record.empty() + !reattach_record.empty() +
          list !=
      1) {
    std::cerr << "halo identity unmerge: give exactly one of --detach, --reattach, "
                 "--detach-record, --reattach-record, --list\n"
              << desc << "\n";
    return kUsage;
  }
  const bool on_record = !detach_record.empty() || !reattach_record.empty();
  if (on_record == source.empty()) {
    std::cerr << "halo identity unmerge: --source goes with --detach-record and "
                 "--reattach-record, and only with them\n";
    return kUsage;
  }
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  if (list) return list_detached(*cfg);
  if (on_record) {
    const bool detaching = !detach_record.empty();
    return unmerge_record(*cfg, pipeline, detaching ? detach_record : reattach_record, source, note,
                          detaching);
  }
  const auto key = parse_type_value(detach.empty() ? reattach : detach);
  if (!key) return fail(kUsage, "--detach and --reattach take TYPE=VALUE");
  const std::string type = key->first, value = normalized_identifier(*cfg, type, key->second);

  if (!reattach.empty()) {
    // A store that does not exist yet holds no decision: not created here.
    if (auto existing = open_read_only(*cfg); !existing.ok()) return open_failed(existing.status());
    int rc =
        write_store_decision(*cfg, [&](Store &st) { return st.reattach_identifier(type, value); });
    return rc != kOk ? rc : rejoin_or_rebuild(*cfg, pipeline, {.type = type, .value = value});
  }
  uint64_t old_id = 0;
  std::vector<std::pair<std::string, std::string>> before;
  {
    auto store = open_read_only(*cfg);
    if (!store.ok()) return open_failed(store.status());
    int exit_code = kOk;
    auto id = find_profile_or_fail(**store, type, value, exit_code);
    if (!id.ok()) return exit_code;
    old_id = *id;
    auto ids = (*store)->identifiers_of(old_id);
    if (!ids.ok()) return fail(kFailed, ids.status().message());
    before = std::move(*ids);
  }
  int rc = write_store_decision(
      *cfg, [&](Store &st) { return st.detach_identifier(type, value, wall_ms(), note); });
  if (rc != kOk) return rc;
  rc = split_or_rebuild(*cfg, pipeline, old_id, {.type = type, .value = value});
  if (rc != kOk) return rc;
  return print_split(*cfg, old_id, before, type, value);
}

}  // namespace halo::cli
