// iso_time.cpp -- a small strict ISO-8601 parser (no locale, no tz database).
#include "config/iso_time.h"

#include <cctype>

#include "common/civil_date.h"

namespace halo {
namespace {

// Reads exactly `n` digits at text[pos]; advances pos.
bool read_digits(std::string_view text, size_t &pos, size_t n, int &out) {
  if (pos + n > text.size()) return false;
  int value = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  pos += n;
  out = value;
  return true;
}

bool expect(std::string_view text, size_t &pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// Milliseconds from an optional ".fff..." fraction (extra digits truncated).
bool read_fraction(std::string_view text, size_t &pos, int64_t &ms) {
  ms = 0;
  if (pos >= text.size() || (text[pos] != '.' && text[pos] != ',')) return true;
  ++pos;
  size_t digits = 0;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
    if (digits < 3) ms = ms * 10 + (text[pos] - '0');
    ++digits;
    ++pos;
  }
  for (size_t i = digits; i < 3; ++i) ms *= 10;
  return digits > 0;
}

// Offset east of UTC in minutes from "Z", "+HH:MM", "+HHMM" or nothing.
bool read_offset(std::string_view text, size_t &pos, int &minutes) {
  minutes = 0;
  if (pos == text.size()) return true;
  if (text[pos] == 'Z' || text[pos] == 'z') return ++pos == text.size();
  if (text[pos] != '+' && text[pos] != '-') return false;
  const int sign = text[pos] == '-' ? -1 : 1;
  ++pos;
  int hh = 0, mm = 0;
  if (!read_digits(text, pos, 2, hh)) return false;
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (!read_digits(text, pos, 2, mm) || hh > 23 || mm > 59) return false;
  minutes = sign * (hh * 60 + mm);
  return pos == text.size();
}

}  // namespace

std::optional<int64_t> parse_iso8601_ms(std::string_view text) {
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, month) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 ||
      day > static_cast<int>(days_in_month(year, static_cast<unsigned>(month))))
    return std::nullopt;
  int64_t fraction_ms = 0;
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
    ++pos;
    if (!read_digits(text, pos, 2, hour) || !expect(text, pos, ':') ||
        !read_digits(text, pos, 2, minute)) {
      return std::nullopt;
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!read_digits(text, pos, 2, second)) return std::nullopt;
      if (!read_fraction(text, pos, fraction_ms)) return std::nullopt;
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (!read_offset(text, pos, offset_minutes)) return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  const int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + fraction_ms;
}

}  // namespace halo
