// iso_time.cpp -- a small hand-written ISO-8601 reader. Hand-written
// because it runs once or twice per event on the hot path and must not
// allocate, depend on the locale, or consult the process time zone.
#include "common/iso_time.h"

#include <cstdio>

#include "common/civil_date.h"

namespace halo {

namespace {

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

}  // namespace halo
