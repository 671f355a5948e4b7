// identity_config.h -- the `identity:` section: resolver plugin and the
// identifier rules, with the documented defaults.
#pragma once

#include <yaml-cpp/yaml.h>

#include <vector>

#include "config/diagnostics.h"
#include "config/pipeline_config.h"

namespace halo {

// The identifiers used when the file has no `identity.identifiers`.
std::vector<IdentifierSpec> default_identifiers();

// Default event paths for an identifier type.
std::vector<std::string> default_identifier_paths(const std::string &type);

// Reads `identity` (may be undefined) into cfg.resolver, resolver_config,
// resolver_mark and identifiers. `fallback` is the mark to use when the
// section is absent.
void read_identity(const YAML::Node &node, const Mark &fallback, Diagnostics &diags,
                   PipelineConfig &cfg);

}  // namespace halo
