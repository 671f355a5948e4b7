// profile_export.cpp -- renders a profile in the export format.
#include "profile/profile_export.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "common/json_writer.h"
#include "profile/typed_codec.h"

namespace halo {

std::string format_timestamp_ms(int64_t ms) {
  // Floor division that cannot overflow (a stored value may be INT64_MIN).
  int64_t whole = ms / 1000;
  int frac = static_cast<int>(ms % 1000);
  if (frac < 0) {
    frac += 1000;
    --whole;
  }
  auto secs = static_cast<std::time_t>(whole);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];  // room for any int year, silencing -Wformat-truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

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
  w.key("updated_at").string(format_timestamp_ms(p.updated_at_ms));
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
