// scalar_parse.cpp -- strict scalar conversions.
#include "config/scalar_parse.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "common/ascii.h"
#include "common/utf8.h"
#include "config/env_substitution.h"

namespace halo {

std::optional<int64_t> parse_strict_int(const std::string &text) {
  if (text.empty()) return std::nullopt;
  size_t start = 0;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    start = 1;
  }
  int base = 10;
  if (text.compare(start, 2, "0x") == 0 || text.compare(start, 2, "0X") == 0) {
    base = 16;
    start += 2;
  }
  if (start >= text.size()) return std::nullopt;
  uint64_t magnitude = 0;
  const char *begin = text.data() + start;
  const char *end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, magnitude, base);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  if (!negative && magnitude > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  if (negative && magnitude > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

std::optional<double> parse_strict_float(const std::string &text) {
  if (auto i = parse_strict_int(text)) return static_cast<double>(*i);
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  // strtod would accept "inf", "nan" and hex floats; admins mean numbers.
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != 'e' && c != 'E' &&
        c != '+' && c != '-') {
      return std::nullopt;
    }
  }
  errno = 0;
  char *end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> parse_strict_bool(const std::string &text) {
  const std::string t = ascii_lower(text);
  if (t == "true" || t == "yes" || t == "on") return true;
  if (t == "false" || t == "no" || t == "off") return false;
  return std::nullopt;
}

std::string describe_node(const YAML::Node &node, bool secret) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  if (secret) return "'***'";
  if (node.Tag() == kEnvSubstitutedTag) return "a value from the environment (not shown)";
  if (node.Scalar().size() > kMaxQuotedValueBytes) {
    return "a " + std::to_string(node.Scalar().size()) +
           "-byte value (not shown: it may be a secret)";
  }
  return "'" + shorten_for_message(node.Scalar()) + "'";
}

std::string shorten_for_message(const std::string &text, size_t max_shown) {
  // Long values (a pasted certificate, a whole JSON blob) would drown the
  // message; the position already says where the value is. Control
  // characters are escaped so a value cannot start a fake message line.
  const size_t cut = utf8_prefix(text, max_shown).size();
  std::string out;
  for (size_t i = 0; i < cut; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7F) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return cut < text.size() ? out + "..." : out;
}

std::optional<int> parse_minute_of_day(const std::string &text) {
  const auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return std::nullopt;
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return hour * 60 + minute;
}

}  // namespace halo
