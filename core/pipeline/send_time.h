// send_time.h -- when a trigger's wait ends (docs/triggers.md, "Waits"):
// after its duration, then at the next local time of day it names, in an
// IANA time zone (CCTZ over the system's tzdata); and whether a moment
// falls in a destination's quiet hours (docs/messages.md).
#pragma once

#include <cctz/time_zone.h>

#include <cstdint>
#include <optional>
#include <string>

#include "segment/segment_expr.h"

namespace halo {

// The first instant at or after `after_ms` (Unix ms) whose wall-clock time
// in `zone` is `minute_of_day` (0 .. 1439) minutes past local midnight. A
// time a clock change skips that day is the instant the clocks jump; one
// it repeats is its earlier reading.
int64_t next_local_time(int64_t after_ms, const cctz::time_zone &zone, int minute_of_day);

// Whether the wall clock of `zone` at `at_ms` reads a time in [from, until)
// (minutes of the day; the span wraps midnight when until < from).
bool in_local_span(int64_t at_ms, const cctz::time_zone &zone, int from_minute, int until_minute);

// The zone a profile's local times are meant in: its `features.time_zone`
// (as the engagement builder emits it) when tzdata knows that name;
// nullopt otherwise (the caller's default applies).
std::optional<cctz::time_zone> own_time_zone(const segment::Subject &profile);

// The IANA zone `name` ("Asia/Tehran", "UTC"); nullopt when tzdata has none
// by that name. CCTZ caches zones for the life of the process.
std::optional<cctz::time_zone> find_time_zone(const std::string &name);

}  // namespace halo
