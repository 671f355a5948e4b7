// store_check.h -- the full, slow check of a SQLite store file (sqlite_store.h) behind
// `halo store check`: SQLite's own integrity check, the schema version, and
// Halo's invariants over every row (ids, the profile id counter, the event
// log's sequence ranges and that every logged batch decodes).
//
// Invariants: check_store() opens the file read-only (one snapshot for every
// check, store.h) and never creates, migrates or writes it nor takes the
// writer lock, so it runs beside a `halo run`; every problem names the table it is in (or "" for
// the file as a whole) and says whether `halo rebuild` can fix it (derived
// tables only) or the file must be restored from a backup.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace halo {

struct StoreProblem {
  std::string table;    // "" when it concerns the whole file
  std::string message;  // what is wrong, for a person
  // True when the table is derived from the event log, so `halo rebuild`
  // recomputes it; false when only a backup can bring the data back.
  bool rebuildable = false;
};

struct StoreCheckReport {
  std::vector<std::string> passed;  // one line per check that passed
  std::vector<StoreProblem> problems;
  bool ok() const { return problems.empty(); }
};

// Checks the store at `path`. NotFound when the file does not exist or is
// empty (no tables yet: the first run may be creating it); every
// other finding (including "cannot open") is a problem in the report.
Result<StoreCheckReport> check_store(const std::string &path);

}  // namespace halo
