// profile_subject.h -- a profile in the export form (profile_export.h) as a
// segment expression reads it (segment_expr.h): "traits.NAME",
// "features.NAME", and "identifiers.TYPE" as the list of the profile's
// values of that type; in_segment() reads the profile's stored segments.
//
// REQUIRES: the profile outlives the subject; traits and features are
// looked up by a linear scan (a profile holds tens of them). A type's
// identifiers are gathered on its first read: most expressions read none.
#pragma once

#include <cstdint>
#include <forward_list>
#include <string_view>
#include <utility>

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
  const TypedValue *identifiers_of(std::string_view type) const;

  const ProfileExport &profile_;
  int64_t now_ms_;
  // (type, its values) for each type read so far; a list, as a value
  // handed out stays where it is while later types are added.
  mutable std::forward_list<std::pair<std::string_view, TypedValue>> identifiers_;
};

}  // namespace halo::segment
