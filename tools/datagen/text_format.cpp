// text_format.cpp -- see text_format.h. Hot in bench mode: no allocation
// beyond appending to the caller's string.
#include "text_format.h"

#include <charconv>

namespace halo::datagen {

void append_json_string(std::string &out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
}

void append_int(std::string &out, int64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void append_money(std::string &out, int64_t minor_units) {
  if (minor_units < 0) {
    out += '-';
    minor_units = -minor_units;
  }
  append_int(out, minor_units / 100);
  out += '.';
  out += static_cast<char>('0' + (minor_units % 100) / 10);
  out += static_cast<char>('0' + minor_units % 10);
}

std::string money_string(int64_t minor_units) {
  std::string s;
  append_money(s, minor_units);
  return s;
}

void append_money_number(std::string &out, int64_t minor_units) {
  if (minor_units % 100 == 0) {
    append_int(out, minor_units / 100);
    return;
  }
  append_money(out, minor_units);
  if (out.back() == '0') out.pop_back();  // JSON number: "42.5", not "42.50"
}

void append_csv_field(std::string &out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// Howard Hinnant's days_from_civil / civil_from_days (public domain).
int64_t epoch_from_civil(int year, int month, int day) {
  const int y = year - (month <= 2);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (static_cast<int64_t>(era) * 146097 + doe - 719468) * 86400;
}

CivilTime civil_from_epoch(int64_t epoch_seconds) {
  int64_t days = epoch_seconds / 86400;
  int64_t secs = epoch_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2));
  return {year,
          month,
          day,
          static_cast<int>(secs / 3600),
          static_cast<int>(secs / 60 % 60),
          static_cast<int>(secs % 60)};
}

namespace {
void append_2(std::string &out, int v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}

void append_date_time(std::string &out, int64_t epoch_seconds, char separator) {
  const CivilTime t = civil_from_epoch(epoch_seconds);
  append_int(out, t.year);
  out += '-';
  append_2(out, t.month);
  out += '-';
  append_2(out, t.day);
  out += separator;
  append_2(out, t.hour);
  out += ':';
  append_2(out, t.minute);
  out += ':';
  append_2(out, t.second);
}
}  // namespace

void append_iso_millis_z(std::string &out, int64_t epoch_seconds, int millis) {
  append_date_time(out, epoch_seconds, 'T');
  out += '.';
  out += static_cast<char>('0' + millis / 100);
  append_2(out, millis % 100);
  out += 'Z';
}

void append_iso_no_zone(std::string &out, int64_t epoch_seconds) {
  append_date_time(out, epoch_seconds, 'T');
}

void append_space_datetime(std::string &out, int64_t epoch_seconds) {
  append_date_time(out, epoch_seconds, ' ');
}

std::string to_persian_digits(std::string_view ascii) {
  std::string out;
  out.reserve(ascii.size() * 2);
  for (char c : ascii) {
    if (c >= '0' && c <= '9') {
      out += '\xDB';  // U+06F0 + d is 0xDB 0xB0+d in UTF-8
      out += static_cast<char>(0xB0 + (c - '0'));
    } else {
      out += c;
    }
  }
  return out;
}

std::string to_arabic_letters(std::string_view persian) {
  static constexpr std::string_view kPersianYeh = "\xDB\x8C", kArabicYeh = "\xD9\x8A";
  static constexpr std::string_view kPersianKaf = "\xDA\xA9", kArabicKaf = "\xD9\x83";
  std::string out;
  out.reserve(persian.size());
  for (size_t i = 0; i < persian.size();) {
    const std::string_view rest = persian.substr(i);
    if (rest.starts_with(kPersianYeh)) {
      out += kArabicYeh;
      i += 2;
    } else if (rest.starts_with(kPersianKaf)) {
      out += kArabicKaf;
      i += 2;
    } else {
      out += persian[i++];
    }
  }
  return out;
}

}  // namespace halo::datagen
