// limits_config.h -- the `limits:` section of the pipeline file: the
// per-record limits of normalize/limits.h (EventLimits), each optional,
// each an integer within its documented range (docs/pipeline.md).
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/diagnostics.h"
#include "config/pipeline_config.h"

namespace halo {

// Reads `limits` (may be undefined or null) into cfg.limits; a bad value is
// reported at its file:line:col and leaves that limit at its default.
void read_limits(const YAML::Node &node, const Mark &fallback, Diagnostics &diags,
                 PipelineConfig &cfg);

}  // namespace halo
