// profile_export.cpp -- renders a profile in the export format.
#include "profile/profile_export.h"

#include <algorithm>

#include "common/civil_date.h"
#include "common/json_writer.h"
#include "profile/typed_codec.h"

namespace halo {

namespace {

using Identifiers = std::vector<std::pair<std::string, std::string>>;

bool sorted_without_repeats(const Identifiers &ids) {
  return std::is_sorted(ids.begin(), ids.end()) &&
         std::adjacent_find(ids.begin(), ids.end()) == ids.end();
}

}  // namespace

void sort_identifiers(Identifiers &ids) {
  if (sorted_without_repeats(ids)) return;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

std::string export_profile_json(const ProfileExport &p) {
  // Page reads hand identifiers over sorted: copied only when they are not.
  Identifiers sorted;
  if (!sorted_without_repeats(p.identifiers)) {
    sorted = p.identifiers;
    sort_identifiers(sorted);
  }
  const Identifiers &ids = sorted.empty() ? p.identifiers : sorted;
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
