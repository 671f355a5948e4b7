// trigger_actions.h -- what a trigger's `set_trait` and `add_tag` actions
// write (docs/triggers.md, "Actions").
//
// An action is an identify event appended to the event log, so the log
// stays the source of truth: `halo rebuild` replays it like any other
// event and gives the profile the same traits. Its source is
// "trigger:NAME" (a source's own name cannot hold ':'), its message id the
// fire's idempotency key with the part number, its timestamp the fire's
// due time, and it reaches the profile through the profile's strongest
// identifier (lowest priority number) at that identifier's first
// configured path that is not itself a trait.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/pipeline_config.h"
#include "profile/profile_export.h"

namespace halo {

inline constexpr std::string_view kActionSourcePrefix = "trigger:";

inline bool is_action_source(std::string_view source) {
  return source.starts_with(kActionSourcePrefix);
}

// The events (JSON, as they are logged) carrying `t`'s actions to
// `profile`, fired at `at_ms` under the idempotency key `key`: one with
// every set_trait, then one per tag (the `tags` trait keeps each value an
// event offers). Empty when `t` has no actions or the profile holds no
// identifier the pipeline reads (nothing could carry them to it).
std::vector<std::string> trigger_action_events(const PipelineConfig &config,
                                               const PipelineConfig::Trigger &t,
                                               const ProfileExport &profile, const std::string &key,
                                               int64_t at_ms);

}  // namespace halo
