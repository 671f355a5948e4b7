// change_set.h -- collects how one commit changed each profile and turns it
// into that commit's change-log entries (store/profile_change.h).
//
// Invariants of entries(): one entry per profile, ordered by profile id (so
// the log does not depend on hash-map order and rebuilds write the same
// entries for the same commits); sequences continue the log; a profile
// merged away in this commit carries kChangeMerged and the profile that
// finally absorbed it (merge chains inside the commit are followed to their
// end); a profile with an id at or above the counter of the previous commit
// was created by this one.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "store/profile_change.h"

namespace halo {

class ChangeSet {
 public:
  void add(uint64_t profile_id, uint32_t kinds) { kinds_[profile_id] |= kinds; }

  // `merged_into`: profile merged away -> the profile it was merged into,
  // for the merges of this commit. `first_new_id`: the profile id counter
  // at the previous commit. `last_sequence`: the log's last sequence.
  std::vector<ProfileChange> entries(const std::unordered_map<uint64_t, uint64_t> &merged_into,
                                     uint64_t first_new_id, uint64_t last_sequence, int64_t at_ms);

 private:
  std::map<uint64_t, uint32_t> kinds_;
};

}  // namespace halo
