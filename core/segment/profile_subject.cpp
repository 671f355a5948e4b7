// profile_subject.cpp -- ProfileSubject (profile_subject.h).
#include "segment/profile_subject.h"

#include <algorithm>
#include <string>
#include <utility>
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
  // A profile holds a few identifier types: each type's values in the order
  // the profile lists them.
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> by_type;
  for (const auto &identifier : profile.identifiers) {
    const std::string &type = identifier.first;  // named, not bound: the lambda captures it
    auto it = std::find_if(by_type.begin(), by_type.end(),
                           [&](const auto &entry) { return entry.first == type; });
    if (it == by_type.end()) it = by_type.insert(it, {type, {}});
    it->second.push_back(identifier.second);
  }
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
