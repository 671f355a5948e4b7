// event_plan_check.h -- what `halo validate` (and every run) checks against
// a pipeline's declared kinds: the typed kind a declared trait or property
// kind is read as, and, when the pipeline declares `events:`, that every
// event its segments and triggers name is declared, and that what they read
// of an event's properties is declared with a kind that can pass.
#pragma once

#include <optional>
#include <vector>

#include "config/pipeline_config.h"
#include "normalize/trait_kind.h"
#include "pipeline/pipeline_setup.h"
#include "profile/typed_value.h"

namespace halo {

// The kind a value declared `kind` has in profiles and events (a time is
// kept as its ISO 8601 text).
TypedKind typed_kind_of(TraitKind kind);

// With `events:` declared, one problem per event name a segment or trigger
// uses (count/sum/did, `on.event`, `unless.event`) that is not declared
// (with a suggestion), per sum/avg/min/max over a property an event
// declaring properties does not declare or does not declare a number, and
// per test of a trigger's `on.where` on a declared property its kind can
// never pass. Without `events:`, nothing. Segments and triggers that did
// not parse are reported already.
void check_declared_events(const PipelineConfig &config, const PluginInstances &out,
                           std::vector<SetupProblem> &problems);

}  // namespace halo
