// segment_set.cpp -- SegmentSet (segment_set.h).
#include "segment/segment_set.h"

#include <algorithm>
#include <functional>
#include <numeric>

#include "segment/profile_subject.h"

namespace halo::segment {

std::vector<std::string> identifier_types(const std::vector<std::string> &paths) {
  constexpr std::string_view kIdentifiers = "identifiers.";
  std::vector<std::string> types;
  for (const std::string &p : paths) {
    if (p.starts_with(kIdentifiers)) types.push_back(p.substr(kIdentifiers.size()));
  }
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  return types;
}

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
    out.names_.push_back(s.name);
    out.expressions_.push_back(s.expression);
    out.exprs_.push_back(std::move(*expr));
  }
  for (size_t i = 0; i < out.exprs_.size(); ++i) {
    for (const std::string &ref : out.exprs_[i].segments()) {
      if (std::find(out.names_.begin(), out.names_.end(), ref) != out.names_.end()) continue;
      if (!problems.empty()) problems += '\n';
      problems += segments[i].expression_mark.str() + ": segments[" + std::to_string(i) +
                  "].expression: in_segment(" + ref + "): no segment named '" + ref +
                  "' is declared";
    }
  }
  if (!problems.empty()) return Status::Invalid(problems);
  for (const Expr &e : out.exprs_) {
    std::vector<size_t> &slots = out.path_slots_.emplace_back();
    for (const std::string &path : e.paths()) {
      auto at = std::find(out.paths_.begin(), out.paths_.end(), path);
      slots.push_back(static_cast<size_t>(at - out.paths_.begin()));
      if (at == out.paths_.end()) out.paths_.push_back(path);
    }
  }
  out.identifier_types_ = segment::identifier_types(out.paths_);
  out.name_order_.resize(out.names_.size());
  std::iota(out.name_order_.begin(), out.name_order_.end(), size_t{0});
  std::sort(out.name_order_.begin(), out.name_order_.end(),
            [&](size_t a, size_t b) { return out.names_[a] < out.names_[b]; });
  Status ordered = out.order_by_references();
  if (!ordered.ok()) return ordered;
  return out;
}

// Depth-first: a segment after every segment it references; a reference
// back to a segment still being visited is a cycle.
Status SegmentSet::order_by_references() {
  enum class Mark { kNone, kVisiting, kDone };
  std::vector<Mark> mark(names_.size(), Mark::kNone);
  std::vector<std::string> path;
  std::function<Status(size_t)> visit = [&](size_t i) -> Status {
    if (mark[i] == Mark::kDone) return Status::Ok();
    path.push_back(names_[i]);
    if (mark[i] == Mark::kVisiting) {
      std::string cycle;
      for (const std::string &n : path) cycle += (cycle.empty() ? "" : " -> ") + n;
      return Status::Invalid("segments reference each other in a cycle: " + cycle);
    }
    mark[i] = Mark::kVisiting;
    for (const std::string &ref : exprs_[i].segments()) {
      const size_t j = std::find(names_.begin(), names_.end(), ref) - names_.begin();
      Status s = visit(j);
      if (!s.ok()) return s;
    }
    mark[i] = Mark::kDone;
    path.pop_back();
    order_.push_back(i);
    return Status::Ok();
  };
  for (size_t i = 0; i < names_.size(); ++i) {
    Status s = visit(i);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

namespace {

// What a path's value is before it is looked up.
const TypedValue kNotLookedUp;

// A profile whose in_segment() answers with the verdicts of this
// evaluation (those it references come first: SegmentSet::order_), and
// which looks each path up once for all the expressions (`values`, by
// the set's path index; `use_slots` says which expression is evaluated).
class EvaluatedSubject : public ProfileSubject {
 public:
  EvaluatedSubject(const ProfileExport &profile, int64_t now_ms,
                   const std::vector<std::string> &names, const std::vector<uint8_t> &member,
                   std::vector<const TypedValue *> &values)
      : ProfileSubject(profile, now_ms), names_(names), member_(member), values_(values) {}
  bool in_segment(std::string_view name) const override {
    const size_t i = std::find(names_.begin(), names_.end(), name) - names_.begin();
    return i < member_.size() && member_[i];
  }
  void use_slots(const std::vector<size_t> &slots) { slots_ = &slots; }
  const TypedValue *value_at(size_t index, std::string_view path) const override {
    if (slots_ == nullptr || index >= slots_->size()) return value(path);
    const TypedValue *&v = values_[(*slots_)[index]];
    if (v == &kNotLookedUp) v = value(path);
    return v;
  }

 private:
  const std::vector<std::string> &names_;
  const std::vector<uint8_t> &member_;
  std::vector<const TypedValue *> &values_;
  const std::vector<size_t> *slots_ = nullptr;
};

}  // namespace

void SegmentSet::evaluate(const ProfileExport &profile, int64_t now_ms, Verdict &out) const {
  out.member.assign(exprs_.size(), 0);
  out.next_check_ms.reset();
  out.values.assign(paths_.size(), &kNotLookedUp);
  EvaluatedSubject subject(profile, now_ms, names_, out.member, out.values);
  for (size_t i : order_) {
    subject.use_slots(path_slots_[i]);
    out.member[i] = exprs_[i].matches(subject);
    std::optional<int64_t> next = exprs_[i].next_change_ms(subject);
    if (next && (!out.next_check_ms || *next < *out.next_check_ms)) out.next_check_ms = next;
  }
}

}  // namespace halo::segment
