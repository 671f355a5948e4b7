// events_config.h -- the `events:` section: the pipeline's tracking plan,
// the events it knows and the kinds of their properties (docs/pipeline.md
// "Event schemas"). The normalizer leaves a property of another kind out of
// its event; `halo validate` checks the events segments and triggers name.
#pragma once

#include <optional>
#include <string>

#include "config/diagnostics.h"
#include "config/map_reader.h"
#include "config/pipeline_config.h"

namespace halo {

// The kind `text` names (number, text, bool or time: what a trait under
// `traits:` or a property under `events:` may be declared to hold), or
// nullopt after reporting at `mark` and `path` that it names none.
std::optional<TraitKind> declared_kind(const std::string &text, const Mark &mark,
                                       const std::string &path, Diagnostics &diags);

// Reads `events: { NAME: { properties: { PROPERTY: KIND } } }` (may be
// absent) into cfg.events. PROPERTY is a key or a dotted path of keys
// (shipping.city), `[]` after a key naming a list's elements
// (products[].sku, tags[]); one lying inside another declared one, or two
// giving one key different shapes (list or not), are refused.
void read_events(const MapReader &top, Diagnostics &diags, PipelineConfig &cfg);

}  // namespace halo
