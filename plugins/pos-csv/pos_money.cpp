// pos_money.cpp -- money text parsing and exact decimal scaling.
#include "pos_money.h"

#include "common/ascii_chars.h"
#include "localized_digits.h"

namespace halo::plugins {

namespace {

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Strips one sign marker; false when two are present.
bool take_sign(std::string_view &s, bool &negative) {
  int signs = 0;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    s = trim_spaces(s.substr(1, s.size() - 2));
    negative = true;
    ++signs;
  }
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = negative || s.front() == '-';
    s = trim_spaces(s.substr(1));
    ++signs;
  }
  if (!s.empty() && s.back() == '-') {
    negative = true;
    s = trim_spaces(s.substr(0, s.size() - 1));
    ++signs;
  }
  return signs <= 1;
}

// Integer part with optional grouping -> plain digits.
bool read_integer(std::string_view s, char group, std::string &digits) {
  size_t since_group = 0;
  bool grouped = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (is_ascii_digit(s[i])) {
      digits.push_back(s[i]);
      ++since_group;
    } else if (s[i] == group && since_group > 0 && (!grouped || since_group == 3)) {
      grouped = true;
      since_group = 0;
    } else {
      return false;
    }
  }
  return !digits.empty() && (!grouped || since_group == 3);
}

// Multiplies int_part.frac_part by 10^shift (shift in -1..1) in place.
void shift_decimal(std::string &int_part, std::string &frac_part, int shift) {
  if (shift > 0) {
    int_part.push_back(frac_part.empty() ? '0' : frac_part.front());
    if (!frac_part.empty()) frac_part.erase(0, 1);
  } else if (shift < 0) {
    frac_part.insert(frac_part.begin(), int_part.back());
    int_part.pop_back();
  }
}

int unit_shift(const MoneySpec &spec) {
  if (spec.unit == MoneyUnit::kToman && spec.output_unit == MoneyUnit::kRial) return 1;
  if (spec.unit == MoneyUnit::kRial && spec.output_unit == MoneyUnit::kToman) return -1;
  return 0;
}

}  // namespace

bool parse_money_unit(std::string_view name, MoneyUnit &unit) {
  if (name == "rial" || name == "IRR") return unit = MoneyUnit::kRial, true;
  if (name == "toman" || name == "IRT") return unit = MoneyUnit::kToman, true;
  return false;
}

bool convert_pos_money(const MoneySpec &spec, std::string_view text, std::string &scratch,
                       std::string &out, bool &negative, std::string &reason) {
  normalize_localized_digits(text, scratch);
  std::string_view s = trim_spaces(scratch);
  negative = false;
  reason =
      "is not an amount (expected digits with optional thousands separators, decimal "
      "separator and sign, e.g. 1,250,000 or -12.50)";
  if (!take_sign(s, negative)) return false;
  char decimal = spec.decimal_separator;
  char group = decimal == '.' ? ',' : '.';
  size_t point = s.find(decimal);
  std::string int_part, frac_part;
  if (!read_integer(s.substr(0, point), group, int_part)) return false;
  if (point != std::string_view::npos) {
    std::string_view frac = s.substr(point + 1);
    for (char c : frac) {
      if (!is_ascii_digit(c)) return false;
    }
    if (frac.empty()) return false;
    frac_part.assign(frac);
  }
  shift_decimal(int_part, frac_part, unit_shift(spec));
  size_t lead = int_part.find_first_not_of('0');
  int_part = lead == std::string::npos ? "0" : int_part.substr(lead);
  while (!frac_part.empty() && frac_part.back() == '0') frac_part.pop_back();
  negative = negative && !(int_part == "0" && frac_part.empty());
  out.clear();
  if (negative) out.push_back('-');
  out += int_part;
  if (!frac_part.empty()) out += "." + frac_part;
  return true;
}

}  // namespace halo::plugins
