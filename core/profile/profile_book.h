// profile_book.h -- the in-memory working set of profiles: traits with their
// last-write-wins metadata, last activity, and which profiles changed since
// the last commit.
//
// Trait rule (survivorship.h), per trait name: by default a value from a
// source with a stronger priority (lower number) wins and among equal
// priorities the later (timestamp, log sequence) wins; a trait may instead
// keep the most recent or the first seen value whatever the source, all
// distinct values, or the value most events offered. Because every order
// key includes the log sequence (a kept set is sorted, a tally counts), the
// result depends only on the set of events a profile has seen, not on batch
// boundaries or merge order -- which is what makes `halo rebuild` equal to
// the incremental run.
//
// A most_frequent trait keeps its tally (each value offered, how many
// events offered it, the latest of them) beside the profile, in the stored
// form too (typed_codec.h format 2); a merge adds the tallies.
//
// Traits come from `traits.*` of identify events and `context.traits.*` of
// every event; nested objects are kept as dotted keys ("address.city").
// Values are typed (typed_value.h) and carry their provenance (source
// name, event time); JSON is rendered only at export.
//
// Memory: a profile is a 16-byte record in a paged array (profile_pages.h)
// plus, when it has traits, one block of 48-byte traits sorted by name
// (trait_list.h), each with its name and source interned in the book's
// NameTable and its value in 16 bytes (typed_value.h). A profile without
// traits owns no heap block; which profiles changed is a bit per record.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "event/event.h"
#include "profile/name_table.h"
#include "profile/profile_pages.h"
#include "profile/survivorship.h"
#include "profile/trait_list.h"
#include "profile/typed_value.h"

namespace halo {

// The trait a field of event `e` sets ("address.city" for
// "context.traits.address.city"), or empty when the field is not a trait.
std::string_view trait_key(const Event &e, std::string_view path);

class ProfileBook {
 public:
  // `rules`: survivorship per trait name; others use kSourcePriority.
  explicit ProfileBook(const std::map<std::string, Survivorship> &rules = {});

  void apply_event(uint64_t profile_id, const EventBatch &batch, size_t i, int source_priority);
  // Folds `from` into `into`; `from` is marked deleted.
  void merge(uint64_t from, uint64_t into);
  // Marks the profile changed, so that it is stored and exported again,
  // when what changed is not in the book: an identifier linked to it
  // without an event of it (a reattached identifier). Creates an empty
  // record for an id not in the book.
  void mark_changed(uint64_t profile_id) { touch(profile_id); }

  // Persistence: the stored form (typed_codec.h) keeps the LWW metadata
  // and provenance. load() refuses a malformed row with Corruption.
  std::string stored_traits(uint64_t profile_id) const;
  Status load(uint64_t profile_id, std::string_view stored_traits, int64_t updated_at_ms);

  // The traits in name order, for the export format and destinations.
  NamedValues export_traits(uint64_t profile_id) const;
  // One trait's value, or null when the profile or trait does not exist.
  const TypedValue *trait(uint64_t profile_id, std::string_view name) const;
  const ProfileData *find(uint64_t profile_id) const;
  // The profile is looked up a few events from now (ProfilePages::prefetch,
  // always inlined as it is).
  [[gnu::always_inline]] void prefetch(uint64_t profile_id) const {
    profiles_.prefetch(profile_id);
  }
  std::string_view name(uint32_t id) const { return names_.name(id); }

  // Live profiles changed since the last clear_changes(), ascending by id.
  std::vector<uint64_t> dirty() const;
  const std::set<uint64_t> &deleted() const { return deleted_; }
  void clear_changes();
  size_t size() const { return profiles_.size(); }
  std::vector<uint64_t> ids() const;
  // Heap bytes held for the profiles: records, trait blocks, the values'
  // out-of-line texts and the deleted set. Excludes the name table, which
  // grows with distinct names, not with profiles. Walks every profile.
  size_t memory_bytes() const;

 private:
  // The values one most_frequent trait was offered.
  struct TallyEntry {
    TypedValue value;
    uint64_t times = 0;
    uint32_t source = 0;  // of the latest offer
    int64_t timestamp_ms = 0;
    uint64_t sequence = 0;
    bool later_than(const TallyEntry &o) const;
    bool beats(const TallyEntry &o) const;  // more offers, then later
  };
  struct TraitTally {
    uint32_t name = 0;
    std::vector<TallyEntry> entries;
  };
  // Trait `name`'s tally in profile `id` (created empty when missing; a
  // reference into tallies_, valid until the next tally_of).
  TraitTally &tally_of(uint64_t id, uint32_t name);
  static void add_offer(TraitTally &tally, TallyEntry &&offer);
  // Sets the trait to the tally's winner (most offers, then offered later).
  void set_winner(ProfileData &p, const TraitTally &tally);
  ProfileData &touch(uint64_t id);
  // Position of `name` in p.traits, or where it would be inserted.
  Trait *lower_bound(ProfileData &p, std::string_view name);
  void offer(ProfileData &p, Trait &&candidate);
  Survivorship rule_for(uint32_t name) const;
  NameTable names_;
  std::unordered_map<uint32_t, Survivorship> rules_;  // by interned trait name
  ProfilePages profiles_;                             // with a dirty bit per profile
  std::set<uint64_t> deleted_;
  // Profiles with a most_frequent trait: its tally, by trait.
  std::unordered_map<uint64_t, std::vector<TraitTally>> tallies_;
};

}  // namespace halo
