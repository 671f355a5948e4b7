// trait_path.h -- where an event carries a profile's traits (the Segment
// spec): `context.traits.NAME` on every event, and `traits.NAME` on an
// identify call (a track event's top-level `traits` is not the profile's).
// The normalizer checks declared trait kinds and the profile book reads
// traits by this one rule.
#pragma once

#include <string_view>

#include <halo/plugin.h>

namespace halo {

// The trait a field at `path` of an event of `type` sets ("address.city"
// for "context.traits.address.city"), or empty when it sets none.
inline std::string_view trait_name_at(halo_event_type type, std::string_view path) {
  constexpr std::string_view kContext = "context.traits.";
  constexpr std::string_view kTraits = "traits.";
  if (path.starts_with(kContext)) return path.substr(kContext.size());
  if (type == HALO_EVENT_IDENTIFY && path.starts_with(kTraits)) return path.substr(kTraits.size());
  return {};
}

}  // namespace halo
