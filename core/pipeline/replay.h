// replay.h -- what `halo deadletters replay` asks of a pipeline and what it
// reports back (Pipeline::replay, replay.cpp).
//
// A replay sends dead-lettered records through the kernel's stages again --
// normalize, dedup by content, resolve, profiles, features -- exactly as if
// a source had just read them, then computes features and exports like the
// end of a run. In the one transaction that stores a replayed record's
// event, its dead letter is deleted; a record that fails again keeps its
// dead letter (same id) with the new stage, reason and message.
//
// What cannot be replayed, and is reported as skipped (never dropped):
//  - stage "feature": the event is already in the log; a feature builder
//    refused it. Fix the builder, then `halo rebuild` recomputes features.
//  - stage "source": a source call failed; there is no record. The source
//    reads again from its last committed cursor on the next run.
//  - stage "parse" without a fixed record (--from): the source could not
//    turn these bytes into a record, so they are not one yet.
// A source plugin's own options (e.g. file-jsonl's `mapping`) are not
// applied again: a dead letter holds the record as the source emitted it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace halo {

// One dead letter to replay with a corrected record (from a --from file).
struct ReplayFix {
  uint64_t id = 0;
  std::string raw;
  // When the file says so: the dead letter must still have this source and
  // position, so a row id reused after a delete never receives another
  // record's fix.
  std::optional<std::string> source, position;
};

struct ReplayRequest {
  DeadLetterFilter filter;       // which dead letters (ignored with fixes)
  std::vector<ReplayFix> fixes;  // non-empty: replay exactly these, fixed
};

struct ReplayReport {
  uint64_t selected = 0;    // dead letters the request named
  uint64_t landed = 0;      // stored as events; dead letter deleted
  uint64_t duplicates = 0;  // already stored (same source and messageId); deleted
  uint64_t failed = 0;      // failed again; kept with the new reason
  // Not replayable, by stage, with why (see above); kept unchanged.
  std::map<std::string, uint64_t> skipped;
  std::vector<std::string> problems;  // fixes naming unknown or changed dead letters
};

// Why dead letters of `stage` cannot be replayed (with a fixed record:
// `fixed`), or "" when they can.
std::string replay_refusal(const std::string &stage, bool fixed);

}  // namespace halo
