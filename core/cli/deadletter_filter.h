// deadletter_filter.h -- the filter options `halo deadletters` and
// `halo deadletters replay` share: --source, --reason, --stage, --since and
// --limit, turned into a store DeadLetterFilter (filtering happens in SQL).
//
// --since takes an ISO 8601 time (common/iso_time.h) or a duration back
// from now, parsed by halo/units.hpp like every duration ("24h", "7d").
// Anything else is a usage error naming the value; nothing is guessed.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "store/store.h"

namespace halo::cli {

struct DeadLetterFilterOptions {
  std::string source, reason, stage, since, limit;
};

void add_dead_letter_filter_options(boost::program_options::options_description &desc,
                                    DeadLetterFilterOptions &o);

// A --since value as milliseconds since the epoch: an ISO 8601 time, or a
// duration back from `now_ms`; Invalid naming the value otherwise.
Result<int64_t> parse_since_ms(const std::string &since, int64_t now_ms);

// The filter, or an error message for a bad --since or --limit. `now_ms`
// anchors relative --since values.
Result<DeadLetterFilter> make_dead_letter_filter(const DeadLetterFilterOptions &o, int64_t now_ms);

}  // namespace halo::cli
