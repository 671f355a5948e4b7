// test_env.h -- an EnvLookup over a fixed map, so tests never depend on (or
// change) the process environment.
#pragma once

#include <map>
#include <string>

#include "config/env_substitution.h"

namespace halo::testing {

inline EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string &name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace halo::testing
