// comparison.cpp -- comparators as agreement levels; see comparison.h.
#include "comparison.h"

#include <charconv>
#include <cmath>

#include "common/civil_date.h"
#include "name_fold.h"
#include "similarity.h"

namespace halo::linkage {

namespace {

struct CompareInfo {
  Compare compare;
  const char *name;
  const char *levels[kMaxLevels];
};

// Level 0 is always equality and the last level "different".
constexpr CompareInfo kCompares[] = {
    {Compare::kExact, "exact", {"equal", "different", nullptr, nullptr}},
    {Compare::kCode, "code", {"equal", "one edit", "different", nullptr}},
    {Compare::kName, "name", {"equal", "jw>=0.92", "jw>=0.80", "different"}},
    {Compare::kText, "text", {"equal", "jw>=0.92", "jw>=0.80", "different"}},
    {Compare::kDate, "date", {"equal", "one edit or day/month swapped", "different", nullptr}},
    {Compare::kNumber, "number", {"equal", "within near", "different", nullptr}},
};

const CompareInfo &info(Compare c) {
  return kCompares[static_cast<size_t>(c)];
}

// "YYYYMMDD" or "YYYY-MM-DD" (already trimmed) as days, when it names a
// real calendar day.
bool parse_date(std::u32string_view t, double &days) {
  std::string digits;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] >= U'0' && t[i] <= U'9') {
      digits.push_back(static_cast<char>(t[i]));
    } else if (!(t[i] == U'-' && (i == 4 || i == 7) && t.size() == 10)) {
      return false;
    }
  }
  if (digits.size() != 8) return false;
  const unsigned y = std::stoul(digits.substr(0, 4)), m = std::stoul(digits.substr(4, 2)),
                 d = std::stoul(digits.substr(6, 2));
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return false;
  days = static_cast<double>(days_from_civil(y, m, d));
  return true;
}

bool parse_number(std::u32string_view t, double &value) {
  const std::string text = encode_utf8(t);
  const char *end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end && std::isfinite(value);
}

std::u32string_view trim(std::u32string_view t) {
  while (!t.empty() && (t.front() == U' ' || t.front() == U'\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == U' ' || t.back() == U'\t')) t.remove_suffix(1);
  return t;
}

// "YYYYMMDD" digits with day and month exchanged.
bool day_month_swapped(std::u32string_view a, std::u32string_view b) {
  auto digits = [](std::u32string_view t) {
    std::u32string d;
    for (char32_t c : t) {
      if (c != U'-') d.push_back(c);
    }
    return d;
  };
  const std::u32string x = digits(a), y = digits(b);
  return x.size() == 8 && y.size() == 8 && x.substr(0, 4) == y.substr(0, 4) &&
         x.substr(4, 2) == y.substr(6, 2) && x.substr(6, 2) == y.substr(4, 2);
}

uint8_t similar_names(const PreparedValue &a, const PreparedValue &b) {
  double jw;
  if (a.arabic != b.arabic) {
    // Different scripts: nothing finer than the consonant skeleton exists.
    const std::string sa = skeleton(encode_utf8(a.text)), sb = skeleton(encode_utf8(b.text));
    if (sa.empty() || sb.empty()) return 3;
    jw = sa == sb ? 1.0 : jaro_winkler(std::string_view(sa), std::string_view(sb));
    return jw >= 0.92 ? 1 : jw >= 0.80 ? 2 : 3;
  }
  jw = jaro_winkler(std::u32string_view(a.text), std::u32string_view(b.text));
  return jw >= 0.92 ? 1 : jw >= 0.80 ? 2 : 3;
}

}  // namespace

size_t level_count(Compare c) {
  size_t n = 0;
  while (n < kMaxLevels && info(c).levels[n] != nullptr) ++n;
  return n;
}

const char *compare_name(Compare c) {
  return info(c).name;
}

std::optional<Compare> compare_from_name(std::string_view name) {
  for (const CompareInfo &i : kCompares) {
    if (name == i.name) return i.compare;
  }
  return std::nullopt;
}

const char *level_name(Compare c, uint8_t level) {
  if (level == kMissing) return "missing";
  return level < level_count(c) ? info(c).levels[level] : "?";
}

PreparedValue prepare_value(Compare c, std::string_view raw) {
  PreparedValue v;
  if (c == Compare::kDate || c == Compare::kNumber) {
    // Folding would turn "1.5" into "1 5"; these keep their punctuation.
    v.text = trim(decode_utf8(raw));
    v.has_number =
        c == Compare::kDate ? parse_date(v.text, v.number) : parse_number(v.text, v.number);
    return v;
  }
  const std::string folded = fold_text(raw);
  v.text = decode_utf8(folded);
  v.arabic = has_arabic_script(folded);
  return v;
}

uint8_t compare_values(Compare c, double near, const PreparedValue &a, const PreparedValue &b) {
  if (a.missing() || b.missing()) return kMissing;
  if (a.text == b.text) return 0;
  switch (c) {
    case Compare::kExact:
      return 1;
    case Compare::kCode:
      return damerau_levenshtein(std::u32string_view(a.text), std::u32string_view(b.text)) <= 1 ? 1
                                                                                                : 2;
    case Compare::kName:
    case Compare::kText:
      return similar_names(a, b);
    case Compare::kDate:
      if (a.has_number && b.has_number && a.number == b.number) return 0;  // 2001-02-03 = 20010203
      return day_month_swapped(a.text, b.text) ||
                     damerau_levenshtein(std::u32string_view(a.text),
                                         std::u32string_view(b.text)) <= 1
                 ? 1
                 : 2;
    case Compare::kNumber:
      if (!a.has_number || !b.has_number) return 2;
      if (a.number == b.number) return 0;
      return std::fabs(a.number - b.number) <= near ? 1 : 2;
  }
  return kMissing;
}

}  // namespace halo::linkage
