// profile_states.h -- the per-profile state a feature builder keeps, with
// the bookkeeping every builder shares: restore from stored rows, merge two
// profiles, remember which changed, and save those. State is a value type
// with `static State decode(std::string_view)` (throwing on damage),
// `std::string encode() const` and a merge the builder passes in.
//
// Invariants: a profile merged away has no state and is never saved (the
// kernel drops its row); save_dirty() writes each changed profile once and
// forgets it. A changed profile is marked in its own entry, so marking
// costs no second lookup (it runs for every event). States live in a
// ProfileMap (a paged array indexed by the kernel's dense profile ids): one
// cache miss a lookup instead of a hash map's two or three, and for_each
// visits profiles in ascending id order.
#pragma once

#include <halo/profile_map.hpp>
#include <halo/sdk.hpp>

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins {

template <class State>
class ProfileStates {
 public:
  explicit ProfileStates(std::string builder) : builder_(std::move(builder)) {}

  // Throws halo::Error naming the builder and the profile when a row does
  // not decode: the store is damaged and a rebuild recomputes it.
  void restore(const halo_state_row *rows, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      std::string_view blob(static_cast<const char *>(rows[i].data), rows[i].len);
      try {
        states_.get_or_create(rows[i].profile_id).state = State::decode(blob);
      } catch (const std::exception &e) {
        throw Error(builder_ + ": corrupt state for profile " + std::to_string(rows[i].profile_id) +
                    ": " + e.what() + "; run `halo rebuild` to recompute it from the event log");
      }
    }
  }

  // Moves `from`'s state into `into`'s with fold(State &into, const State &from).
  template <class Fold>
  void merge(uint64_t from, uint64_t into, Fold fold) {
    Entry *src = states_.find(from);
    if (src == nullptr) return;
    State moved = std::move(src->state);
    states_.erase(from);  // its id may stay in dirty_: save_dirty skips it
    fold(touch(into), moved);
  }

  void save_dirty(const StateWriter &w) {
    for (uint64_t id : dirty_) {
      Entry *e = states_.find(id);
      // Merged away (the kernel drops its row), or listed twice.
      if (e == nullptr || !e->dirty) continue;
      const std::string blob = e->state.encode();
      w.write(id, blob.data(), blob.size());
      e->dirty = false;
    }
    dirty_.clear();
  }

  // The state to change for `profile` (created empty), marked for saving.
  State &touch(uint64_t profile) {
    Entry &e = states_.get_or_create(profile);
    if (!e.dirty) {
      e.dirty = true;
      dirty_.push_back(profile);
    }
    return e.state;
  }
  // A touch() or find() of `profile` is coming (ProfileMap::prefetch;
  // always inlined for the same reason).
  [[gnu::always_inline]] void prefetch(uint64_t profile) const { states_.prefetch(profile); }
  const State *find(uint64_t profile) const {
    const Entry *e = states_.find(profile);
    return e == nullptr ? nullptr : &e->state;
  }
  // fn(profile id, state) for every profile, in ascending id order
  // (population steps).
  template <class Fn>
  void for_each(Fn fn) const {
    states_.for_each([&](uint64_t id, const Entry &e) { fn(id, e.state); });
  }

 private:
  struct Entry {
    State state;
    bool dirty = false;
  };
  std::string builder_;
  ProfileMap<Entry> states_;
  std::vector<uint64_t> dirty_;  // profiles marked since the last save
};

}  // namespace halo::plugins
