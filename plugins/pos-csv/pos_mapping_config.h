// pos_mapping_config.h -- reads the pos-csv `mapping` option (the
// file-csv spec language plus the POS conversion keys) into a PosMapping.
//
// Keys of a full spec: from, value, as, map, default, required (as in
// plugins/common/mapping_config.h), and
//   as: date   -> calendar (gregorian|jalali), format (iso or a %-pattern),
//                 timezone_offset ("+03:30")
//   as: money  -> unit (rial|toman; alias currency_unit), output_unit
//                 (rial|toman, default rial when unit is set),
//                 decimal_separator ("." or ","), refund_sign (bool)
//
// Invariants: every problem is a halo::ConfigError whose path is the
// offending entry (mapping.timestamp.calendar, ...), with the fix in the
// message; a date/money key on another kind of field is an error, not
// silently ignored.
#pragma once

#include "pos_mapping.h"

#include <halo/sdk.hpp>

#include <optional>
#include <string>

namespace halo::plugins {

// The mapping at `option`; throws ConfigError when absent or invalid.
PosMapping read_pos_mapping(const halo::Host &host, const std::string &option,
                            const std::optional<std::string> &refund_event);

}  // namespace halo::plugins
