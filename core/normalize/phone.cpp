// phone.cpp -- phone numbers to E.164 with a small per-region numbering-plan
// table (country code, trunk and exit prefixes, national number lengths).
// Deliberately loose: it rejects what is certainly not a phone number and
// canonicalizes the spellings people actually type; it is not libphonenumber.
#include <cstring>

#include "normalize/identifiers.h"
#include "normalize/persian.h"

namespace halo {

namespace {

struct PhonePlan {
  std::string_view region;        // ISO 3166 alpha-2
  std::string_view country_code;  // E.164 country calling code
  std::string_view trunk;         // national prefix dropped in E.164
  std::string_view exit;          // international call prefix
  size_t min_national, max_national;
  std::string_view bare_leading;  // first digits allowed without trunk prefix
};

constexpr PhonePlan kPlans[] = {
    {"IR", "98", "0", "00", 10, 10, "9"},         // mobiles 9xx xxx xxxx
    {"US", "1", "1", "011", 10, 10, "23456789"},  // NANP area codes never start 0/1
    {"GB", "44", "0", "00", 9, 10, "7"},          // mobiles 7xxx xxxxxx
    {"DE", "49", "0", "00", 6, 13, "1"},          // mobiles 15x/16x/17x
    {"AE", "971", "0", "00", 8, 9, "5"},          // mobiles 5x xxx xxxx
    {"TR", "90", "0", "00", 10, 10, "5"},         // mobiles 5xx xxx xxxx
};

constexpr size_t kMaxDigits = 24;

const PhonePlan *plan_for_region(std::string_view region) {
  for (const PhonePlan &p : kPlans) {
    if (region.size() == 2 && (region[0] | 0x20) == (p.region[0] | 0x20) &&
        (region[1] | 0x20) == (p.region[1] | 0x20)) {
      return &p;
    }
  }
  return nullptr;
}

const PhonePlan *plan_for_number(std::string_view international) {
  for (const PhonePlan &p : kPlans) {
    if (international.substr(0, p.country_code.size()) == p.country_code) return &p;
  }
  return nullptr;
}

bool is_separator(char c) {
  return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '\t';
}

// Invisible formatting characters: NBSP, ZWNJ, LRM/RLM, bidi embeddings and
// isolates (U+202A..U+202E, U+2066..U+2069). Returns the byte length or 0.
size_t invisible_len(std::string_view s, size_t i) {
  if (i + 1 < s.size() && s[i] == '\xC2' && s[i + 1] == '\xA0') return 2;
  if (i + 2 >= s.size() || s[i] != '\xE2') return 0;
  unsigned char b1 = static_cast<unsigned char>(s[i + 1]);
  unsigned char b2 = static_cast<unsigned char>(s[i + 2]);
  if (b1 == 0x80 && (b2 == 0x8C || b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE))) {
    return 3;
  }
  if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return 3;
  return 0;
}

// Collects the digits (folded to ASCII) and whether a leading '+' was seen.
// Fails on any other character or a '+' after the first digit.
bool collect_digits(std::string_view s, char *digits, size_t *count, bool *plus) {
  *count = 0;
  *plus = false;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    size_t len = 1;
    char digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c;
    } else if (c == '+' && *count == 0 && !*plus) {
      *plus = true;
    } else if (is_separator(c)) {
    } else if ((len = invisible_len(s, i)) != 0) {
    } else if ((digit = folded_digit_at(s, i, &len)) == 0) {
      return false;  // a letter or symbol: not a phone number
    }
    if (digit != 0) {
      if (*count == kMaxDigits) return false;
      digits[(*count)++] = digit;
    }
    i += len;
  }
  return *count > 0;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return !prefix.empty() && s.substr(0, prefix.size()) == prefix;
}

// s without its first n bytes ("" when shorter): never throws.
std::string_view tail(std::string_view s, size_t n) {
  return n <= s.size() ? s.substr(n) : "";
}

// Fixed-capacity digit string: international numbers are short, so this
// keeps the phone path free of heap allocations.
struct DigitString {
  char data[kMaxDigits + 4];
  size_t size = 0;
  void assign(std::string_view a, std::string_view b = {}) {
    if (!a.empty()) std::memcpy(data, a.data(), a.size());
    if (!b.empty()) std::memcpy(data + a.size(), b.data(), b.size());
    size = a.size() + b.size();
  }
  std::string_view view() const { return {data, size}; }
};

bool national_ok(const PhonePlan &p, std::string_view national) {
  return national.size() >= p.min_national && national.size() <= p.max_national;
}

// Rewrites a number dialled without '+' to international digits (country
// code first) in `intl`; false when the region's plan cannot explain it.
bool to_international(std::string_view digits, const PhonePlan *plan, DigitString &intl) {
  if (plan == nullptr) {
    if (!starts_with(digits, "00")) return false;
    intl.assign(tail(digits, 2));
    return true;
  }
  if (starts_with(digits, plan->exit)) {
    intl.assign(tail(digits, plan->exit.size()));
    return true;
  }
  std::string_view after_trunk = tail(digits, plan->trunk.size());
  if (starts_with(digits, plan->trunk) && national_ok(*plan, after_trunk)) {
    intl.assign(plan->country_code, after_trunk);
    return true;
  }
  bool bare_lead = plan->bare_leading.find(digits[0]) != std::string_view::npos;
  if (bare_lead && national_ok(*plan, digits)) {
    intl.assign(plan->country_code, digits);
    return true;
  }
  // Country code written without '+' or exit prefix: "989121234567".
  std::string_view after_cc = tail(digits, plan->country_code.size());
  if (starts_with(digits, plan->country_code) && !after_cc.empty() &&
      plan->bare_leading.find(after_cc[0]) != std::string_view::npos &&
      national_ok(*plan, after_cc)) {
    intl.assign(digits);
    return true;
  }
  return false;
}

// Validates international digits and writes "+CC NSN" (no spaces) to out.
bool finish_e164(std::string_view intl, std::string &out) {
  if (intl.empty() || intl[0] == '0') return false;
  const PhonePlan *plan = plan_for_number(intl);
  std::string_view cc, national;
  if (plan != nullptr) {
    cc = plan->country_code;
    national = tail(intl, cc.size());
    // "+98 0912 ...": a trunk 0 kept after the country code by mistake.
    if (plan->trunk == "0" && starts_with(national, "0")) national.remove_prefix(1);
    // A national significant number never starts with the trunk prefix
    // (ITU-T E.164, definition of the NSN: the trunk prefix is not part of
    // it), so
    // "+90 00258..." is refused rather than kept as "+900258...", which would
    // itself normalize to something else.
    if (plan->trunk == "0" && starts_with(national, "0")) return false;
    if (!national_ok(*plan, national)) return false;
  } else {
    national = intl;
  }
  size_t total = cc.size() + national.size();
  if (total < 8 || total > 15) return false;
  out.push_back('+');
  out.append(cc);
  out.append(national);
  return true;
}

}  // namespace

bool normalize_phone_to(std::string_view raw, std::string_view default_region, std::string &out) {
  char digit_buf[kMaxDigits];
  size_t count = 0;
  bool plus = false;
  if (!collect_digits(trim_identifier(raw), digit_buf, &count, &plus)) return false;
  std::string_view digits(digit_buf, count);
  if (plus) return finish_e164(digits, out);
  DigitString intl;
  if (!to_international(digits, plan_for_region(default_region), intl)) return false;
  return finish_e164(intl.view(), out);
}

std::optional<std::string> normalize_phone(std::string_view raw, std::string_view default_region) {
  std::string out;
  if (!normalize_phone_to(raw, default_region, out)) return std::nullopt;
  return out;
}

}  // namespace halo
