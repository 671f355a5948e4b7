// profile_book.h -- the in-memory working set of profiles: traits with their
// last-write-wins metadata, last activity, and which profiles changed since
// the last commit.
//
// Trait rule: a value from a source with a stronger priority
// (lower number) wins; among equal priorities the later (timestamp, log
// sequence) wins. Because the order key includes the log sequence, the
// result depends only on the set of events a profile has seen, not on batch
// boundaries or merge order -- which is what makes `halo rebuild` equal to
// the incremental run.
//
// Traits come from `traits.*` of identify events and `context.traits.*` of
// every event; nested objects are kept as dotted keys ("address.city").
// Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <halo/profile_map.hpp>

#include "common/status.h"
#include "event/event.h"

namespace halo {

struct TraitValue {
  std::string json;  // the value as a JSON literal
  int priority = 100;
  int64_t timestamp_ms = 0;
  uint64_t sequence = 0;
  // True when this value should replace `other` under the trait rule.
  bool beats(const TraitValue &other) const;
};

struct ProfileData {
  std::map<std::string, TraitValue, std::less<>> traits;
  int64_t updated_at_ms = 0;  // latest event timestamp seen
  bool dirty = false;         // changed since the last clear_changes()
};

class ProfileBook {
 public:
  void apply_event(uint64_t profile_id, const EventBatch &batch, size_t i, int source_priority);
  // Folds `from` into `into`; `from` is marked deleted.
  void merge(uint64_t from, uint64_t into);

  // Persistence: the stored form keeps the LWW metadata.
  std::string stored_traits(uint64_t profile_id) const;
  Status load(uint64_t profile_id, std::string_view stored_traits, int64_t updated_at_ms);

  // {"first_name":"Sara",...} in key order, for the export format.
  std::string export_traits(uint64_t profile_id) const;
  const ProfileData *find(uint64_t profile_id) const;

  // Live profiles changed since the last clear_changes(), in first-change order.
  std::vector<uint64_t> dirty() const;
  const std::set<uint64_t> &deleted() const { return deleted_; }
  void clear_changes();
  size_t size() const { return profiles_.size(); }
  std::vector<uint64_t> ids() const;

 private:
  ProfileData &touch(uint64_t id);
  ProfileMap<ProfileData> profiles_;
  // Ids whose `dirty` flag was set; may name profiles merged away since
  // (dirty() filters them). A vector: one push per profile per commit,
  // where a std::set cost a tree insert per event.
  std::vector<uint64_t> dirty_list_;
  std::set<uint64_t> deleted_;
};

}  // namespace halo
