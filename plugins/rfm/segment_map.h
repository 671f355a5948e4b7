// segment_map.h -- names for RFM scores: an ordered list of rules, each a
// name and a range of R, F and M scores (1-5; an absent range is any score);
// the first rule a customer's scores match names the segment.
//
// The default map names the eleven segments of common RFM practice from R
// and F (the rows and columns of the usual 5 x 5 grid; M is left to
// overrides). A map must name every score triple: one that does not is
// refused when the builder starts, with the first triple it misses.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace halo::rfm {

struct ScoreRange {
  int low = 1, high = 5;
  bool holds(int score) const { return low <= score && score <= high; }
};

struct SegmentRule {
  std::string name;
  ScoreRange r, f, m;
};

class SegmentMap {
 public:
  // Throws std::invalid_argument naming the first (r, f, m) no rule matches.
  explicit SegmentMap(std::vector<SegmentRule> rules);
  static SegmentMap standard();

  const std::string &name(int r, int f, int m) const;
  const std::vector<SegmentRule> &rules() const { return rules_; }

 private:
  std::vector<SegmentRule> rules_;
  std::array<size_t, 125> rule_of_{};  // (r-1)*25 + (f-1)*5 + (m-1) -> rule
};

// "4", "4-5" -> a range within 1..5; false for anything else.
bool parse_score_range(const std::string &text, ScoreRange &out);

}  // namespace halo::rfm
