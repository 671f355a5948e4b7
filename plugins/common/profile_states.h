// profile_states.h -- the per-profile state a feature builder keeps, with
// the bookkeeping every builder shares: restore from stored rows, merge two
// profiles, remember which changed, and save those. State is a value type
// with `static State decode(std::string_view)` (throwing on damage),
// `std::string encode() const` and a merge the builder passes in.
//
// Invariants: a profile merged away has no state and is never saved (the
// kernel drops its row); save_dirty() writes each changed profile once and
// forgets it. A changed profile is marked in its own entry, so marking
// costs no second hash lookup (it runs for every event).
#pragma once

#include <halo/sdk.hpp>

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <unordered_map>
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
        states_[rows[i].profile_id].state = State::decode(blob);
      } catch (const std::exception &e) {
        throw Error(builder_ + ": corrupt state for profile " + std::to_string(rows[i].profile_id) +
                    ": " + e.what() + "; run `halo rebuild` to recompute it from the event log");
      }
    }
  }

  // Moves `from`'s state into `into`'s with fold(State &into, const State &from).
  template <class Fold>
  void merge(uint64_t from, uint64_t into, Fold fold) {
    auto src = states_.find(from);
    if (src == states_.end()) return;
    State moved = std::move(src->second.state);
    states_.erase(src);  // its id may stay in dirty_: save_dirty skips it
    fold(touch(into), moved);
  }

  void save_dirty(const StateWriter &w) {
    for (uint64_t id : dirty_) {
      auto it = states_.find(id);
      // Merged away (the kernel drops its row), or listed twice.
      if (it == states_.end() || !it->second.dirty) continue;
      const std::string blob = it->second.state.encode();
      w.write(id, blob.data(), blob.size());
      it->second.dirty = false;
    }
    dirty_.clear();
  }

  // The state to change for `profile` (created empty), marked for saving.
  State &touch(uint64_t profile) {
    Entry &e = states_[profile];
    if (!e.dirty) {
      e.dirty = true;
      dirty_.push_back(profile);
    }
    return e.state;
  }
  const State *find(uint64_t profile) const {
    auto it = states_.find(profile);
    return it == states_.end() ? nullptr : &it->second.state;
  }
  // fn(profile id, state) for every profile, in no particular order
  // (population steps).
  template <class Fn>
  void for_each(Fn fn) const {
    for (const auto &[id, e] : states_) fn(id, e.state);
  }

 private:
  struct Entry {
    State state;
    bool dirty = false;
  };
  std::string builder_;
  std::unordered_map<uint64_t, Entry> states_;
  std::vector<uint64_t> dirty_;  // profiles marked since the last save
};

}  // namespace halo::plugins
