// wire_text.cpp -- URL encoding and RFC 3339 conversion (see wire_text.h).
#include "common/wire_text.h"

#include <ctime>

namespace halo::plugins {

std::string url_encode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string_view url_host(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  const size_t end = url.find_first_of("/?#", start);
  return url.substr(start, end == std::string_view::npos ? url.npos : end - start);
}

std::string url_path(std::string_view url) {
  const std::string_view host = url_host(url);
  std::string_view rest = url.substr(static_cast<size_t>(host.data() - url.data()) + host.size());
  rest = rest.substr(0, rest.find_first_of("?#"));
  return rest.empty() ? "/" : std::string(rest);
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes one name or value, '+' as space; false on a bad escape.
bool form_decode(std::string_view in, std::string &out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out.push_back(' ');
    } else if (in[i] != '%') {
      out.push_back(in[i]);
    } else {
      const int hi = i + 2 < in.size() ? hex_value(in[i + 1]) : -1;
      const int lo = hi < 0 ? -1 : hex_value(in[i + 2]);
      if (lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    }
  }
  return true;
}

}  // namespace

std::optional<FormFields> parse_form(std::string_view body, size_t max_fields) {
  FormFields fields;
  while (!body.empty()) {
    const size_t amp = body.find('&');
    std::string_view field = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (field.empty()) continue;  // "a=1&&b=2"
    if (fields.size() == max_fields) return std::nullopt;
    const size_t eq = field.find('=');
    std::pair<std::string, std::string> f;
    if (!form_decode(field.substr(0, eq), f.first)) return std::nullopt;
    if (eq != std::string_view::npos && !form_decode(field.substr(eq + 1), f.second)) {
      return std::nullopt;
    }
    fields.push_back(std::move(f));
  }
  return fields;
}

namespace {

// Reads exactly `n` digits at `pos`; advances pos.
bool read_digits(std::string_view s, size_t &pos, size_t n, int &out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool expect(std::string_view s, size_t &pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

// Fractional seconds -> milliseconds (extra digits truncated).
int read_fraction_ms(std::string_view s, size_t &pos) {
  if (pos >= s.size() || s[pos] != '.') return 0;
  ++pos;
  int ms = 0, digits = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (digits < 3) ms = ms * 10 + (s[pos] - '0');
    ++digits;
    ++pos;
  }
  for (; digits < 3; ++digits) ms *= 10;
  return ms;
}

}  // namespace

std::optional<int64_t> parse_rfc3339_ms(std::string_view s) {
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!read_digits(s, pos, 4, year) || !expect(s, pos, '-') || !read_digits(s, pos, 2, month) ||
      !expect(s, pos, '-') || !read_digits(s, pos, 2, day)) {
    return std::nullopt;
  }
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')) return std::nullopt;
  ++pos;
  if (!read_digits(s, pos, 2, hour) || !expect(s, pos, ':') || !read_digits(s, pos, 2, minute) ||
      !expect(s, pos, ':') || !read_digits(s, pos, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  int ms = read_fraction_ms(s, pos);
  int offset_minutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!read_digits(s, pos, 2, oh) || !expect(s, pos, ':') || !read_digits(s, pos, 2, om)) {
      return std::nullopt;
    }
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  int64_t seconds = static_cast<int64_t>(timegm(&tm)) - int64_t{offset_minutes} * 60;
  return seconds * 1000 + ms;
}

bool is_bare_address(std::string_view a) {
  const size_t at = a.rfind('@');
  if (a.empty() || a.size() > 320 || at == std::string_view::npos || at == 0 ||
      at + 1 == a.size()) {
    return false;
  }
  for (unsigned char c : a) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',') return false;
  }
  return true;
}

}  // namespace halo::plugins
