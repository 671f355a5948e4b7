// profile_change.h -- one entry of the store's change log: which profile a
// commit changed and how.
//
// Invariants:
//  - Sequences start at 1 and grow by one per entry, in commit order; an
//    entry is written in the same transaction as the change it describes,
//    so the log never names a change that was not committed, and never
//    misses one that was.
//  - One entry per profile per commit: `kinds` ORs every way the commit
//    changed it.
//  - A kMerged entry names the surviving profile in `merged_into`; the
//    profile itself no longer exists after that entry.
#pragma once

#include <cstdint>

namespace halo {

enum ChangeKind : uint32_t {
  kChangeCreated = 1u << 0,       // the profile was created by this commit
  kChangeMerged = 1u << 1,        // merged into `merged_into` and gone
  kChangeTraits = 1u << 2,        // traits or last activity changed
  kChangeFeatureState = 1u << 3,  // a feature builder's state changed
  kChangeFeatures = 1u << 4,      // emitted feature values changed
  kChangeSegments = 1u << 5,      // segment memberships changed (since schema 13)
};
// Every kind a store may hold; anything else is a damaged row.
inline constexpr uint32_t kChangeKindsKnown = (1u << 6) - 1;

struct ProfileChange {
  uint64_t sequence = 0;
  uint64_t profile_id = 0;
  uint32_t kinds = 0;        // ChangeKind bits
  uint64_t merged_into = 0;  // set with kChangeMerged, else 0
  int64_t at_ms = 0;         // commit time (wall clock)
};

}  // namespace halo
