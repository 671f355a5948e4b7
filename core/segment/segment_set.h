// segment_set.h -- the segments a pipeline declares (`segments:`), parsed
// once and evaluated together per profile: which the profile belongs to,
// and when that may change by time alone.
//
// Invariants: segments keep the pipeline's order (names unique, as the
// pipeline loader checks); every in_segment() names a declared segment and
// references form no cycle, so a segment is evaluated after those it
// references, on the same profile's verdicts; evaluation never fails
// (segment_expr.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/pipeline_config.h"
#include "profile/profile_export.h"
#include "segment/segment_expr.h"

namespace halo::segment {

// The identifier types that `paths` read ("identifiers.TYPE"), each once,
// ascending: what a profile read must fill in to evaluate them.
std::vector<std::string> identifier_types(const std::vector<std::string> &paths);

class SegmentSet {
 public:
  // InvalidArgument naming every segment whose expression does not parse
  // or references a segment that is not declared, one line each (its YAML
  // position and the column inside the expression), or a cycle of
  // references.
  static Result<SegmentSet> parse(const std::vector<PipelineConfig::Segment> &segments);

  size_t size() const { return names_.size(); }
  bool empty() const { return names_.empty(); }
  const std::string &name(size_t i) const { return names_[i]; }
  // The segment indices in ascending order of name.
  const std::vector<size_t> &name_order() const { return name_order_; }
  const std::string &expression(size_t i) const { return expressions_[i]; }
  const Expr &expr(size_t i) const { return exprs_[i]; }  // segments[i]'s, as parsed
  // The identifier types the expressions read ("identifiers.TYPE"),
  // ascending: profiles need those filled, and no others.
  const std::vector<std::string> &identifier_types() const { return identifier_types_; }

  struct Verdict {
    // By segment index: 1 a member, 0 not. Bytes, not a vector<bool>:
    // its bit operations were a tenth of the evaluation of a page.
    std::vector<uint8_t> member;
    std::optional<int64_t> next_check_ms;  // the earliest a verdict may flip by time
    // Scratch, kept between calls to spare an allocation per profile: the
    // profile's value at each path the segments read, once looked up.
    std::vector<const TypedValue *> values;
  };
  void evaluate(const ProfileExport &profile, int64_t now_ms, Verdict &out) const;

 private:
  Status order_by_references();  // fills order_
  std::vector<std::string> names_, expressions_;
  std::vector<Expr> exprs_;
  std::vector<size_t> order_;  // evaluation order: referenced segments first
  std::vector<size_t> name_order_;
  // Every path the expressions read, once each; for each expression, the
  // index here of each of its paths (Expr::paths()).
  std::vector<std::string> paths_;
  std::vector<std::vector<size_t>> path_slots_;
  std::vector<std::string> identifier_types_;
};

}  // namespace halo::segment
