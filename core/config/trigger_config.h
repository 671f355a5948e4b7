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
// `templates:` (docs/messages.md): unique plain names, each with at least
// one of subject, text and html (each at most 64 KiB); at most 1,000. Their
// Mustache text is checked where templates are compiled
// (delivery/message_template.h).
void read_templates(const MapReader &top, Diagnostics &diags, PipelineConfig &cfg);

}  // namespace halo
