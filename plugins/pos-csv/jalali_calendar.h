// jalali_calendar.h -- Solar Hijri (Jalali/Persian) to Gregorian date
// conversion and the civil-day arithmetic used to apply UTC offsets.
//
// The conversion is the 33-year arithmetic cycle used by the widely
// deployed jdf library (jdf.scr.ir), which agrees with Iran's official
// calendar for the years tills produce (it gives 1403-01-01 = 2024-03-20,
// 1399-12-30 = 2021-03-20). Leap years follow the same cycle, so Esfand has
// 30 days exactly when the next year's Farvardin 1 is one day later.
//
// Invariants: every valid Jalali date of years 1..9377 maps to exactly one
// Gregorian date and consecutive days map to consecutive days; invalid
// dates (month 13, Esfand 30 in a common year, ...) are rejected.
#pragma once

#include <cstdint>

namespace halo::plugins {

struct CivilDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  bool operator==(const CivilDate &) const = default;
};

// Days in Jalali month `month` of `year` (0 for an invalid month).
int jalali_month_length(int year, int month);
// False when the Jalali date does not exist.
bool jalali_to_gregorian(CivilDate jalali, CivilDate &gregorian);

bool is_valid_gregorian(CivilDate date);
// Days since 1970-01-01 (proleptic Gregorian) and back (H. Hinnant's
// algorithms).
int64_t days_from_civil(CivilDate date);
CivilDate civil_from_days(int64_t days);

}  // namespace halo::plugins
