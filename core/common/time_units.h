// time_units.h -- lengths of time in milliseconds, the unit of every
// timestamp and duration inside Halo.
#pragma once

#include <cstdint>

namespace halo {

inline constexpr int64_t kSecondMs = 1'000;
inline constexpr int64_t kMinuteMs = 60 * kSecondMs;
inline constexpr int64_t kHourMs = 60 * kMinuteMs;
inline constexpr int64_t kDayMs = 24 * kHourMs;

}  // namespace halo
