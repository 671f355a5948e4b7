// deadletter_filter.cpp -- see deadletter_filter.h.
#include "cli/deadletter_filter.h"

#include <halo/units.hpp>

#include <charconv>
#include <limits>

#include "common/iso_time.h"

namespace po = boost::program_options;

namespace halo::cli {

void add_dead_letter_filter_options(po::options_description &desc, DeadLetterFilterOptions &o) {
  desc.add_options()("source", po::value(&o.source)->value_name("NAME"),
                     "only dead letters of this pipeline source")(
      "reason", po::value(&o.reason)->value_name("REASON"),
      "only this reason code (e.g. malformed_json, invalid_utf8)")(
      "stage", po::value(&o.stage)->value_name("STAGE"),
      "only this stage: source, parse, validate, identifier, resolve or feature")(
      "since", po::value(&o.since)->value_name("TIME"),
      "only dead letters written at or after TIME: ISO 8601 (2026-11-30T08:00:00Z) or a "
      "duration back from now (90s, 30m, 24h, 7d, 2w)")(
      "limit", po::value(&o.limit)->value_name("N"), "at most N dead letters (the oldest first)");
}

Result<int64_t> parse_since_ms(const std::string &since, int64_t now_ms) {
  if (std::optional<int64_t> back = parse_duration_ms(since)) return now_ms - *back;
  if (std::optional<int64_t> at = parse_iso8601_ms(since)) return *at;
  return Status::Invalid("--since '" + since +
                         "' is neither an ISO 8601 time (2026-11-30T08:00:00Z) nor a duration "
                         "such as 90s, 30m, 24h, 7d or 2w");
}

Result<DeadLetterFilter> make_dead_letter_filter(const DeadLetterFilterOptions &o, int64_t now_ms) {
  DeadLetterFilter f;
  f.source = o.source;
  f.reason = o.reason;
  f.stage = o.stage;
  if (!o.since.empty()) {
    auto since = parse_since_ms(o.since, now_ms);
    if (!since.ok()) return since.status();
    f.since_ms = *since;
  }
  if (!o.limit.empty()) {
    uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(o.limit.data(), o.limit.data() + o.limit.size(), n);
    if (ec != std::errc() || ptr != o.limit.data() + o.limit.size() || n == 0 ||
        n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Status::Invalid("--limit takes a positive whole number, not '" + o.limit + "'");
    }
    f.limit = n;
  }
  return f;
}

}  // namespace halo::cli
