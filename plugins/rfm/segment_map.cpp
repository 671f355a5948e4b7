// segment_map.cpp -- see segment_map.h.
#include "segment_map.h"

#include <stdexcept>

namespace halo::rfm {

SegmentMap::SegmentMap(std::vector<SegmentRule> rules) : rules_(std::move(rules)) {
  for (int r = 1; r <= 5; ++r) {
    for (int f = 1; f <= 5; ++f) {
      for (int m = 1; m <= 5; ++m) {
        size_t i = 0;
        while (i < rules_.size() &&
               !(rules_[i].r.holds(r) && rules_[i].f.holds(f) && rules_[i].m.holds(m))) {
          ++i;
        }
        if (i == rules_.size()) {
          throw std::invalid_argument("no rule names the scores r=" + std::to_string(r) +
                                      " f=" + std::to_string(f) + " m=" + std::to_string(m) +
                                      "; end the list with a rule without ranges");
        }
        rule_of_[(r - 1) * 25 + (f - 1) * 5 + (m - 1)] = i;
      }
    }
  }
}

SegmentMap SegmentMap::standard() {
  // R rows and F columns of the common RFM grid; a rule matches any M.
  auto rule = [](const char *name, ScoreRange r, ScoreRange f) {
    return SegmentRule{name, r, f, ScoreRange{}};
  };
  return SegmentMap({
      rule("Champions", {5, 5}, {4, 5}),
      rule("Loyal", {3, 4}, {4, 5}),
      rule("Potential Loyalist", {4, 5}, {2, 3}),
      rule("New Customers", {5, 5}, {1, 1}),
      rule("Promising", {4, 4}, {1, 1}),
      rule("Need Attention", {3, 3}, {3, 3}),
      rule("About to Sleep", {3, 3}, {1, 2}),
      rule("Cannot Lose Them", {1, 2}, {5, 5}),
      rule("At Risk", {1, 2}, {3, 4}),
      rule("Lost", {1, 1}, {1, 2}),
      rule("Hibernating", {2, 2}, {1, 2}),
  });
}

const std::string &SegmentMap::name(int r, int f, int m) const {
  return rules_[rule_of_[(r - 1) * 25 + (f - 1) * 5 + (m - 1)]].name;
}

bool parse_score_range(const std::string &text, ScoreRange &out) {
  auto digit = [](char c, int &v) {
    if (c < '1' || c > '5') return false;
    v = c - '0';
    return true;
  };
  ScoreRange r;
  if (text.size() == 1 && digit(text[0], r.low)) {
    r.high = r.low;
  } else if (!(text.size() == 3 && text[1] == '-' && digit(text[0], r.low) &&
               digit(text[2], r.high) && r.low <= r.high)) {
    return false;
  }
  out = r;
  return true;
}

}  // namespace halo::rfm
