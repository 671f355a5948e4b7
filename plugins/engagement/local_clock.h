// local_clock.h -- timestamps as a customer lives them: the local day and
// hour in a time zone of the IANA database (through CCTZ, which reads the
// system's zoneinfo), daylight saving and historical offsets included (Iran
// kept summer time until 2022).
//
// Invariants: day() counts local calendar days from 1970-01-01 (negative
// before); start_of_day(day(t)) <= t < start_of_day(day(t) + 1).
#pragma once

#include <cctz/time_zone.h>

#include <cstdint>
#include <string>

namespace halo::engagement {

struct LocalTime {
  int32_t day = 0;  // local calendar days since 1970-01-01
  int hour = 0;     // 0..23
};

class LocalClock {
 public:
  // Throws std::invalid_argument for a name the zone database does not have.
  explicit LocalClock(const std::string &zone);
  LocalTime at(int64_t epoch_ms) const;
  // The UTC time (ms) at which local day `day` begins.
  int64_t start_of_day(int64_t day) const;

 private:
  cctz::time_zone zone_;
};

}  // namespace halo::engagement
