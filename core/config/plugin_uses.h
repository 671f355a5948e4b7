// plugin_uses.h -- the `sources`, `features` and `destinations` lists: each
// entry names a plugin and carries its (not yet validated) config mapping.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "config/diagnostics.h"
#include "config/pipeline_config.h"

namespace halo {

enum class PluginRole { kSource, kFeature, kDestination };

// Reads the list `node` found under top-level key `key` (for messages).
// Reports a missing or empty list only when `required`.
std::vector<PluginUse> read_plugin_uses(const YAML::Node &node, const std::string &key,
                                        PluginRole role, bool required, const Mark &fallback,
                                        Diagnostics &diags);

}  // namespace halo
