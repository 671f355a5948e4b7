// send_time.cpp -- see send_time.h.
#include "pipeline/send_time.h"

#include <cctz/civil_time.h>

namespace halo {

int64_t next_local_time(int64_t after_ms, const cctz::time_zone &zone, int minute_of_day) {
  // Whole seconds: a std::chrono nanosecond clock would overflow past 2262.
  const int64_t after_s = after_ms / 1000 + (after_ms % 1000 > 0 ? 1 : 0);
  const cctz::time_point<cctz::seconds> after{cctz::seconds(after_s)};
  const cctz::civil_day today(cctz::convert(after, zone));
  // Today's reading may be past; tomorrow's is not (a day has at least one
  // reading of every time of day, or the instant that skips it).
  for (int day = 0; day < 3; ++day) {
    const cctz::civil_second local = cctz::civil_second(today + day) + minute_of_day * 60;
    const cctz::time_zone::civil_lookup l = zone.lookup(local);
    const auto at = l.kind == cctz::time_zone::civil_lookup::SKIPPED ? l.trans : l.pre;
    const int64_t at_ms = static_cast<int64_t>(at.time_since_epoch().count()) * 1000;
    if (at_ms >= after_ms) return at_ms;
  }
  return after_ms;  // not reached
}

bool in_local_span(int64_t at_ms, const cctz::time_zone &zone, int from_minute, int until_minute) {
  const cctz::time_point<cctz::seconds> at{cctz::seconds(at_ms / 1000 - (at_ms % 1000 < 0))};
  const cctz::civil_second local = cctz::convert(at, zone);
  const int minute = local.hour() * 60 + local.minute();
  return from_minute < until_minute ? minute >= from_minute && minute < until_minute
                                    : minute >= from_minute || minute < until_minute;
}

std::optional<cctz::time_zone> own_time_zone(const segment::Subject &profile) {
  const TypedValue *own = profile.value("features.time_zone");
  if (!own || own->kind() != TypedKind::kString) return std::nullopt;
  return find_time_zone(std::string(own->text()));
}

std::optional<cctz::time_zone> find_time_zone(const std::string &name) {
  cctz::time_zone zone;
  if (!cctz::load_time_zone(name, &zone)) return std::nullopt;
  return zone;
}

}  // namespace halo
