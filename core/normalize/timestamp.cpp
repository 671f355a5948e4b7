// timestamp.cpp -- a small hand-written ISO-8601 reader/writer. Hand-written
// because it runs once or twice per event on the hot path and must not
// allocate, depend on the locale, or consult the process time zone.
#include "normalize/timestamp.h"

#include <cstdio>

#include "common/civil_date.h"

namespace halo {

namespace {

void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

// Reads exactly `n` ASCII digits at s[*pos].
bool read_digits(std::string_view s, size_t *pos, size_t n, unsigned *out) {
  if (*pos + n > s.size()) return false;
  unsigned v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool consume(std::string_view s, size_t *pos, char c) {
  if (*pos < s.size() && s[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

// Reads ".ddd..." into milliseconds (truncating); no fraction is 0.
bool read_fraction(std::string_view s, size_t *pos, int64_t *ms) {
  *ms = 0;
  if (!consume(s, pos, '.') && !consume(s, pos, ',')) return true;
  size_t digits = 0;
  while (*pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9') {
    if (digits < 3) *ms = *ms * 10 + (s[*pos] - '0');
    ++digits;
    ++*pos;
  }
  for (size_t i = digits; i < 3; ++i) *ms *= 10;
  return digits > 0;
}

// Reads "Z", "±hh:mm", "±hhmm", "±hh" or nothing into an offset in minutes.
bool read_zone(std::string_view s, size_t *pos, int64_t *offset_minutes) {
  *offset_minutes = 0;
  if (*pos == s.size()) return true;
  if (consume(s, pos, 'Z') || consume(s, pos, 'z')) return true;
  int sign = 0;
  if (consume(s, pos, '+'))
    sign = 1;
  else if (consume(s, pos, '-'))
    sign = -1;
  else
    return false;
  unsigned hh = 0, mm = 0;
  if (!read_digits(s, pos, 2, &hh)) return false;
  if (*pos < s.size()) {
    consume(s, pos, ':');
    if (!read_digits(s, pos, 2, &mm)) return false;
  }
  if (hh > 23 || mm > 59) return false;
  *offset_minutes = sign * static_cast<int64_t>(hh * 60 + mm);
  return true;
}

}  // namespace

std::optional<int64_t> parse_iso8601_ms(std::string_view s) {
  size_t pos = 0;
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(s, &pos, 4, &year) || !consume(s, &pos, '-') ||
      !read_digits(s, &pos, 2, &month) || !consume(s, &pos, '-') ||
      !read_digits(s, &pos, 2, &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
    return std::nullopt;
  }
  int64_t fraction_ms = 0, offset_minutes = 0;
  if (pos < s.size()) {
    if (!consume(s, &pos, 'T') && !consume(s, &pos, 't') && !consume(s, &pos, ' ')) {
      return std::nullopt;
    }
    if (!read_digits(s, &pos, 2, &hour) || !consume(s, &pos, ':') ||
        !read_digits(s, &pos, 2, &minute)) {
      return std::nullopt;
    }
    if (consume(s, &pos, ':')) {
      if (!read_digits(s, &pos, 2, &second) || !read_fraction(s, &pos, &fraction_ms)) {
        return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (!read_zone(s, &pos, &offset_minutes) || pos != s.size()) return std::nullopt;
  }
  int64_t days = days_from_civil(year, month, day);
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + fraction_ms;
}

std::string format_iso8601_ms(int64_t ms) {
  int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  int64_t rem = ms - days * 86400000;  // 0 <= rem < 86400000
  int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, &y, &m, &d);
  // rem < 86400000, so every time component below fits its width.
  const int hh = static_cast<int>(rem / 3600000), mm = static_cast<int>(rem / 60000 % 60);
  const int ss = static_cast<int>(rem / 1000 % 60), milli = static_cast<int>(rem % 1000);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<long long>(y),
                m % 100, d % 100, hh % 100, mm % 100, ss % 100, milli % 1000);
  return buf;
}

}  // namespace halo
