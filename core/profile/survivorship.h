// survivorship.h -- how a profile picks a trait's value among the values its
// events (and merged profiles) offer, per trait name (pipeline `traits:`).
//
// Every rule is a total order on (source priority, event timestamp, log
// sequence), a set union or a count, so the result depends only on which
// events a profile has seen -- not on their arrival order, batch boundaries
// or the order of merges -- and `halo rebuild` reproduces it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace halo {

enum class Survivorship : uint8_t {
  // The default: a source with a stronger (lower) priority wins, then the
  // latest event (timestamp, then log sequence).
  kSourcePriority,
  kMostRecent,  // the latest event wins, whatever its source
  kFirstSeen,   // the earliest event wins, whatever its source
  kAll,         // every distinct value is kept: a list of strings, sorted
  // The value the most events offered; a tie goes to the value offered
  // latest (timestamp, then log sequence). Appended: the enum's order is
  // not stored, but keep it anyway.
  kMostFrequent,
};

// kAll keeps at most this many values: the smallest, bytewise (so which
// ones does not depend on arrival order). kMostFrequent counts at most this
// many distinct values per trait: a new value then takes the place of the
// least offered one (fewest events, then offered earliest), so with more
// distinct values than this the result can depend on arrival order.
inline constexpr size_t kMaxKeptValues = 100;

// What "later" means in every rule: the event timestamp, then the log
// sequence (one per event, so offers of two events never tie).
inline bool offered_later(int64_t timestamp_ms, uint64_t sequence, int64_t other_timestamp_ms,
                          uint64_t other_sequence) {
  return timestamp_ms != other_timestamp_ms ? timestamp_ms > other_timestamp_ms
                                            : sequence > other_sequence;
}

inline constexpr std::array<std::pair<std::string_view, Survivorship>, 5> kSurvivorshipNames = {{
    {"source_priority", Survivorship::kSourcePriority},
    {"most_recent", Survivorship::kMostRecent},
    {"first_seen", Survivorship::kFirstSeen},
    {"all", Survivorship::kAll},
    {"most_frequent", Survivorship::kMostFrequent},
}};

inline std::optional<Survivorship> survivorship_from_name(std::string_view name) {
  for (const auto &[text, rule] : kSurvivorshipNames) {
    if (text == name) return rule;
  }
  return std::nullopt;
}

}  // namespace halo
