// pos_date.cpp -- parsing date text by format, calendar conversion and
// the shift from till-local time to UTC.
#include "pos_date.h"

#include "jalali_calendar.h"
#include "localized_digits.h"

#include <cstdio>

namespace halo::plugins {

namespace {

struct Fields {
  int year = -1, month = -1, day = -1, hour = 0, minute = 0, second = 0;
  int millis = -1;  // -1: no fraction written
  bool has_zone = false;
  int zone_minutes = 0;
};

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const { return pos_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[pos_]; }
  bool take(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  bool number(int min_digits, int max_digits, int &value) {
    int n = 0;
    value = 0;
    while (n < max_digits && peek() >= '0' && peek() <= '9') {
      value = value * 10 + (s_[pos_++] - '0');
      ++n;
    }
    return n >= min_digits;
  }
  bool spaces() {
    size_t start = pos_;
    while (peek() == ' ' || peek() == '\t') ++pos_;
    return pos_ > start;
  }
  std::string_view rest() const { return s_.substr(pos_); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

bool parse_fraction(Scanner &in, Fields &f) {
  if (!in.take('.')) return true;
  int digits = 0, value = 0;
  f.millis = 0;
  while (in.peek() >= '0' && in.peek() <= '9') {
    int d = in.peek() - '0';
    in.take(in.peek());
    if (digits < 3) value = value * 10 + d;
    ++digits;
  }
  if (digits == 0) return false;
  for (int i = digits; i < 3; ++i) value *= 10;
  f.millis = value;
  return true;
}

bool parse_iso(Scanner &in, Fields &f, std::string &reason) {
  char sep = 0;
  if (!in.number(1, 4, f.year) || !((sep = in.peek()) == '-' || sep == '/') || !in.take(sep) ||
      !in.number(1, 2, f.month) || !in.take(sep) || !in.number(1, 2, f.day)) {
    reason = "is not a date like 2024-03-20 or 1403/01/15";
    return false;
  }
  bool has_t = in.take('T') || in.take('t');
  bool has_space = !has_t && in.spaces();
  if ((has_t || has_space) && !in.done()) {
    if (!in.number(1, 2, f.hour) || !in.take(':') || !in.number(1, 2, f.minute) ||
        (in.take(':') && (!in.number(1, 2, f.second) || !parse_fraction(in, f)))) {
      reason = "has a time that is not HH:MM or HH:MM:SS";
      return false;
    }
  }
  in.spaces();
  if (in.done()) return true;
  int zone = 0;
  if (!parse_utc_offset(in.rest(), zone)) {
    reason = "has unexpected text after the date/time";
    return false;
  }
  f.has_zone = true;
  f.zone_minutes = zone;
  return true;
}

bool parse_directive(char d, Scanner &in, Fields &f) {
  switch (d) {
    case 'Y':
      return in.number(1, 4, f.year);
    case 'm':
      return in.number(1, 2, f.month);
    case 'd':
      return in.number(1, 2, f.day);
    case 'H':
      return in.number(1, 2, f.hour);
    case 'M':
      return in.number(1, 2, f.minute);
    case 'S':
      return in.number(1, 2, f.second) && parse_fraction(in, f);
    case '%':
      return in.take('%');
  }
  return false;
}

bool parse_pattern(std::string_view format, Scanner &in, Fields &f, std::string &reason) {
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    bool ok = true;
    if (c == '%' && i + 1 < format.size()) {
      ok = parse_directive(format[++i], in, f);
    } else if (c == ' ') {
      ok = in.spaces();
    } else {
      ok = in.take(c);
    }
    if (!ok) {
      reason = "does not match date_format \"" + std::string(format) + "\"";
      return false;
    }
  }
  in.spaces();
  if (!in.done()) {
    reason = "has text after what date_format \"" + std::string(format) + "\" describes";
    return false;
  }
  if (f.year < 0 || f.month < 0 || f.day < 0) {
    reason = "cannot be read: date_format needs %Y, %m and %d";
    return false;
  }
  return true;
}

void write_iso(int64_t seconds, int millis, std::string &out) {
  int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  int64_t in_day = seconds - days * 86400;
  CivilDate d = civil_from_days(days);
  char buf[40];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", d.year, d.month, d.day,
                        static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60),
                        static_cast<int>(in_day % 60));
  out.assign(buf, static_cast<size_t>(n));
  if (millis >= 0) {
    n = std::snprintf(buf, sizeof buf, ".%03d", millis);
    out.append(buf, static_cast<size_t>(n));
  }
  out.push_back('Z');
}

}  // namespace

bool parse_utc_offset(std::string_view text, int &minutes) {
  if (text == "Z" || text == "z" || text == "UTC") return minutes = 0, true;
  Scanner in(text);
  int sign = in.take('+') ? 1 : in.take('-') ? -1 : 0;
  int hours = 0, mins = 0;
  if (sign == 0 || !in.number(2, 2, hours)) return false;
  in.take(':');
  if (!in.number(2, 2, mins) || !in.done() || hours > 14 || mins > 59) return false;
  minutes = sign * (hours * 60 + mins);
  return true;
}

bool validate_date_format(std::string_view format, std::string &error) {
  if (format == "iso") return true;
  bool y = false, m = false, d = false;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    char c = i + 1 < format.size() ? format[++i] : '\0';
    if (std::string_view("YmdHMS%").find(c) == std::string_view::npos || c == '\0') {
      error = std::string("unsupported directive '%") + c +
              "'; use %Y %m %d %H %M %S and literal text, or iso";
      return false;
    }
    y |= c == 'Y';
    m |= c == 'm';
    d |= c == 'd';
  }
  if (!(y && m && d)) {
    error = "must contain %Y, %m and %d (e.g. \"%Y/%m/%d %H:%M\"), or be iso";
    return false;
  }
  return true;
}

bool convert_pos_date(const DateSpec &spec, std::string_view text, std::string &scratch,
                      std::string &out, std::string &reason) {
  normalize_localized_digits(text, scratch);
  Scanner in(std::string_view(scratch).substr(0, scratch.find_last_not_of(" \t") + 1));
  in.spaces();
  Fields f;
  bool parsed =
      spec.format == "iso" ? parse_iso(in, f, reason) : parse_pattern(spec.format, in, f, reason);
  if (!parsed) return false;
  CivilDate date{f.year, f.month, f.day};
  if (spec.calendar == Calendar::kJalali) {
    if (!jalali_to_gregorian({f.year, f.month, f.day}, date)) {
      reason = "is not a valid Jalali (Solar Hijri) date";
      return false;
    }
  } else if (!is_valid_gregorian(date)) {
    reason = "is not a valid Gregorian date";
    return false;
  }
  if (f.hour > 23 || f.minute > 59 || f.second > 59) {
    reason = "has a time out of range";
    return false;
  }
  int offset = f.has_zone ? f.zone_minutes : spec.offset_minutes;
  int64_t seconds = days_from_civil(date) * 86400 + f.hour * 3600 + f.minute * 60 + f.second -
                    static_cast<int64_t>(offset) * 60;
  write_iso(seconds, f.millis, out);
  return true;
}

}  // namespace halo::plugins
