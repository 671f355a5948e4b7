// jalali_calendar.cpp -- jdf-style Jalali arithmetic and Gregorian day counts.
#include "jalali_calendar.h"

namespace halo::plugins {

namespace {

bool is_gregorian_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int gregorian_month_length(int y, int m) {
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_gregorian_leap(y) ? 29 : kDays[m - 1];
}

// jdf's linear day number of a Jalali date (its own epoch).
int64_t jalali_day_number(int jy, int jm, int jd) {
  int64_t y = jy + 1595;
  return -355668 + 365 * y + (y / 33) * 8 + ((y % 33) + 3) / 4 + jd +
         (jm < 7 ? (jm - 1) * 31 : (jm - 7) * 30 + 186);
}

// jdf's day number -> Gregorian date.
CivilDate gregorian_of_day_number(int64_t days) {
  int64_t gy = 400 * (days / 146097);
  days %= 146097;
  if (days > 36524) {
    --days;
    gy += 100 * (days / 36524);
    days %= 36524;
    if (days >= 365) ++days;
  }
  gy += 4 * (days / 1461);
  days %= 1461;
  if (days > 365) {
    gy += (days - 1) / 365;
    days = (days - 1) % 365;
  }
  int gd = static_cast<int>(days) + 1;
  int gm = 1;
  while (gm <= 12 && gd > gregorian_month_length(static_cast<int>(gy), gm)) {
    gd -= gregorian_month_length(static_cast<int>(gy), gm);
    ++gm;
  }
  return {static_cast<int>(gy), gm, gd};
}

}  // namespace

int jalali_month_length(int year, int month) {
  if (month < 1 || month > 12) return 0;
  if (month <= 6) return 31;
  if (month <= 11) return 30;
  return static_cast<int>(jalali_day_number(year + 1, 1, 1) - jalali_day_number(year, 12, 1));
}

bool jalali_to_gregorian(CivilDate jalali, CivilDate &gregorian) {
  if (jalali.year < 1 || jalali.year > 9377 || jalali.day < 1 ||
      jalali.day > jalali_month_length(jalali.year, jalali.month)) {
    return false;
  }
  gregorian = gregorian_of_day_number(jalali_day_number(jalali.year, jalali.month, jalali.day));
  return true;
}

bool is_valid_gregorian(CivilDate d) {
  return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= gregorian_month_length(d.year, d.month);
}

int64_t days_from_civil(CivilDate date) {
  int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t mp = (date.month + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0)), m, d};
}

}  // namespace halo::plugins
