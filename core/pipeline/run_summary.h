// run_summary.h -- what a run did, for the closing summary and for tests.
#pragma once

#include <cstdint>
#include <string>

namespace halo {

struct RunSummary {
  uint64_t records_read = 0;   // records + unreadable records the sources produced
  uint64_t accepted = 0;       // events appended to the event log
  uint64_t duplicates = 0;     // dropped as already-seen message ids
  uint64_t rejected = 0;       // dead letters written by this run
  uint64_t profiles = 0;       // live profiles after the run
  uint64_t merges = 0;         // profile merges performed by this run
  uint64_t conflicts = 0;      // links refused by identity rules in this run
  uint64_t input_bytes = 0;    // raw record bytes read
  double seconds = 0;
  std::string store_path;
  uint64_t dead_letters_total = 0;

  double events_per_second() const { return seconds > 0 ? records_read / seconds : 0; }
  // Multi-line human summary.
  std::string to_text() const;
  // One JSON object (for --summary-json and tests).
  std::string to_json() const;
};

}  // namespace halo
