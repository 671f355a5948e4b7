// change_set.cpp -- see change_set.h.
#include "pipeline/change_set.h"

namespace halo {

std::vector<ProfileChange> ChangeSet::entries(
    const std::unordered_map<uint64_t, uint64_t> &merged_into, uint64_t first_new_id,
    uint64_t last_sequence, int64_t at_ms) {
  auto survivor = [&](uint64_t p) {
    // Each step moves to an older, still-live profile: chains end.
    for (auto it = merged_into.find(p); it != merged_into.end(); it = merged_into.find(p)) {
      p = it->second;
    }
    return p;
  };
  for (const auto &merge : merged_into) kinds_[merge.first] |= kChangeMerged;
  std::vector<ProfileChange> out;
  out.reserve(kinds_.size());
  for (const auto &[id, kinds] : kinds_) {
    ProfileChange c;
    c.sequence = last_sequence + out.size() + 1;
    c.profile_id = id;
    c.kinds = kinds | (id >= first_new_id ? kChangeCreated : 0u);
    if (kinds & kChangeMerged) {
      // A merged-away profile has no traits or state of its own any more.
      c.kinds &= kChangeMerged | kChangeCreated;
      c.merged_into = survivor(id);
    }
    c.at_ms = at_ms;
    out.push_back(c);
  }
  kinds_.clear();
  return out;
}

}  // namespace halo
