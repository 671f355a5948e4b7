// local_calendar.cpp -- see local_calendar.h.
#include "local_calendar.h"

#include <unicode/calendar.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>
#include <unicode/uclean.h>

#include <cctype>
#include <stdexcept>

#include "common/time_text.h"

namespace halo::engagement {

namespace {

// ICU keeps caches (locale data, the calendar service) for the life of the
// process; a plugin whose library is unloaded must hand them back or they
// leak (https://unicode-org.github.io/icu/userguide/icu4c/build.html, on
// u_cleanup and plugins). Runs when this library is unloaded, after every
// instance -- and so every Calendar -- is gone; nothing else in Halo links
// ICU.
struct IcuCleanup {
  ~IcuCleanup() { u_cleanup(); }
} icu_cleanup;

constexpr const char *kNames[kWeekdays] = {"monday", "tuesday",  "wednesday", "thursday",
                                           "friday", "saturday", "sunday"};

bool same_letters(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != lower[i]) return false;
  }
  return true;
}

}  // namespace

Weekday weekday_of(int32_t day) {
  // 1970-01-01 was a Thursday (3 days after a Monday).
  const int64_t shifted = int64_t{day} + 3;
  return static_cast<Weekday>(((shifted % kWeekdays) + kWeekdays) % kWeekdays);
}

const char *weekday_name(Weekday d) {
  return kNames[static_cast<int>(d)];
}

std::optional<Weekday> parse_weekday(std::string_view name) {
  for (int d = 0; d < kWeekdays; ++d) {
    if (same_letters(name, kNames[d])) return static_cast<Weekday>(d);
  }
  return std::nullopt;
}

Week::Week(Weekday first, const std::vector<Weekday> &weekend) : first_(first) {
  for (Weekday d : weekend) weekend_[static_cast<int>(d)] = true;
}

std::optional<CalendarKind> parse_calendar(std::string_view name) {
  if (same_letters(name, "gregorian")) return CalendarKind::kGregorian;
  if (same_letters(name, "persian")) return CalendarKind::kPersian;
  return std::nullopt;
}

struct DateFormat::Persian {
  std::unique_ptr<icu::Calendar> calendar;
};

DateFormat::DateFormat(CalendarKind kind) : kind_(kind) {
  if (kind != CalendarKind::kPersian) return;
  UErrorCode status = U_ZERO_ERROR;
  // In GMT: a local day is a civil date, converted at its noon.
  std::unique_ptr<icu::Calendar> calendar(icu::Calendar::createInstance(
      icu::TimeZone::getGMT()->clone(), icu::Locale("en@calendar=persian"), status));
  if (U_FAILURE(status) || calendar == nullptr) {
    throw std::runtime_error(std::string("ICU has no Persian calendar: ") + u_errorName(status));
  }
  persian_ = std::make_unique<Persian>(Persian{std::move(calendar)});
}

DateFormat::~DateFormat() = default;
DateFormat::DateFormat(DateFormat &&) noexcept = default;

std::string DateFormat::format(int32_t day) const {
  const int64_t noon_ms = int64_t{day} * plugins::kDayMs + plugins::kDayMs / 2;
  if (kind_ == CalendarKind::kGregorian) return plugins::format_iso8601(noon_ms).substr(0, 10);
  UErrorCode status = U_ZERO_ERROR;
  icu::Calendar &c = *persian_->calendar;
  c.setTime(static_cast<UDate>(noon_ms), status);
  const int year = c.get(UCAL_YEAR, status), month = c.get(UCAL_MONTH, status) + 1,
            date = c.get(UCAL_DATE, status);
  // Every int32 day is inside ICU's range; a failure would be a bug.
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU: ") + u_errorName(status));
  return plugins::format_date(year, static_cast<unsigned>(month), static_cast<unsigned>(date));
}

}  // namespace halo::engagement
