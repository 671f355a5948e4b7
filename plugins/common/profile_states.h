// profile_states.h -- the per-profile state a feature builder keeps, with
// the bookkeeping every builder shares: restore from stored rows, merge two
// profiles, remember which changed, and save those. State is a value type
// with `static State decode(std::string_view)` (throwing on damage),
// `std::string encode() const` and a merge the builder passes in.
//
// Invariants: a profile merged away has no state and is never saved (the
// kernel drops its row); save_dirty() writes each changed profile once and
// forgets it.
#pragma once

#include <halo/sdk.hpp>

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

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
        states_[rows[i].profile_id] = State::decode(blob);
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
    State moved = std::move(src->second);
    states_.erase(src);
    fold(states_[into], moved);
    dirty_.erase(from);
    dirty_.insert(into);
  }

  void save_dirty(const StateWriter &w) {
    for (uint64_t id : dirty_) {
      auto it = states_.find(id);
      if (it == states_.end()) continue;  // merged away: the kernel drops its row
      const std::string blob = it->second.encode();
      w.write(id, blob.data(), blob.size());
    }
    dirty_.clear();
  }

  // The state to change for `profile` (created empty), marked for saving.
  State &touch(uint64_t profile) {
    dirty_.insert(profile);
    return states_[profile];
  }
  const State *find(uint64_t profile) const {
    auto it = states_.find(profile);
    return it == states_.end() ? nullptr : &it->second;
  }
  // Every profile's state, in no particular order (population steps).
  const std::unordered_map<uint64_t, State> &all() const { return states_; }

 private:
  std::string builder_;
  std::unordered_map<uint64_t, State> states_;
  std::unordered_set<uint64_t> dirty_;
};

}  // namespace halo::plugins
