// timestamp_order.h -- identity resolution as if every event had arrived in
// timestamp order (then log sequence): where an identity limit decides
// (the first user_id to reach a shared email keeps it), the earliest event
// wins, whatever order the sources delivered them in
// (docs/identity.md#arrival-order).
//
// Where no limit binds, the resolver's result does not depend on order at
// all: links and merges form connected components. So a run keeps
// resolving in arrival order and only checks (order_watch.cpp) whether an
// event that arrived after events with later timestamps met a limit; a
// rebuild (Pipeline::rebuild) resolves the log again in timestamp order
// when its own log-order pass cannot be trusted to give the same profiles.
//
// How a rebuild applies timestamp order and keeps the profile ids a run
// gives (ids follow the log, never timestamps):
//  1. A fresh instance of the resolver resolves the log's identifiers in
//     timestamp order (Pipeline::resolve_in_timestamp_order). Right after
//     an event, each of its identifiers either lives on the event's profile
//     (the event *used* it) or does not (a limit refused it).
//  2. The log is resolved again in log order, each event without the
//     identifiers step 1 did not use, and with the limits lifted; an event
//     whose identifiers step 1 left on several profiles is followed by a
//     link-only event per other profile (kJoinSource: resolved, never
//     stored or applied), so merges the event made between other profiles
//     happen too. The profiles are then the connected components of what
//     step 1 joined, which are exactly its profiles, and never break a
//     limit.
//     Profile ids, merges and link events come out as a run in log order
//     gives them.
//  3. The links step 1 refused are recorded as its resolver reported
//     them, each profile named by the profile of step 2 that holds the same
//     identifiers; links keep the time step 1 gave them (a window counts
//     those).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "event/event.h"
#include "plugin_host/host_api.h"

namespace halo {

// The source of step 2's link-only events (no pipeline source has it).
inline constexpr std::string_view kJoinSource = "(timestamp order: join)";

// An identifier as one string: its type, a NUL, its value; the second
// form writes it into `out` (a reused buffer), the third reads one back
// (views into `key`).
std::string identifier_key(std::string_view type, std::string_view value);
void identifier_key(std::string_view type, std::string_view value, std::string &out);
Identifier split_identifier_key(std::string_view key);

// Appends to `batch` a link-only event: `like` (its type, sequence and
// times) from kJoinSource, without fields, holding `ids` (views that must
// outlive the batch). The resolver merges and links by it; it is never
// stored or applied.
void append_link_only(EventBatch &batch, Event like, std::span<const Identifier> ids);

struct TimestampOrder {
  struct Link {
    uint64_t profile = 0;  // step 1's profile, merges followed to the end
    int64_t at_ms = 0;     // timestamp of the event that made it in step 1
  };
  struct RefusedLink {
    uint64_t sequence = 0;
    std::string type, value;
    uint64_t profile = 0, event_profile = 0;  // step 1's ids at the time
    std::string reason;
  };
  // Every identifier step 1 linked (identifier_key).
  std::unordered_map<std::string, Link> links;
  // Per log sequence: the identifiers the event did not use (identifier_key).
  std::unordered_map<uint64_t, std::vector<std::string>> unused;
  // Per log sequence: groups of its unused identifiers that live on one
  // profile of step 1 other than the event's (the event merged their
  // profiles, or they were one already). Step 2 joins each group with a
  // link-only event right after the event.
  std::unordered_map<uint64_t, std::vector<std::vector<std::string>>> joins;
  std::vector<RefusedLink> refused;  // in the order step 1 made them
  // Step 1's merges: a merged-away profile -> the profile it lives on.
  std::unordered_map<uint64_t, uint64_t> merged_into;

  // The profile `id` of step 1 lives on after every merge.
  uint64_t live(uint64_t id) const;
  // Gives each link the time step 1 gave it.
  void retime(std::vector<ResolutionOut::Link> &made) const;
};

// `reason` with every profile id it names ("profile N", "profiles N and M",
// as resolvers word their refusals) replaced by renumber(N); ids renumber
// does not know are kept.
std::string renumber_profiles(std::string_view reason,
                              const std::function<std::optional<uint64_t>(uint64_t)> &renumber);

}  // namespace halo
