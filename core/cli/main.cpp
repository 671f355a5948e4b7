// main.cpp -- entry point of the `halo` binary: dispatches subcommands.
//
// SIGINT/SIGTERM exit 130 in every command: read-only commands end at once
// (nothing to keep), while run, rebuild and `deadletters replay` install
// their own handler that stops at the next batch boundary (cmd_run.cpp).
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <iostream>
#include <string>

#include <halo/plugin.h>

#include "cli/cli.h"
#include "cli/heap_tuning.h"
#include "plugin_host/plugin_call.h"

namespace {

const char *kUsage =
    "usage: halo <command> [options]\n"
    "\n"
    "commands:\n"
    "  run PIPELINE.yaml          read every source, resolve identities, build features,\n"
    "                             store everything and deliver profiles to destinations\n"
    "  rebuild PIPELINE.yaml      recompute identities, profiles and features from the\n"
    "                             stored event log alone\n"
    "  serve PIPELINE.yaml        keep the pipeline running (sources polled) until SIGTERM\n"
    "                             or SIGINT (then exit 0)\n"
    "  validate PIPELINE.yaml     check the pipeline file and every plugin's options\n"
    "  plugins [--describe NAME]  list the plugins found (name, kind, version, ABI, path)\n"
    "  profile get PIPELINE.yaml --email X | --phone X | --id TYPE=VALUE\n"
    "                             print one unified profile in the export format\n"
    "  deadletters PIPELINE.yaml [filters] [--format jsonl|json|table]\n"
    "                             list rejected records with their reasons (JSON Lines)\n"
    "  deadletters replay PIPELINE.yaml [filters] [--from FILE]\n"
    "                             send dead-lettered records through the pipeline again\n"
    "  store check PIPELINE.yaml  check the store read-only (SQLite integrity, Halo's\n"
    "                             invariants) and say what to do about any problem\n"
    "  identity explain PIPELINE.yaml --email X | --phone X | --id TYPE=VALUE\n"
    "                             why a profile holds what it holds: every identifier,\n"
    "                             merge and refused link with its event and rule\n"
    "  identity merges PIPELINE.yaml [--since T]\n"
    "                             every merge and refused link (JSON Lines)\n"
    "  identity unmerge PIPELINE.yaml --detach TYPE=VALUE\n"
    "                             detach a wrongly shared identifier and split its profile\n"
    "  identity review PIPELINE.yaml [--accept ID | --reject ID]\n"
    "                             pairs of profiles identity.linkage could not decide on\n"
    "  identity evaluate --config FILE.yaml --data FILE.csv\n"
    "                             link person records with the probabilistic resolver\n"
    "                             and score it against known truth (precision, recall, F1)\n"
    "  model show PIPELINE.yaml NAME\n"
    "                             the parameters feature builder NAME last fitted over\n"
    "                             every profile (its population step)\n"
    "  model fit PIPELINE.yaml    fit every population step again without reading the\n"
    "                             sources, then emit and deliver every profile\n"
    "  segment list PIPELINE.yaml the pipeline's segments, their size and last change\n"
    "  segment show PIPELINE.yaml NAME\n"
    "                             one segment: expression, size, latest entries and exits\n"
    "  segment export PIPELINE.yaml NAME\n"
    "                             the segment's members (jsonl or csv)\n"
    "  segment preview PIPELINE.yaml EXPR\n"
    "                             how many stored profiles a segment expression matches,\n"
    "                             and the first of them\n"
    "  messages list PIPELINE.yaml\n"
    "                             the messages triggers put in the outbox\n"
    "  deliveries stats PIPELINE.yaml\n"
    "                             per destination: messages by status, attempts, latency\n"
    "  consent set PIPELINE.yaml --email X|--phone X --opt-out|--opt-in\n"
    "                             record an operator's opt-out or opt-in of an address\n"
    "  consent show PIPELINE.yaml --email X|--phone X\n"
    "                             an address's consent records and whether it may be sent to\n"
    "  version                    print the version and plugin ABI\n"
    "\n"
    "Each command has --help; docs/cli.md describes every option and output. Exit codes:\n"
    "0 ok, 1 run failed, 2 usage or configuration error, 3 not found, 4 store busy\n"
    "(another run or rebuild is writing it), 130 interrupted.\n";

const char *kVersionUsage =
    "usage: halo version\n"
    "  prints the version of halo and of the plugin ABI it loads\n";

void exit_interrupted(int) {
  _exit(halo::cli::kInterrupted);  // async-signal-safe
}

int cmd_version(const halo::cli::Args &args) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kVersionUsage;
    return halo::cli::kOk;
  }
  if (!args.empty()) {
    std::cerr << "halo version: unexpected argument '" << args[0] << "'\n" << kVersionUsage;
    return halo::cli::kUsage;
  }
  std::cout << "halo " << HALO_VERSION << " (plugin ABI " << HALO_ABI_MAJOR << "." << HALO_ABI_MINOR
            << ")\n";
  return halo::cli::kOk;
}

}  // namespace

int main(int argc, char **argv) {
  halo::cli::restart_with_huge_page_heap(argc, argv);
  halo::cli::tune_malloc();
  halo::install_crash_handler();
  std::signal(SIGINT, exit_interrupted);
  std::signal(SIGTERM, exit_interrupted);
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::cout << kUsage;
    return argc < 2 ? halo::cli::kUsage : halo::cli::kOk;
  }
  std::string cmd = argv[1];
  halo::cli::Args args(argv + 2, argv + argc);
  if (cmd == "run") return halo::cli::cmd_run(args);
  if (cmd == "rebuild") return halo::cli::cmd_rebuild(args);
  if (cmd == "serve") return halo::cli::cmd_serve(args);
  if (cmd == "validate") return halo::cli::cmd_validate(args);
  if (cmd == "plugins") return halo::cli::cmd_plugins(args);
  if (cmd == "profile") return halo::cli::cmd_profile(args);
  if (cmd == "deadletters") return halo::cli::cmd_deadletters(args);
  if (cmd == "store") return halo::cli::cmd_store(args);
  if (cmd == "identity") return halo::cli::cmd_identity(args);
  if (cmd == "model") return halo::cli::cmd_model(args);
  if (cmd == "segment") return halo::cli::cmd_segment(args);
  if (cmd == "messages") return halo::cli::cmd_messages(args);
  if (cmd == "deliveries") return halo::cli::cmd_deliveries(args);
  if (cmd == "consent") return halo::cli::cmd_consent(args);
  if (cmd == "version" || cmd == "--version") return cmd_version(args);
  std::cerr << "halo: unknown command '" << cmd << "'\n\n" << kUsage;
  return halo::cli::kUsage;
}
