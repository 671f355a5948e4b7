// trigger_config.h -- reading the pipeline file's `triggers:` section
// (docs/triggers.md) into PipelineConfig::triggers: names, the segment
// entry or exit a trigger starts on, its wait, condition, holdout and the
// message it sends, each checked for shape and range with the YAML
// position of what is wrong.
#pragma once

#include "config/diagnostics.h"
#include "config/map_reader.h"
#include "config/pipeline_config.h"

namespace halo {

void read_triggers(const MapReader &top, Diagnostics &diags, PipelineConfig &cfg);

}  // namespace halo
