// main.cpp -- entry point of the `halo` binary: dispatches subcommands.
#include <cstring>
#include <iostream>
#include <string>

#include <halo/plugin.h>

#include "cli/cli.h"
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
    "  validate PIPELINE.yaml     check the pipeline file and every plugin's options\n"
    "  plugins [--describe NAME]  list the plugins found (name, kind, version, ABI, path)\n"
    "  profile get PIPELINE.yaml --email X | --phone X | --id TYPE=VALUE\n"
    "                             print one unified profile in the export format\n"
    "  deadletters PIPELINE.yaml  list rejected records with their reasons (JSON Lines)\n"
    "  store check PIPELINE.yaml  check the store read-only (SQLite integrity, Halo's\n"
    "                             invariants) and say what to do about any problem\n"
    "  version                    print the version and plugin ABI\n"
    "\n"
    "Each command has --help. Exit codes: 0 ok, 1 run failed, 2 usage or configuration\n"
    "error, 3 not found, 4 store busy (another run or rebuild is writing it),\n"
    "130 interrupted.\n";

}  // namespace

int main(int argc, char **argv) {
  halo::install_crash_handler();
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::cout << kUsage;
    return argc < 2 ? halo::cli::kUsage : halo::cli::kOk;
  }
  std::string cmd = argv[1];
  halo::cli::Args args(argv + 2, argv + argc);
  if (cmd == "run") return halo::cli::cmd_run(args);
  if (cmd == "rebuild") return halo::cli::cmd_rebuild(args);
  if (cmd == "validate") return halo::cli::cmd_validate(args);
  if (cmd == "plugins") return halo::cli::cmd_plugins(args);
  if (cmd == "profile") return halo::cli::cmd_profile(args);
  if (cmd == "deadletters") return halo::cli::cmd_deadletters(args);
  if (cmd == "store") return halo::cli::cmd_store(args);
  if (cmd == "version" || cmd == "--version") {
    std::cout << "halo " << HALO_VERSION << " (plugin ABI " << HALO_ABI_MAJOR << "."
              << HALO_ABI_MINOR << ")\n";
    return halo::cli::kOk;
  }
  std::cerr << "halo: unknown command '" << cmd << "'\n\n" << kUsage;
  return halo::cli::kUsage;
}
