// commit_cadence.h -- when the pipeline commits: after `every_events`
// events or `interval_s` seconds since the last commit, whichever comes
// first (run.commit_every, run.commit_interval_ms) -- but never sooner than
// kSpacing times the last commit's duration after it, when that commit
// took at least kSlowCommitSeconds.
//
// Why: a commit writes every profile changed since the last one, so on
// data that touches most profiles between commits its cost grows with the
// profiles, and commits at a fixed cadence make a run's time grow faster
// than its input. Spaced by their own cost, commits take at most about
// 1 / (kSpacing + 1) of a run (Apache Flink's "minimum pause between
// checkpoints" serves the same end). Commits that take milliseconds keep
// the configured cadence exactly.
#pragma once

#include <algorithm>
#include <cstdint>

namespace halo {

struct CommitCadence {
  static constexpr double kSlowCommitSeconds = 0.05;
  static constexpr double kSpacing = 9.0;

  uint64_t every_events = 1'000'000;
  double interval_s = 5.0;

  // The least time between the last commit, which took `last_cost`
  // seconds, and the next.
  double spacing(double last_cost) const {
    return last_cost >= kSlowCommitSeconds ? kSpacing * last_cost : 0.0;
  }
  // Whether a commit is due `since` seconds after the last one, with
  // `events` events uncommitted.
  bool due(double since, uint64_t events, double last_cost) const {
    if (since < spacing(last_cost)) return false;
    return events >= every_events || since >= interval_s;
  }
  // How long after `since` seconds the time alone makes a commit due (0:
  // now).
  double seconds_until_due(double since, double last_cost) const {
    const double wait = std::max(interval_s, spacing(last_cost)) - since;
    return wait > 0 ? wait : 0.0;
  }
};

}  // namespace halo
