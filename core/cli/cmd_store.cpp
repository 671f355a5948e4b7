// cmd_store.cpp -- `halo store check PIPELINE.yaml`: runs the full store
// check (store/store_check.h) and says what to do about what it finds.
//
// Exit codes: 0 the store is sound, 1 problems found (listed, with what to
// do), 2 usage or configuration error, 3 no store file yet. The store is
// opened read-only: the command never creates, migrates or writes it.
#include <iostream>

#include "cli/cli.h"
#include "config/pipeline_config.h"
#include "store/store_check.h"

namespace halo::cli {

namespace {

const char *kStoreUsage =
    "usage: halo store check PIPELINE.yaml\n"
    "  checks the pipeline's store read-only: SQLite's integrity check, the schema\n"
    "  version, Halo's invariants (profile ids, the profile id counter, the event log's\n"
    "  sequence ranges) and that every logged batch decodes.\n"
    "  exit codes: 0 sound, 1 problems found (with what to do), 2 usage or\n"
    "  configuration error, 3 the store does not exist yet (or holds no data yet)\n";

bool all_rebuildable(const StoreCheckReport &r) {
  for (const StoreProblem &p : r.problems) {
    if (!p.rebuildable) return false;
  }
  return true;
}

void print_advice(const StoreCheckReport &r, const std::string &pipeline,
                  const std::string &store) {
  std::cout << "\nwhat to do:\n";
  if (all_rebuildable(r)) {
    std::cout << "  every problem is in data derived from the event log: run\n"
                 "    halo rebuild "
              << pipeline
              << "\n  to recompute identities, profiles, features and the profile id counter.\n";
    return;
  }
  std::cout << "  stop every halo process using the store, then restore " << store
            << "\n  from a backup (copy the file back and remove " << store << "-wal and " << store
            << "-shm).\n"
               "  Without a backup, SQLite's recovery (`sqlite3 "
            << store
            << " .recover`, https://www.sqlite.org/recovery.html)\n"
               "  salvages readable rows into a new file; then run `halo rebuild "
            << pipeline << "`.\n";
}

}  // namespace

int cmd_store(const Args &args) {
  for (const std::string &a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << kStoreUsage;
      return kOk;
    }
  }
  if (args.size() != 2 || args[0] != "check") {
    std::cerr << "halo store: give `check` and the pipeline file\n" << kStoreUsage;
    return kUsage;
  }
  const std::string &pipeline = args[1];
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  const std::string &path = cfg.value().store_path;
  auto report = check_store(path);
  if (!report.ok()) return fail(kNotFound, report.status().message());
  std::cout << "store " << path << "\n";
  for (const std::string &line : report->passed) std::cout << "  ok       " << line << "\n";
  for (const StoreProblem &p : report->problems) {
    std::cout << "  PROBLEM  " << (p.table.empty() ? "file" : "table " + p.table) << ": "
              << p.message << "\n";
  }
  if (report->ok()) {
    std::cout << "no problems found\n";
    return kOk;
  }
  std::cout << report->problems.size() << " problem(s) found\n";
  print_advice(*report, pipeline, path);
  return kFailed;
}

}  // namespace halo::cli
