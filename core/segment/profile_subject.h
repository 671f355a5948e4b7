// profile_subject.h -- a profile in the export form (profile_export.h) as a
// segment expression reads it (segment_expr.h): "traits.NAME",
// "features.NAME", and "identifiers.TYPE" as the list of the profile's
// values of that type; in_segment() reads the profile's stored segments.
//
// REQUIRES: the profile outlives the subject; traits and features are
// looked up by a linear scan (a profile holds tens of them).
#pragma once

#include <cstdint>
#include <string_view>

#include "profile/profile_export.h"
#include "segment/segment_expr.h"

namespace halo::segment {

class ProfileSubject : public Subject {
 public:
  ProfileSubject(const ProfileExport &profile, int64_t now_ms);
  const TypedValue *value(std::string_view path) const override;
  int64_t now_ms() const override { return now_ms_; }
  // The stored memberships (profile.segments, ascending).
  bool in_segment(std::string_view name) const override;

 private:
  const ProfileExport &profile_;
  int64_t now_ms_;
  NamedValues identifiers_;  // name "identifiers.TYPE": the type's values
};

}  // namespace halo::segment
