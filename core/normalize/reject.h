// reject.h -- helpers that fill a Rejection (private to core/normalize):
// one place for the wording of reasons so dead letters read consistently.
//
// Invariants: `why` may be null (the caller does not want details); the
// reason is always one of the codes in normalizer.h's `rejection`.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "normalize/normalizer.h"

namespace halo {

void reject(Rejection *why, std::string_view reason, std::string message);

// "object", "array", "number", "string", "boolean", "null".
std::string_view json_type_name(simdjson::ondemand::json_type t);

}  // namespace halo
