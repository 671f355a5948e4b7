// option_path.h -- the option paths plugins use to read their config:
// dotted keys with [index] for list items, e.g. "columns.email",
// "aggregates[2].event", "list[0][1]"; ["key"] for a key that itself
// contains dots, e.g. mapping["context.traits.email"]; "" is the config.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace halo {

// A map key or a list index.
using PathStep = std::variant<std::string, size_t>;

// nullopt for malformed paths ("a..b", "a[x]", "a[", ".a", "a.").
std::optional<std::vector<PathStep>> parse_option_path(const std::string &path);

// Walks `steps` from `root` (read-only: never inserts). `walked` receives the
// nodes visited, root first, so callers can find the deepest existing one.
// Returns the node at the end, or an undefined node.
YAML::Node walk_option_path(const YAML::Node &root, const std::vector<PathStep> &steps,
                            std::vector<YAML::Node> *walked = nullptr);

}  // namespace halo
