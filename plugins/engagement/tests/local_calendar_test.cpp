// local_calendar_test.cpp -- weekdays of local days, the week's rules and
// dates in the Gregorian and Solar Hijri calendars.
#include "local_calendar.h"

#include <gtest/gtest.h>

namespace halo::engagement {
namespace {

constexpr int32_t kJune30 = 19904;  // 2024-06-30, days since 1970-01-01

TEST(LocalCalendar, WeekdaysOfDaysBeforeAndAfterTheEpoch) {
  EXPECT_EQ(weekday_of(0), Weekday::kThursday);  // 1970-01-01
  EXPECT_EQ(weekday_of(-1), Weekday::kWednesday);
  EXPECT_EQ(weekday_of(-7), Weekday::kThursday);
  EXPECT_EQ(weekday_of(kJune30), Weekday::kSunday);
  EXPECT_EQ(weekday_of(kJune30 - 4), Weekday::kWednesday);
  EXPECT_EQ(weekday_of(INT32_MIN), weekday_of(INT32_MIN + 7));
  EXPECT_STREQ(weekday_name(Weekday::kSaturday), "saturday");
}

TEST(LocalCalendar, WeekdayAndCalendarNamesIgnoreCaseOnly) {
  EXPECT_EQ(parse_weekday("Friday"), Weekday::kFriday);
  EXPECT_EQ(parse_weekday("THURSDAY"), Weekday::kThursday);
  EXPECT_EQ(parse_weekday("fri"), std::nullopt);
  EXPECT_EQ(parse_weekday("friday "), std::nullopt);
  EXPECT_EQ(parse_weekday(""), std::nullopt);
  EXPECT_EQ(parse_calendar("Persian"), CalendarKind::kPersian);
  EXPECT_EQ(parse_calendar("gregorian"), CalendarKind::kGregorian);
  EXPECT_EQ(parse_calendar("jalali"), std::nullopt);
}

TEST(LocalCalendar, TheIranianWeekStartsOnSaturday) {
  const Week iran(Weekday::kSaturday, {Weekday::kThursday, Weekday::kFriday});
  EXPECT_EQ(iran.position(Weekday::kSaturday), 0);
  EXPECT_EQ(iran.position(Weekday::kWednesday), 4);
  EXPECT_EQ(iran.position(Weekday::kFriday), 6);
  EXPECT_TRUE(iran.weekend(Weekday::kThursday));
  EXPECT_TRUE(iran.weekend(Weekday::kFriday));
  EXPECT_FALSE(iran.weekend(Weekday::kSaturday));
  EXPECT_FALSE(iran.weekend(Weekday::kSunday));
  const Week none(Weekday::kMonday, {});
  EXPECT_EQ(none.position(Weekday::kSunday), 6);
  EXPECT_FALSE(none.weekend(Weekday::kSunday));
}

// Nowruz 1403 fell on 20 March 2024 and Nowruz 1404 on 21 March 2025: 1403
// is a leap year (Esfand has 30 days).
TEST(LocalCalendar, SolarHijriDatesAroundNowruz) {
  const DateFormat persian(CalendarKind::kPersian);
  EXPECT_EQ(persian.format(kJune30), "1403-04-10");
  EXPECT_EQ(persian.format(19801), "1402-12-29");  // 2024-03-19
  EXPECT_EQ(persian.format(19802), "1403-01-01");  // 2024-03-20
  EXPECT_EQ(persian.format(20167), "1403-12-30");  // 2025-03-20
  EXPECT_EQ(persian.format(20168), "1404-01-01");  // 2025-03-21
  EXPECT_EQ(persian.format(-1), "1348-10-10");     // 1969-12-31
  const DateFormat gregorian(CalendarKind::kGregorian);
  EXPECT_EQ(gregorian.format(kJune30), "2024-06-30");
  EXPECT_EQ(gregorian.format(-1), "1969-12-31");
}

}  // namespace
}  // namespace halo::engagement
