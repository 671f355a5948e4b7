// local_calendar.h -- the days a customer lives by: the weekday of a local
// calendar day, which days are the weekend and which starts the week
// (Iran: the week starts on Saturday, the weekend is Thursday and Friday),
// and a day's date in the Gregorian or the Solar Hijri (Persian) calendar.
// Solar Hijri dates come from ICU's Persian calendar
// (https://unicode-org.github.io/icu/userguide/datetime/calendar/).
//
// Invariants: days count local calendar days from 1970-01-01 (a Thursday),
// negative before, as LocalClock gives them; weekday_of(d + 7) ==
// weekday_of(d).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::engagement {

enum class Weekday : uint8_t {
  kMonday,
  kTuesday,
  kWednesday,
  kThursday,
  kFriday,
  kSaturday,
  kSunday
};
constexpr int kWeekdays = 7;

Weekday weekday_of(int32_t day);
const char *weekday_name(Weekday d);  // "monday" .. "sunday"
// "Friday", "friday", "FRIDAY"; nullopt for anything else.
std::optional<Weekday> parse_weekday(std::string_view name);

// Which weekdays are the weekend, and which one starts the week (for
// ties: the earlier weekday in the week wins).
class Week {
 public:
  Week(Weekday first, const std::vector<Weekday> &weekend);
  bool weekend(Weekday d) const { return weekend_[static_cast<int>(d)]; }
  // 0 for the first day of the week .. 6 for the last.
  int position(Weekday d) const {
    return (static_cast<int>(d) - static_cast<int>(first_) + kWeekdays) % kWeekdays;
  }

 private:
  Weekday first_;
  std::array<bool, kWeekdays> weekend_{};
};

enum class CalendarKind { kGregorian, kPersian };
// "gregorian" or "persian"; nullopt for anything else.
std::optional<CalendarKind> parse_calendar(std::string_view name);

// A local day as "YYYY-MM-DD" in one calendar ("1403-04-10" for
// 2024-06-30 in the Persian calendar). Not thread-safe: one per builder.
class DateFormat {
 public:
  // Throws std::runtime_error when ICU cannot make the calendar.
  explicit DateFormat(CalendarKind kind);
  ~DateFormat();
  DateFormat(DateFormat &&) noexcept;
  std::string format(int32_t day) const;

 private:
  struct Persian;  // ICU's calendar (local_calendar.cpp)
  CalendarKind kind_;
  std::unique_ptr<Persian> persian_;  // for kPersian
};

}  // namespace halo::engagement
