// segment_set.cpp -- SegmentSet (segment_set.h).
#include "segment/segment_set.h"

#include <algorithm>

#include "segment/profile_subject.h"

namespace halo::segment {

Result<SegmentSet> SegmentSet::parse(const std::vector<PipelineConfig::Segment> &segments) {
  SegmentSet out;
  std::string problems;
  for (size_t i = 0; i < segments.size(); ++i) {
    const PipelineConfig::Segment &s = segments[i];
    ExprError error;
    std::optional<Expr> expr = Expr::parse(s.expression, error);
    if (!expr) {
      const std::string where = "segments[" + std::to_string(i) + "]";
      if (!problems.empty()) problems += '\n';
      problems += s.expression_mark.str() + ": " + where + ".expression: column " +
                  std::to_string(error.column) + ": " + error.message;
      continue;
    }
    out.reads_identifiers_ =
        out.reads_identifiers_ ||
        std::any_of(expr->paths().begin(), expr->paths().end(),
                    [](const std::string &p) { return p.starts_with("identifiers."); });
    out.names_.push_back(s.name);
    out.expressions_.push_back(s.expression);
    out.exprs_.push_back(std::move(*expr));
  }
  if (!problems.empty()) return Status::Invalid(problems);
  return out;
}

void SegmentSet::evaluate(const ProfileExport &profile, int64_t now_ms, Verdict &out) const {
  const ProfileSubject subject(profile, now_ms);
  out.member.assign(exprs_.size(), false);
  out.next_check_ms.reset();
  for (size_t i = 0; i < exprs_.size(); ++i) {
    out.member[i] = exprs_[i].matches(subject);
    std::optional<int64_t> next = exprs_[i].next_change_ms(subject);
    if (next && (!out.next_check_ms || *next < *out.next_check_ms)) out.next_check_ms = next;
  }
}

}  // namespace halo::segment
