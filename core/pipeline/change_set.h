// change_set.h -- collects how one commit changed each profile and turns it
// into that commit's change-log entries (store/profile_change.h).
//
// Invariants of the entries: one per profile, ordered by profile id (so
// the log does not depend on insertion order and rebuilds write the same
// entries for the same commits); sequences continue the log; a profile
// merged away in this commit carries kChangeMerged and the profile that
// finally absorbed it (merge chains inside the commit are followed to their
// end); a profile with an id at or above the counter of the previous commit
// was created by this one.
//
// Memory: a flat vector of (id, kinds), sorted and folded whenever it would
// grow, so a commit of every profile costs about 16 bytes per profile, and
// the entries can be produced a chunk at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/profile_change.h"

namespace halo {

class ChangeSet {
 public:
  void add(uint64_t profile_id, uint32_t kinds);

  // `merged_into`: profile merged away -> the profile it was merged into,
  // for the merges of this commit. `first_new_id`: the profile id counter
  // at the previous commit. `last_sequence`: the log's last sequence.
  // Hands the entries to `out` in order, at most `chunk` at a time, and
  // returns how many there were (or out's first failure). Starts a new
  // commit.
  Result<uint64_t> write_entries(const std::unordered_map<uint64_t, uint64_t> &merged_into,
                                 uint64_t first_new_id, uint64_t last_sequence, int64_t at_ms,
                                 size_t chunk,
                                 const std::function<Status(std::vector<ProfileChange>)> &out);
  // All entries at once.
  std::vector<ProfileChange> entries(const std::unordered_map<uint64_t, uint64_t> &merged_into,
                                     uint64_t first_new_id, uint64_t last_sequence, int64_t at_ms);

 private:
  void fold();  // sorts by id and ORs the kinds of repeated ids

  std::vector<std::pair<uint64_t, uint32_t>> kinds_;
  size_t folded_ = 0;  // size after the last fold
};

}  // namespace halo
