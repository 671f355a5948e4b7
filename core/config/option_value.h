// option_value.h -- what a declared option accepts: one scalar checked
// against its halo_option_decl (type, bounds, allowed values), and the
// declaration itself checked for the plugin bugs that would make every
// config wrong (an unreadable default or bound, a default out of bounds).
//
// Invariants:
//  - DURATION and SIZE text is read only by halo/units.hpp (one parser for
//    the kernel, the command line and the SDK); INT, FLOAT and BOOL by
//    config/scalar_parse.h.
//  - Bounds are inclusive and compared exactly: integers as int64_t
//    (durations in ms, sizes in bytes), floats as double.
//  - Messages never quote a secret: values are shown with describe_node().
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/option_decls.h"

namespace halo {

// INT, DURATION (milliseconds) and SIZE (bytes) text as an integer;
// nullopt when `text` is not of that type (or type is not one of them).
std::optional<int64_t> option_integer(const std::string &text, halo_option_type type);

// True for the scalar types a YAML scalar must have.
bool option_is_scalar_type(halo_option_type type);

// "" when the scalar `value` is acceptable for `decl`, else the reason,
// e.g. "expected an integer, got 'ten'", "must be between 1 and 100, got
// '500'", "must be pull or webhook, got 'pul' (did you mean 'pull'?)".
std::string option_scalar_problem(const YAML::Node &value, const OptionDecl &decl);

// "" when `text` is one of decl.allowed (or nothing is declared), else the
// reason (used for STRING values and each STRING_LIST item).
std::string option_allowed_problem(const YAML::Node &value, const OptionDecl &decl);

// Mistakes in the declaration itself; empty for a sound one.
std::vector<std::string> option_decl_problems(const OptionDecl &decl);

// "1..100", "at least 1s", "at most 64MiB" or "" for `halo plugins --describe`.
std::string option_bounds_text(const OptionDecl &decl);

// "a, b or c" (quoted with '' when `quote`).
std::string or_list(const std::vector<std::string> &words, bool quote = false);

}  // namespace halo
