// mapping_config.h -- reads the `mapping` option through the host's option
// accessors and compiles it into a RecordMapping.
//
// Accepted YAML shapes for one target:
//   context.traits.email: email                 (flat dotted target)
//   context: { traits: { email: email } }       (nested target groups)
//   properties.total: { from: total, as: number, default: "0" }
// A nested map is a full spec when it has any of the keys from, value, as,
// map, default, required; otherwise it is a group of targets.
//
// Invariants: every problem is thrown as halo::ConfigError with the option
// path of the offending entry, so the kernel prints its YAML line.
#pragma once

#include "common/record_mapping.h"

#include <halo/sdk.hpp>

#include <optional>
#include <string>

namespace halo::plugins {

// The option path of `key` under `parent`. Keys containing '.' or '[' use
// the quoted form parent["key"] (see README: needs host support).
std::string child_option_path(const std::string &parent, const std::string &key);

// nullopt when the option is absent.
std::optional<RecordMapping> read_mapping(const halo::Host &host, const std::string &option);

}  // namespace halo::plugins
