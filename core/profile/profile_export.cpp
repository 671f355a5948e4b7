// profile_export.cpp -- renders a profile in the export format.
#include "profile/profile_export.h"

#include <algorithm>

#include "common/civil_date.h"
#include "common/json_writer.h"
#include "profile/typed_codec.h"

namespace halo {

void sort_identifiers(std::vector<std::pair<std::string, std::string>> &ids) {
  if (std::is_sorted(ids.begin(), ids.end()) &&
      std::adjacent_find(ids.begin(), ids.end()) == ids.end()) {
    return;
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

std::string export_profile_json(const ProfileExport &p) {
  auto ids = p.identifiers;
  sort_identifiers(ids);
  std::string out;
  out.reserve(256 + 32 * (p.traits.size() + p.features.size()));
  JsonWriter w(out);
  w.begin_object();
  w.key("profile_id").string(std::to_string(p.id));
  w.key("identifiers").begin_object();
  for (size_t i = 0; i < ids.size();) {
    const std::string &type = ids[i].first;
    w.key(type).begin_array();
    for (; i < ids.size() && ids[i].first == type; ++i) w.string(ids[i].second);
    w.end_array();
  }
  w.end_object();
  w.key("traits").raw(json_object(p.traits));
  w.key("features").raw(json_object(p.features));
  w.key("segments").begin_array();
  for (const std::string &s : p.segments) w.string(s);
  w.end_array();
  w.key("updated_at").string(format_iso8601_ms(p.updated_at_ms));
  w.end_object();
  return out;
}

Status decode_stored_export(std::string_view traits, std::string_view features,
                            ProfileExport *out) {
  out->traits.clear();
  Status s = decode_traits(traits, [&](const TraitRecord &r) {
    out->traits.push_back({std::string(r.name), *r.value});
  });
  if (s.ok()) s = decode_features(features, &out->features);
  if (s.ok()) return s;
  return Status::Corruption("profile " + std::to_string(out->id) + ": stored " + s.message());
}

}  // namespace halo
