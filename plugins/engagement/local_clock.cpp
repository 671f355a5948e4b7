// local_clock.cpp -- see local_clock.h.
#include "local_clock.h"

#include <cctz/civil_time.h>
#include <dlfcn.h>

#include <chrono>
#include <stdexcept>

#include "common/time_text.h"

namespace halo::engagement {

namespace {

const cctz::civil_day kEpochDay(1970, 1, 1);

// CCTZ caches every zone it loads for the life of the process and never
// frees it. Unloading this plugin would unload libcctz with it and orphan
// that cache (memory nobody can free, a leak under LeakSanitizer): the
// library is pinned (RTLD_NODELETE) the first time a clock is made.
void pin_cctz() {
  static const bool pinned = [] {
    Dl_info info;
    if (dladdr(reinterpret_cast<void *>(&cctz::utc_time_zone), &info) == 0 ||
        info.dli_fname == nullptr) {
      return false;
    }
    return dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) != nullptr;
  }();
  (void)pinned;
}

}  // namespace

LocalClock::LocalClock(const std::string &zone) {
  pin_cctz();
  if (!cctz::load_time_zone(zone, &zone_)) {
    throw std::invalid_argument("unknown time zone '" + zone +
                                "'; use an IANA name such as Asia/Tehran or UTC");
  }
}

LocalTime LocalClock::at(int64_t epoch_ms) const {
  // Whole seconds: a std::chrono nanosecond clock would overflow past 2262.
  const cctz::time_point<cctz::seconds> t(cctz::seconds(plugins::floor_div(epoch_ms, 1000)));
  const cctz::civil_second local = cctz::convert(t, zone_);
  LocalTime out;
  out.day = static_cast<int32_t>(cctz::civil_day(local) - kEpochDay);
  out.hour = local.hour();
  return out;
}

int64_t LocalClock::start_of_day(int64_t day) const {
  const cctz::civil_second midnight(kEpochDay + day);
  // The first instant of the day: the transition when one skips midnight
  // (the day starts at 01:00), the earlier reading when midnight repeats.
  const cctz::time_zone::civil_lookup l = zone_.lookup(midnight);
  const auto first = l.kind == cctz::time_zone::civil_lookup::SKIPPED ? l.trans : l.pre;
  return static_cast<int64_t>(first.time_since_epoch().count()) * 1000;
}

}  // namespace halo::engagement
