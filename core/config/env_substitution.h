// env_substitution.h -- ${VAR} substitution in pipeline files, so secrets
// and per-host values stay out of the YAML.
//
// Grammar, applied to every scalar value (never to keys):
//   ${NAME}           the variable's value; an error when it is not set
//   ${NAME:-default}  the value, or `default` when unset or empty (as in sh)
//   $${               a literal "${"
// NAME is [A-Za-z_][A-Za-z0-9_]*. Substituted text is not scanned again.
//
// Invariant: substitution happens in place on the parsed tree, so every node
// keeps its file position for later error messages.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <string>

#include "common/status.h"

namespace halo {

// Looks up one environment variable; nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string &)>;

// The real process environment (getenv).
EnvLookup process_env();

// Expands one string. On error the message names the problem, the fix and
// the character offset of a malformed reference within the value, but never
// quotes the value (it may hold a secret); the caller adds file:line:col
// and the key path.
// Tag set on every scalar whose value came (at least partly) from the
// environment, so later checks can tell `${WC_SECRET}` from a literal.
inline constexpr const char *kEnvSubstitutedTag = "!halo/env";

// Default bound on one expanded string: the expanded-text budget of a
// pipeline file (yaml_limits.h, kMaxYamlExpandedBytes).
inline constexpr size_t kMaxSubstitutedBytes = size_t{16} << 20;

// The result is at most `max_size` bytes (an error past that: a few short
// references to a long variable must not build a string without end).
Result<std::string> substitute_env(const std::string &text, const EnvLookup &env,
                                   size_t max_size = kMaxSubstitutedBytes);

// Expands every scalar value under `root` in place. Errors are reported as
// "file:line:col: key.path: message", one per line, all of them at once.
// The walk follows aliases within a WalkBudget (yaml_limits.h): past
// kMaxYamlNodes nodes, kMaxYamlDepth levels (a cyclic alias graph) or
// kMaxYamlExpandedBytes of text after substitution it stops with an error.
Status substitute_env_in_tree(YAML::Node root, const std::string &file, const EnvLookup &env);

}  // namespace halo
