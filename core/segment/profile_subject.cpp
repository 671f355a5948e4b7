// profile_subject.cpp -- ProfileSubject (profile_subject.h).
#include "segment/profile_subject.h"

#include <algorithm>
#include <vector>

namespace halo::segment {

namespace {

const TypedValue *find(const NamedValues &values, std::string_view name) {
  for (const NamedValue &v : values) {
    if (v.name == name) return &v.value;
  }
  return nullptr;
}

}  // namespace

ProfileSubject::ProfileSubject(const ProfileExport &profile, int64_t now_ms)
    : profile_(profile), now_ms_(now_ms) {}

const TypedValue *ProfileSubject::value(std::string_view path) const {
  if (path.starts_with("traits.")) return find(profile_.traits, path.substr(7));
  if (path.starts_with("features.")) return find(profile_.features, path.substr(9));
  if (path.starts_with("identifiers.")) return identifiers_of(path.substr(12));
  return nullptr;
}

// The type's values in the order the profile lists them; nullptr when it
// holds none.
const TypedValue *ProfileSubject::identifiers_of(std::string_view type) const {
  for (const auto &[known, values] : identifiers_) {
    if (known == type) return &values;
  }
  std::vector<std::string_view> values;
  std::string_view held;  // the profile's own copy of the type's name
  for (const auto &[t, v] : profile_.identifiers) {
    if (t != type) continue;
    held = t;
    values.push_back(v);
  }
  if (values.empty()) return nullptr;
  return &identifiers_.emplace_front(held, TypedValue::string_list(values)).second;
}

bool ProfileSubject::in_segment(std::string_view name) const {
  return std::binary_search(profile_.segments.begin(), profile_.segments.end(), name);
}

}  // namespace halo::segment
