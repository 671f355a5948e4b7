// change_set.cpp -- see change_set.h.
#include "pipeline/change_set.h"

#include <algorithm>

namespace halo {

void ChangeSet::add(uint64_t profile_id, uint32_t kinds) {
  // Folding first when the vector would reallocate and repeats may have
  // piled up keeps it near one entry per profile.
  if (kinds_.size() == kinds_.capacity() && kinds_.size() > folded_ + folded_ / 4) fold();
  kinds_.emplace_back(profile_id, kinds);
}

void ChangeSet::fold() {
  std::sort(kinds_.begin(), kinds_.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
  size_t out = 0;
  for (size_t i = 0; i < kinds_.size(); ++i) {
    if (out > 0 && kinds_[out - 1].first == kinds_[i].first) {
      kinds_[out - 1].second |= kinds_[i].second;
    } else {
      kinds_[out++] = kinds_[i];
    }
  }
  kinds_.resize(out);
  folded_ = out;
}

Result<uint64_t> ChangeSet::write_entries(
    const std::unordered_map<uint64_t, uint64_t> &merged_into, uint64_t first_new_id,
    uint64_t last_sequence, int64_t at_ms, size_t chunk,
    const std::function<Status(std::vector<ProfileChange>)> &out) {
  auto survivor = [&](uint64_t p) {
    // Each step moves to an older, still-live profile: chains end.
    for (auto it = merged_into.find(p); it != merged_into.end(); it = merged_into.find(p)) {
      p = it->second;
    }
    return p;
  };
  for (const auto &merge : merged_into) kinds_.emplace_back(merge.first, kChangeMerged);
  fold();
  std::vector<ProfileChange> batch;
  uint64_t written = 0;
  for (const auto &[id, kinds] : kinds_) {
    ProfileChange c;
    c.sequence = last_sequence + ++written;
    c.profile_id = id;
    c.kinds = kinds | (id >= first_new_id ? kChangeCreated : 0u);
    if (kinds & kChangeMerged) {
      // A merged-away profile has no traits or state of its own any more.
      c.kinds &= kChangeMerged | kChangeCreated;
      c.merged_into = survivor(id);
    }
    c.at_ms = at_ms;
    batch.push_back(c);
    if (batch.size() == chunk) {
      Status s = out(std::move(batch));
      if (!s.ok()) return s;
      batch.clear();
    }
  }
  kinds_.clear();
  kinds_.shrink_to_fit();
  folded_ = 0;
  if (!batch.empty()) {
    Status s = out(std::move(batch));
    if (!s.ok()) return s;
  }
  return written;
}

std::vector<ProfileChange> ChangeSet::entries(
    const std::unordered_map<uint64_t, uint64_t> &merged_into, uint64_t first_new_id,
    uint64_t last_sequence, int64_t at_ms) {
  std::vector<ProfileChange> all;
  (void)write_entries(merged_into, first_new_id, last_sequence, at_ms, SIZE_MAX,
                      [&](std::vector<ProfileChange> part) {
                        all.insert(all.end(), part.begin(), part.end());
                        return Status::Ok();
                      });
  return all;
}

}  // namespace halo
