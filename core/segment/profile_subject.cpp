// profile_subject.cpp -- ProfileSubject (profile_subject.h).
#include "segment/profile_subject.h"

#include <algorithm>
#include <map>
#include <string>
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
    : profile_(profile), now_ms_(now_ms) {
  std::map<std::string_view, std::vector<std::string_view>> by_type;
  for (const auto &[type, value] : profile.identifiers) by_type[type].push_back(value);
  for (const auto &[type, values] : by_type) {
    identifiers_.push_back({"identifiers." + std::string(type), TypedValue::string_list(values)});
  }
}

const TypedValue *ProfileSubject::value(std::string_view path) const {
  if (path.starts_with("traits.")) return find(profile_.traits, path.substr(7));
  if (path.starts_with("features.")) return find(profile_.features, path.substr(9));
  return find(identifiers_, path);
}

bool ProfileSubject::in_segment(std::string_view name) const {
  return std::binary_search(profile_.segments.begin(), profile_.segments.end(), name);
}

}  // namespace halo::segment
