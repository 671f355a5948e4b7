// finalize.cpp -- the end of a batch run: the last commit, then every
// change-log consumer catches up (change_consumers.cpp) as of the run's
// reference time, and their cursors are committed.
//
// Interruption: a run stopped by SIGINT/SIGTERM has not read all of its
// input, so its profiles must not replace the previous complete export.
// Destinations are then not started, or, when the signal arrives during
// the export, not stopped: a destination commits its export only in stop()
// and discards it when destroyed without one (file-jsonl removes its
// .tmp file). The store keeps every committed batch either way, and the
// destination's cursor stays where it was, so the next run delivers.

#include "common/clock.h"
#include "pipeline/pipeline.h"

namespace halo {

int64_t Pipeline::as_of_ms() const {
  return config_.as_of_ms ? *config_.as_of_ms : wall_ms();
}

Status Pipeline::finalize(RunSummary *summary) {
  Status s = commit();
  if (!s.ok()) return s;
  s = catch_up_consumers(as_of_ms(), summary);
  if (!s.ok()) return s;
  s = commit();
  if (!s.ok()) return s;
  s = drain_writer();
  if (!s.ok()) return s;
  s = quarantine_overshared(summary);
  if (s.ok()) s = check_arrival_order(summary);
  if (s.ok()) s = link_profiles(summary);
  if (s.ok()) s = resolve_arrival_order(summary);
  if (!s.ok()) return s;
  auto profiles = store_->profile_count();
  if (!profiles.ok()) return profiles.status();
  summary->profiles = *profiles;
  auto dead_letters = store_->dead_letter_count();
  if (!dead_letters.ok()) return dead_letters.status();
  summary->dead_letters_total = *dead_letters;
  summary->seconds = steady_seconds() - started_;
  report_progress(*summary, true);
  return Status::Ok();
}

}  // namespace halo
